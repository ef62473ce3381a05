// Package known reads the project's known-findings table
// (core/oracle/known_findings.inc): the one place that says which first
// parser error confirms each finding.
package known

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// Finding is one SF_KNOWN_FINDING line.
type Finding struct {
	ID        string
	Canary    string
	Quiet     bool
	Predicted string // first line of Go's parser error, numbers as N; "" for none
	Summary   string
}

const macro = "SF_KNOWN_FINDING("

// Parse reads every SF_KNOWN_FINDING line of the table.
func Parse(r io.Reader) ([]Finding, error) {
	var out []Finding
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, macro) {
			continue
		}
		f, err := parseLine(line[len(macro):])
		if err != nil {
			return nil, fmt.Errorf("line %d: %v", n, err)
		}
		out = append(out, f)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no %s...) lines", macro)
	}
	return out, nil
}

// Load parses the table at path.
func Load(path string) ([]Finding, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fs, err := Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	return fs, nil
}

// Lookup finds a finding by id.
func Lookup(fs []Finding, id string) (Finding, bool) {
	for _, f := range fs {
		if f.ID == id {
			return f, true
		}
	}
	return Finding{}, false
}

// parseLine reads `"id", canary, quiet, "predicted", "summary")`.
func parseLine(s string) (Finding, error) {
	var args []string
	for i := 0; ; i++ {
		s = strings.TrimLeft(s, " \t")
		var arg string
		var err error
		if strings.HasPrefix(s, `"`) {
			arg, s, err = cString(s)
			if err != nil {
				return Finding{}, err
			}
		} else {
			end := strings.IndexAny(s, ",)")
			if end < 0 {
				return Finding{}, fmt.Errorf("argument %d is not terminated", i+1)
			}
			arg, s = strings.TrimSpace(s[:end]), s[end:]
		}
		args = append(args, arg)
		s = strings.TrimLeft(s, " \t")
		if strings.HasPrefix(s, ")") {
			break
		}
		if !strings.HasPrefix(s, ",") {
			return Finding{}, fmt.Errorf("expected ',' or ')' after argument %d", i+1)
		}
		s = s[1:]
	}
	if len(args) != 5 {
		return Finding{}, fmt.Errorf("%d arguments, want 5", len(args))
	}
	if args[2] != "true" && args[2] != "false" {
		return Finding{}, fmt.Errorf("quiet is %q, want true or false", args[2])
	}
	if args[0] == "" {
		return Finding{}, fmt.Errorf("empty id")
	}
	return Finding{ID: args[0], Canary: args[1], Quiet: args[2] == "true", Predicted: args[3], Summary: args[4]}, nil
}

// cString reads one C string literal at the start of s (simple escapes only:
// the table uses \" and \\) and returns it and the rest of s.
func cString(s string) (string, string, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			return b.String(), s[i+1:], nil
		case '\\':
			if i+1 >= len(s) {
				return "", "", fmt.Errorf("string ends in a backslash")
			}
			i++
			switch e := s[i]; e {
			case '"', '\\', '\'':
				b.WriteByte(e)
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			default:
				return "", "", fmt.Errorf("unsupported escape \\%c", e)
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", "", fmt.Errorf("unterminated string")
}
