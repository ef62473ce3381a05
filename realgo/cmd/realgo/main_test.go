package main

import (
	"errors"
	"strings"
	"testing"

	"schedfuzz/realgo/known"
	"schedfuzz/realgo/summary"
)

func TestParseArgs(t *testing.T) {
	c, err := parseArgs([]string{"confirm", "go70883", "--go", "go1.22.10", "--time", "60", "--cap-ms", "5"})
	if err != nil || c.cmd != "confirm" || c.finding != "go70883" || c.release != "go1.22.10" || c.seconds != 60 || c.capMS != 5 {
		t.Fatalf("parseArgs = %+v, %v", c, err)
	}
	if c, err := parseArgs([]string{"natural", "--go", "go1.22.12", "--time", "2m"}); err != nil || c.seconds != 120 {
		t.Errorf("--time 2m = %+v, %v", c, err)
	}
	for _, bad := range [][]string{
		nil,
		{"bogus"},
		{"confirm", "--go", "go1.22.10", "--time", "5"},
		{"natural", "--time", "5"},
		{"natural", "--go", "go1.22.12"},
		{"natural", "--go", "go1.22.12", "--time", "0"},
		{"natural", "--go", "go1.22.12", "--time", "soon"},
		{"confirm", "x", "--go", "go1.22.12", "--time", "5", "--cap-ms", "51"},
		{"natural", "--go", "go1.22.12", "--time", "5", "extra"},
		{"natural", "--go", "go1.22.12", "--time", "5", "--no-such-flag"},
	} {
		if _, err := parseArgs(bad); !errors.Is(err, errUsage) {
			t.Errorf("parseArgs(%q) = %v, want a usage error", bad, err)
		}
	}
}

func run(traces, failed, stalled int, msg string, win *summary.Window) *summary.Summary {
	s := summary.New("go1.22.10", "x/exp")
	for i := 0; i < traces; i++ {
		m := ""
		if i < failed {
			m = msg
		}
		s.Add(m, i < stalled)
	}
	s.Window = win
	return s
}

func TestVerdict(t *testing.T) {
	f := known.Finding{ID: "go70883", Predicted: "inconsistent status for goroutine N: old Runnable vs. new Waiting"}
	win := &summary.Window{Name: "go70883", Reached: 100, Eligible: 40, Stalled: 40, Met: 7}

	v, d := verdict(f, run(10, 3, 5, "inconsistent status for goroutine 12: old Runnable vs. new Waiting", win))
	if v != "confirmed" || !strings.Contains(d, "in 3 of 10 traces") {
		t.Errorf("confirmed case: %s: %s", v, d)
	}
	v, d = verdict(f, run(10, 2, 5, "inconsistent status for proc 1: old Syscall vs. new Running", win))
	if v != "not reproduced" || !strings.Contains(d, "reached 100 times") || !strings.Contains(d, "condition met 7 times") {
		t.Errorf("other error only: %s: %s", v, d)
	}
	v, d = verdict(f, run(10, 0, 0, "", &summary.Window{Reached: 9}))
	if v != "not exercised" || !strings.Contains(d, "ran 9 times") {
		t.Errorf("precondition never held: %s: %s", v, d)
	}
	d1 := known.Finding{ID: "entersyscallblock"}
	if v, d := verdict(d1, run(10, 0, 5, "", win)); v != "not reproduced" || !strings.Contains(d, "discipline finding") {
		t.Errorf("a finding without a predicted error: %s: %s", v, d)
	}
}
