package summary

import (
	"bytes"
	"strings"
	"testing"
)

func TestNormalise(t *testing.T) {
	cases := []struct{ in, want string }{
		{"inconsistent status for goroutine 123: old Runnable vs. new Waiting",
			"inconsistent status for goroutine N: old Runnable vs. new Waiting"},
		{"broken trace: failed to advance: frontier:\n[ M 3 ProcSteal p=1 ]\n",
			"broken trace: failed to advance: frontier:"},
		{"inconsistent status for proc 0: old Syscall vs. new Running",
			"inconsistent status for proc N: old Syscall vs. new Running"},
		{"  seq 10 at 0x1f2  ", "seq N at NxNfN"},
	}
	for _, c := range cases {
		if got := Normalise(c.in); got != c.want {
			t.Errorf("Normalise(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestMatches(t *testing.T) {
	frontier := "broken trace: failed to advance: frontier:"
	if !Matches(frontier+" [ M N ProcSteal ]", frontier) {
		t.Error("a prediction ending in ':' must match as a prefix")
	}
	exact := "inconsistent status for goroutine N: old Waiting vs. new Runnable"
	if Matches(exact+" extra", exact) {
		t.Error("a prediction not ending in ':' must match the whole line")
	}
	if !Matches(exact, exact) {
		t.Error("equal lines must match")
	}
	if Matches("anything", "") {
		t.Error("an empty prediction (a discipline finding) matches no error")
	}
}

func TestSummaryCountsAndRoundTrip(t *testing.T) {
	s := New("go1.22.10", "x/exp")
	s.Seconds = 30
	s.Add("", false)
	s.Add("inconsistent status for goroutine 7: old Runnable vs. new Waiting", true)
	s.Add("inconsistent status for goroutine 9: old Runnable vs. new Waiting", true)
	s.Add("broken trace: failed to advance: frontier:\nmore", false)
	s.Add("", true)
	s.Window = &Window{Name: "go70883", CapUS: 20000, Every: 1, Reached: 10, Eligible: 5, Stalled: 3, Met: 2}
	s.Workload["bursts"] = 4

	if s.Traces != 5 || s.Failures != 3 || s.Stalled != 3 || s.StalledFail != 2 {
		t.Fatalf("counts: %+v", s)
	}
	if got := s.Count("inconsistent status for goroutine N: old Runnable vs. new Waiting"); got != 2 {
		t.Errorf("Count(go70883) = %d, want 2", got)
	}
	if got := s.Count("broken trace: failed to advance: frontier:"); got != 1 {
		t.Errorf("Count(frontier) = %d, want 1", got)
	}
	if s.PerMinute() != 10 {
		t.Errorf("PerMinute = %v, want 10", s.PerMinute())
	}
	if m := s.Messages(); len(m) != 2 || !strings.Contains(m[0], "goroutine N") {
		t.Errorf("Messages not most-frequent first: %q", m)
	}

	var text bytes.Buffer
	s.WriteText(&text)
	for _, want := range []string{"traces: 5 in 30 s (10 per minute); failed: 3",
		"     2  inconsistent status for goroutine N", "reached 10, eligible 5, stalled 3, condition met 2",
		"traces with a stall: 3 (failed 2); without: 2 (failed 1)", "workload: bursts 4"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text summary lacks %q:\n%s", want, text.String())
		}
	}

	var js bytes.Buffer
	if err := s.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(&js)
	if err != nil {
		t.Fatal(err)
	}
	if back.Traces != 5 || back.Count("broken trace: failed to advance: frontier:") != 1 || back.Window.Met != 2 {
		t.Errorf("JSON round trip lost data: %+v", back)
	}
	if _, err := ReadJSON(strings.NewReader("{")); err == nil {
		t.Error("ReadJSON accepted a truncated document")
	}
}
