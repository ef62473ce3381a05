// Command realgo answers one question about the real Go runtime per call:
//
//	realgo natural --go V --time S             which known findings' errors a plain stress run shows
//	realgo confirm FINDING --go V --time S     whether a finding reproduces with its window widened
//	realgo probe WINDOW --go V --time S        whether an ordering the model flagged, and the docs refute, breaks a trace
//	realgo windows [--go V]                    the windows and where they exist
//
// Exit status: 0 confirmed (natural: the run completed; probe: a trace broke
// while the window was held), 1 not reproduced or not exercised, 2 bad
// usage, unknown finding, window or release, or a failed build.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

const usage = `usage:
  realgo natural --go goX.Y.Z --time S [options]
  realgo confirm FINDING --go goX.Y.Z --time S [options]
  realgo probe WINDOW --go goX.Y.Z --time S [options]
  realgo windows [--go goX.Y.Z]
options:
  --procs N        GOMAXPROCS of the stress program (default 4)
  --cap-ms N       confirm, probe: longest stall, 1-50 ms (default: the window's)
  --every N        confirm, probe: stall every Nth eligible time (default: the window's)
  --out DIR        where failing traces and summary.json go (default build/realgo/runs/...)
  --save-all DIR   also save every trace there
  --json FILE      write the summary and verdict as JSON
  --repo DIR       the schedfuzz checkout (default: the current directory)`

// errUsage marks errors that exit 2 after printing the usage.
var errUsage = errors.New("usage")

type config struct {
	cmd, finding, release  string
	seconds                int
	procs, capMS           int
	every                  int64
	out, saveAll, jsonFile string
	repo                   string
}

func parseArgs(args []string) (config, error) {
	var c config
	if len(args) == 0 {
		return c, fmt.Errorf("%w: no command", errUsage)
	}
	c.cmd, args = args[0], args[1:]
	switch c.cmd {
	case "natural", "windows":
	case "confirm", "probe":
		if len(args) == 0 || strings.HasPrefix(args[0], "-") {
			what := map[string]string{"confirm": "a FINDING", "probe": "a WINDOW"}[c.cmd]
			return c, fmt.Errorf("%w: %s needs %s", errUsage, c.cmd, what)
		}
		c.finding, args = args[0], args[1:]
	case "-h", "--help", "help":
		return c, errUsage
	default:
		return c, fmt.Errorf("%w: unknown command %q", errUsage, c.cmd)
	}
	fs := flag.NewFlagSet(c.cmd, flag.ContinueOnError)
	fs.SetOutput(new(strings.Builder))
	fs.StringVar(&c.release, "go", "", "")
	timeArg := fs.String("time", "", "")
	fs.IntVar(&c.procs, "procs", 4, "")
	fs.IntVar(&c.capMS, "cap-ms", 0, "")
	fs.Int64Var(&c.every, "every", 0, "")
	fs.StringVar(&c.out, "out", "", "")
	fs.StringVar(&c.saveAll, "save-all", "", "")
	fs.StringVar(&c.jsonFile, "json", "", "")
	fs.StringVar(&c.repo, "repo", ".", "")
	if err := fs.Parse(args); err != nil {
		return c, fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if c.cmd == "windows" {
		return c, nil
	}
	if c.release == "" {
		return c, fmt.Errorf("%w: --go is required", errUsage)
	}
	secs, err := parseSeconds(*timeArg)
	if err != nil {
		return c, fmt.Errorf("%w: --time: %v", errUsage, err)
	}
	c.seconds = secs
	if c.procs < 1 {
		return c, fmt.Errorf("%w: --procs must be at least 1", errUsage)
	}
	if c.capMS != 0 && (c.capMS < 1 || c.capMS > 50) {
		return c, fmt.Errorf("%w: --cap-ms must be 1-50", errUsage)
	}
	if c.every < 0 {
		return c, fmt.Errorf("%w: --every must be at least 1", errUsage)
	}
	return c, nil
}

// parseSeconds accepts "60" and Go durations ("90s", "2m").
func parseSeconds(s string) (int, error) {
	if s == "" {
		return 0, fmt.Errorf("required (seconds)")
	}
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 {
			return 0, fmt.Errorf("must be at least 1 second")
		}
		return n, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Second {
		return 0, fmt.Errorf("%q is not a number of seconds", s)
	}
	return int(d / time.Second), nil
}

func main() {
	c, err := parseArgs(os.Args[1:])
	if err == nil {
		c.repo, err = filepath.Abs(c.repo)
	}
	if err != nil {
		if err != errUsage {
			fmt.Fprintf(os.Stderr, "realgo: %v\n", err)
		}
		fmt.Fprintln(os.Stderr, usage)
		os.Exit(2)
	}
	code, err := dispatch(c)
	if err != nil {
		fmt.Fprintf(os.Stderr, "realgo: %v\n", err)
		os.Exit(2)
	}
	os.Exit(code)
}

func dispatch(c config) (int, error) {
	switch c.cmd {
	case "windows":
		return 0, listWindows(c)
	case "natural":
		return natural(c)
	case "probe":
		return probe(c)
	}
	return confirm(c)
}
