// Command gocheck runs a trace file through Go's own execution-trace parser
// (golang.org/x/exp/trace, pinned in go.mod: in repro/gocheck to the snapshot
// generated from the Go 1.22 internal/trace/v2 parser; repro/gocheck126 builds
// this same file against go1.27's parser) and prints its verdict on one line:
//
//	ok N events         exit 0: the parser read the whole trace
//	error: <text>       exit 1: the parser's error, verbatim
//	panic: <value>      exit 3: the parser panicked (a parser bug, not a verdict)
//
// Usage errors exit 2. With -dump, every event the parser returns is printed
// (Event.String) before the verdict, which helps to see how far it got.
//
// Batch mode checks many traces in one process (repro/crosscheck):
//
//	gocheck -batch LIST [-field N] [-tries K]
//
// LIST (a file, or "-" for stdin) names one trace per line; empty lines and
// lines starting with '#' are skipped. With -field N each line is a
// tab-separated record (e.g. a crosscheck manifest) and its Nth field (1-based)
// is the path. For every trace one line is printed:
//
//	PATH<TAB>ok N events
//	PATH<TAB>error: <first line of the parser's error>
//	PATH<TAB>panic: <value>
//	PATH<TAB>unreadable: <why>
//
// Only the error's first line is printed (the "broken trace" errors go on
// with a multi-line dump); run gocheck on the single file for the whole text.
// With -tries K > 1 every trace is parsed K times, each time by a new Reader;
// the parser breaks timestamp ties between Ms by map iteration order, which
// Go randomizes, so if any try's verdict differs from the first one, the line
// gets one more field: <TAB>unstable: <the other verdicts, " | "-separated>.
// Batch mode exits 0 once every listed trace has its line (whatever the
// verdicts), 2 on bad usage, an unreadable LIST, or any unreadable trace.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"golang.org/x/exp/trace"
)

func usage() {
	fmt.Fprintf(os.Stderr, "usage: gocheck [-dump] <trace-file | ->\n")
	fmt.Fprintf(os.Stderr, "       gocheck -batch <list-file | -> [-field N] [-tries K]\n")
	flag.PrintDefaults()
}

func main() {
	dump := flag.Bool("dump", false, "print each parsed event (Event.String) to stdout")
	batch := flag.String("batch", "", "check every trace named in this list file (\"-\": stdin), one verdict line each")
	field := flag.Int("field", 0, "batch: lines are tab-separated; the path is field N (1-based); 0: the whole line")
	tries := flag.Int("tries", 1, "batch: parse each trace this many times and flag verdicts that vary")
	flag.Usage = usage
	flag.Parse()
	if *batch != "" {
		if *dump || flag.NArg() != 0 || *field < 0 || *tries < 1 {
			usage()
			os.Exit(2)
		}
		os.Exit(runBatch(*batch, *field, *tries))
	}
	if flag.NArg() != 1 {
		usage()
		os.Exit(2)
	}
	var in io.Reader
	if path := flag.Arg(0); path == "-" {
		in = os.Stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintf(os.Stderr, "gocheck: %v\n", err)
			os.Exit(2)
		}
		defer f.Close()
		in = f
	}
	out := bufio.NewWriter(os.Stdout)
	n, err, panicked := check(in, *dump, out)
	switch {
	case panicked != nil:
		fmt.Fprintf(out, "panic: %v\n", panicked)
		out.Flush()
		os.Exit(3)
	case err != nil:
		fmt.Fprintf(out, "error: %v\n", err)
		out.Flush()
		os.Exit(1)
	}
	fmt.Fprintf(out, "ok %d events\n", n)
	out.Flush()
}

// runBatch checks every trace named in the list and returns the exit code.
func runBatch(list string, field, tries int) int {
	var in io.Reader = os.Stdin
	if list != "-" {
		f, err := os.Open(list)
		if err != nil {
			fmt.Fprintf(os.Stderr, "gocheck: %v\n", err)
			return 2
		}
		defer f.Close()
		in = f
	}
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	rc := 0
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		path := line
		if field > 0 {
			fields := strings.Split(line, "\t")
			if field > len(fields) {
				fmt.Fprintf(os.Stderr, "gocheck: %s: no field %d in line %q\n", list, field, line)
				return 2
			}
			path = fields[field-1]
		}
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(out, "%s\tunreadable: %v\n", path, err)
			rc = 2
			continue
		}
		first := verdict(data)
		var others []string
		for i := 1; i < tries; i++ {
			if v := verdict(data); v != first && !slices.Contains(others, v) {
				others = append(others, v)
			}
		}
		if len(others) == 0 {
			fmt.Fprintf(out, "%s\t%s\n", path, first)
		} else {
			fmt.Fprintf(out, "%s\t%s\tunstable: %s\n", path, first, strings.Join(others, " | "))
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(os.Stderr, "gocheck: %s: %v\n", list, err)
		return 2
	}
	return rc
}

// verdict is the one-line verdict on a whole trace: "ok N events",
// "error: <first line>" or "panic: <first line>".
func verdict(data []byte) string {
	n, err, panicked := check(bytes.NewReader(data), false, io.Discard)
	switch {
	case panicked != nil:
		return "panic: " + firstLine(fmt.Sprint(panicked))
	case err != nil:
		return "error: " + firstLine(err.Error())
	}
	return fmt.Sprintf("ok %d events", n)
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return strings.ReplaceAll(s, "\t", " ")
}

// check reads events until the parser reports io.EOF or an error. A panic
// inside the parser is caught and returned so that a crash in Go's code is
// told apart from a verdict about the trace.
func check(in io.Reader, dump bool, out io.Writer) (n int, err error, panicked any) {
	defer func() {
		if p := recover(); p != nil {
			panicked = p
		}
	}()
	r, err := trace.NewReader(in)
	if err != nil {
		return 0, err, nil
	}
	for {
		ev, err := r.ReadEvent()
		if err == io.EOF {
			return n, nil, nil
		}
		if err != nil {
			return n, err, nil
		}
		n++
		if dump {
			fmt.Fprintln(out, ev.String())
		}
	}
}
