package main

import (
	"errors"
	"strings"
	"testing"

	"schedfuzz/realgo/inject"
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

func TestProbeVerdict(t *testing.T) {
	w, _, ok := inject.Lookup("go127-entersyscallblock")
	if !ok || !w.Probe {
		t.Fatal("go127-entersyscallblock is not a probe")
	}
	win := &summary.Window{Reached: 500, Eligible: 12, Stalled: 12, Met: 4}
	// run(traces, failed, stalled, ...): the first failures are stalled traces.
	v, d := probeVerdict(w, run(10, 1, 5, "inconsistent status for goroutine 3: old Running vs. new Syscall", win))
	if v != "broke traces" || !strings.Contains(d, "1 of 5 traces with a stall failed") || !strings.Contains(d, "old Running vs. new Syscall") {
		t.Errorf("a stalled trace failed: %s: %s", v, d)
	}
	v, d = probeVerdict(w, run(10, 0, 5, "", win))
	if v != "no broken trace" || !strings.Contains(d, "condition met 4 times") {
		t.Errorf("stalls, no failure: %s: %s", v, d)
	}
	v, d = probeVerdict(w, run(10, 0, 0, "", &summary.Window{Reached: 500, Eligible: 3}))
	if v != "not exercised" || !strings.Contains(d, "precondition held 3 times") {
		t.Errorf("condition never met: %s: %s", v, d)
	}
}

func TestProbeArgs(t *testing.T) {
	if _, err := parseArgs([]string{"probe", "--go", "go1.27.4"}); err == nil {
		t.Error("probe without a WINDOW accepted")
	}
	c, err := parseArgs([]string{"probe", "go127-entersyscallblock", "--go", "go1.27.4", "--time", "5"})
	if err != nil || c.finding != "go127-entersyscallblock" || c.seconds != 5 {
		t.Errorf("probe args: %+v %v", c, err)
	}
	if _, err := probe(config{cmd: "probe", finding: "go70883", release: "go1.27.4"}); err == nil || !strings.Contains(err.Error(), "use confirm") {
		t.Errorf("a finding's window given to probe: %v", err)
	}
}
