// Command stress loops StartTrace / workload / StopTrace / parse on the Go
// runtime it is built with, and counts the traces Go's own parser rejects,
// by the first line of the error. Built with -tags realgo_hooks against a
// runtime patched by realgo/inject, it also activates one stall window and
// reports its counters.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/trace"
	"time"

	xtrace "golang.org/x/exp/trace"

	"schedfuzz/realgo/summary"
)

type options struct {
	dur, period, progress  time.Duration
	procs, readers, maxBad int
	jsonOut, failDir, all  string
	window                 string
	windowID               int
	capUS, holdUS, every   int64
}

func main() {
	var o options
	flag.DurationVar(&o.dur, "time", time.Minute, "how long to run")
	flag.DurationVar(&o.period, "period", 20*time.Millisecond, "how long each trace runs")
	flag.DurationVar(&o.progress, "progress", 10*time.Second, "interval of progress lines on stderr")
	flag.IntVar(&o.procs, "procs", 4, "GOMAXPROCS")
	flag.IntVar(&o.readers, "readers", 300, "goroutines blocked on pipe reads")
	flag.IntVar(&o.maxBad, "max-saved", 100, "save at most this many failing traces")
	flag.StringVar(&o.jsonOut, "json", "", "write the summary as JSON to this file")
	flag.StringVar(&o.failDir, "fail-dir", "", "save failing traces here")
	flag.StringVar(&o.all, "save-all", "", "save every trace here")
	flag.StringVar(&o.window, "window", "", "the stall window's name (needs -tags realgo_hooks)")
	flag.IntVar(&o.windowID, "window-id", 0, "the stall window's id in the patched runtime")
	flag.Int64Var(&o.capUS, "cap-us", 20000, "longest stall, microseconds")
	flag.Int64Var(&o.holdUS, "hold-us", 0, "how long to keep stalling once the condition holds, microseconds")
	flag.Int64Var(&o.every, "every", 1, "stall only every Nth eligible time")
	flag.Parse()
	if flag.NArg() != 0 {
		fail(fmt.Errorf("unexpected argument %q", flag.Arg(0)))
	}
	if o.window != "" && !hooked {
		fail(fmt.Errorf("-window %s: this binary was built without -tags realgo_hooks", o.window))
	}
	if o.window != "" && (o.windowID <= 0 || o.capUS <= 0 || o.every <= 0) {
		fail(fmt.Errorf("-window needs -window-id, -cap-us and -every above 0"))
	}
	if err := run(o); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "stress: %v\n", err)
	os.Exit(2)
}

func run(o options) error {
	runtime.GOMAXPROCS(o.procs)
	for _, d := range []string{o.failDir, o.all} {
		if d != "" {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
		}
	}
	var w workload
	if err := w.start(o.readers); err != nil {
		return err
	}
	s := summary.New(runtime.Version(), parserVersion())
	if o.window != "" {
		realgoConfigure(int32(o.windowID), o.capUS, o.holdUS, o.every)
		s.Window = &summary.Window{Name: o.window, CapUS: o.capUS, Every: o.every}
	}
	saved := 0
	start := time.Now()
	nextProgress := start.Add(o.progress)
	var buf bytes.Buffer
	for time.Since(start) < o.dur {
		buf.Reset()
		before := realgoCounters()[2]
		realgoArm(1)
		if err := trace.Start(&buf); err != nil {
			return err
		}
		realgoArm(0)
		time.Sleep(o.period)
		realgoArm(2)
		trace.Stop()
		realgoArm(0)
		stalled := realgoCounters()[2] != before

		msg := parse(buf.Bytes())
		s.Add(msg, stalled)
		name := fmt.Sprintf("%06d.trace", s.Traces)
		if o.all != "" {
			if err := os.WriteFile(filepath.Join(o.all, name), buf.Bytes(), 0o644); err != nil {
				return err
			}
		}
		if msg != "" && o.failDir != "" && saved < o.maxBad {
			saved++
			if err := saveFailure(o.failDir, name, buf.Bytes(), msg); err != nil {
				return err
			}
		}
		if now := time.Now(); now.After(nextProgress) {
			nextProgress = now.Add(o.progress)
			fmt.Fprintf(os.Stderr, "stress: %3.0f s: %d traces, %d failed, %d with a stall\n",
				now.Sub(start).Seconds(), s.Traces, s.Failures, s.Stalled)
		}
	}
	s.Seconds = time.Since(start).Seconds()
	s.Workload = w.counters()
	if s.Window != nil {
		c := realgoCounters()
		s.Window.Reached, s.Window.Eligible, s.Window.Stalled, s.Window.Met = c[0], c[1], c[2], c[3]
	}
	s.WriteText(os.Stdout)
	if o.jsonOut == "" {
		return nil
	}
	f, err := os.Create(o.jsonOut)
	if err != nil {
		return err
	}
	if err := s.WriteJSON(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// parserVersion names the x/exp module this binary was built with.
func parserVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "golang.org/x/exp" {
				return "golang.org/x/exp/trace " + d.Version
			}
		}
	}
	return "golang.org/x/exp/trace"
}

// parse reads a trace to the end with Go's parser and returns its error ("":
// none); a parser panic counts as an error.
func parse(data []byte) (msg string) {
	defer func() {
		if p := recover(); p != nil {
			msg = fmt.Sprintf("panic: %v", p)
		}
	}()
	r, err := xtrace.NewReader(bytes.NewReader(data))
	if err != nil {
		return err.Error()
	}
	for {
		if _, err := r.ReadEvent(); err == io.EOF {
			return ""
		} else if err != nil {
			return err.Error()
		}
	}
}

// saveFailure writes the trace and its whole error (a frontier dump names
// the stuck event), and appends the error's key to errors.tsv.
func saveFailure(dir, name string, data []byte, msg string) error {
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, name+".err"), []byte(msg+"\n"), 0o644); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(dir, "errors.tsv"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	fmt.Fprintf(f, "%s\t%s\n", name, summary.Normalise(msg))
	return f.Close()
}
