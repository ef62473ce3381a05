// Command gocheck runs a trace file through Go's own execution-trace parser
// (golang.org/x/exp/trace, pinned in go.mod to the snapshot generated from the
// Go 1.22 internal/trace/v2 parser) and prints its verdict on one line:
//
//	ok N events         exit 0: the parser read the whole trace
//	error: <text>       exit 1: the parser's error, verbatim
//	panic: <value>      exit 3: the parser panicked (a parser bug, not a verdict)
//
// Usage errors exit 2. With -dump, every event the parser returns is printed
// (Event.String) before the verdict, which helps to see how far it got.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"

	"golang.org/x/exp/trace"
)

func usage() {
	fmt.Fprintf(os.Stderr, "usage: gocheck [-dump] <trace-file | ->\n")
	flag.PrintDefaults()
}

func main() {
	dump := flag.Bool("dump", false, "print each parsed event (Event.String) to stdout")
	flag.Usage = usage
	flag.Parse()
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
