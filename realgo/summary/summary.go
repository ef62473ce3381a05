// Package summary counts the verdicts of Go's trace parser over many traces
// and reports them; the stress program fills one Summary, the driver reads it
// back to decide a verdict.
package summary

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Normalise reduces a parser error to the key errors are counted by: its
// first line with every run of digits written N, so that the same failure in
// two traces (other goroutine, proc or generation numbers) counts once.
func Normalise(msg string) string {
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	var b strings.Builder
	inDigits := false
	for _, r := range strings.TrimSpace(msg) {
		if r >= '0' && r <= '9' {
			if !inDigits {
				b.WriteByte('N')
			}
			inDigits = true
			continue
		}
		inDigits = false
		b.WriteRune(r)
	}
	return b.String()
}

// Matches reports whether a normalised first line is the predicted one. A
// prediction that ends in ':' names a prefix: the rest of such a line (a
// frontier dump, an event) varies from trace to trace.
func Matches(line, predicted string) bool {
	if predicted == "" {
		return false
	}
	if strings.HasSuffix(predicted, ":") {
		return strings.HasPrefix(line, predicted)
	}
	return line == predicted
}

// Window holds the counters of the stall hook at one window, read from the
// patched runtime: how often the point ran, how often the window's
// precondition held there, how often it stalled and how often the condition
// it stalls for came true.
type Window struct {
	Name     string `json:"name"`
	CapUS    int64  `json:"cap_us"`
	Every    int64  `json:"every"`
	Reached  uint64 `json:"reached"`
	Eligible uint64 `json:"eligible"`
	Stalled  uint64 `json:"stalled"`
	Met      uint64 `json:"met"`
}

// Summary is one stress run.
type Summary struct {
	GoVersion   string            `json:"go_version"`
	Parser      string            `json:"parser"`
	Seconds     float64           `json:"seconds"`
	Traces      int               `json:"traces"`
	Failures    int               `json:"failures"`
	ByMessage   map[string]int    `json:"failures_by_message"`
	Window      *Window           `json:"window,omitempty"`
	Stalled     int               `json:"traces_with_stall"`
	StalledFail int               `json:"failures_with_stall"`
	Workload    map[string]uint64 `json:"workload"`
}

// New returns an empty summary.
func New(goVersion, parser string) *Summary {
	return &Summary{GoVersion: goVersion, Parser: parser, ByMessage: map[string]int{}, Workload: map[string]uint64{}}
}

// Add records one parsed trace: errMsg is the parser's error ("" if it read
// the trace to the end); stalled says the stall hook stalled while it was
// being written.
func (s *Summary) Add(errMsg string, stalled bool) {
	s.Traces++
	if stalled {
		s.Stalled++
	}
	if errMsg == "" {
		return
	}
	s.Failures++
	if stalled {
		s.StalledFail++
	}
	s.ByMessage[Normalise(errMsg)]++
}

// Count returns how many traces failed with the predicted first line.
func (s *Summary) Count(predicted string) int {
	n := 0
	for line, c := range s.ByMessage {
		if Matches(line, predicted) {
			n += c
		}
	}
	return n
}

// PerMinute is the run's trace rate.
func (s *Summary) PerMinute() float64 {
	if s.Seconds <= 0 {
		return 0
	}
	return float64(s.Traces) * 60 / s.Seconds
}

// Messages lists the failure lines, most frequent first.
func (s *Summary) Messages() []string {
	lines := make([]string, 0, len(s.ByMessage))
	for l := range s.ByMessage {
		lines = append(lines, l)
	}
	sort.Slice(lines, func(i, j int) bool {
		a, b := s.ByMessage[lines[i]], s.ByMessage[lines[j]]
		if a != b {
			return a > b
		}
		return lines[i] < lines[j]
	})
	return lines
}

// WriteText prints the summary for people.
func (s *Summary) WriteText(w io.Writer) {
	fmt.Fprintf(w, "runtime: %s; parser: %s\n", s.GoVersion, s.Parser)
	fmt.Fprintf(w, "traces: %d in %.0f s (%.0f per minute); failed: %d\n", s.Traces, s.Seconds, s.PerMinute(), s.Failures)
	for _, l := range s.Messages() {
		fmt.Fprintf(w, "  %6d  %s\n", s.ByMessage[l], l)
	}
	if win := s.Window; win != nil {
		fmt.Fprintf(w, "window %s (cap %d us, every %d): reached %d, eligible %d, stalled %d, condition met %d\n",
			win.Name, win.CapUS, win.Every, win.Reached, win.Eligible, win.Stalled, win.Met)
		fmt.Fprintf(w, "traces with a stall: %d (failed %d); without: %d (failed %d)\n",
			s.Stalled, s.StalledFail, s.Traces-s.Stalled, s.Failures-s.StalledFail)
	}
	keys := make([]string, 0, len(s.Workload))
	for k := range s.Workload {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, s.Workload[k])
	}
	fmt.Fprintf(w, "workload: %s\n", strings.Join(parts, ", "))
}

// WriteJSON prints the summary for programs.
func (s *Summary) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// ReadJSON reads what WriteJSON wrote.
func ReadJSON(r io.Reader) (*Summary, error) {
	s := New("", "")
	if err := json.NewDecoder(r).Decode(s); err != nil {
		return nil, fmt.Errorf("summary: %v", err)
	}
	return s, nil
}
