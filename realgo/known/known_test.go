package known

import (
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	src := `// comment with SF_KNOWN_FINDING(id, canary, quiet, ...)
// clang-format off
SF_KNOWN_FINDING("a", kCanaryA, false, "inconsistent status for goroutine N: old Runnable vs. new Waiting", "one, two")
  SF_KNOWN_FINDING("b", kCanaryB, true, "", "says \"syscall\" (see x)")
`
	fs, err := Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 2 {
		t.Fatalf("got %d findings, want 2", len(fs))
	}
	a, ok := Lookup(fs, "a")
	if !ok || a.Canary != "kCanaryA" || a.Quiet || a.Predicted != "inconsistent status for goroutine N: old Runnable vs. new Waiting" || a.Summary != "one, two" {
		t.Errorf("a = %+v", a)
	}
	b, _ := Lookup(fs, "b")
	if !b.Quiet || b.Predicted != "" || b.Summary != `says "syscall" (see x)` {
		t.Errorf("b = %+v", b)
	}
	if _, ok := Lookup(fs, "c"); ok {
		t.Error("Lookup found an id that is not in the table")
	}
}

func TestParseErrors(t *testing.T) {
	for _, src := range []string{
		"",
		`SF_KNOWN_FINDING("a", k, false, "x")`,
		`SF_KNOWN_FINDING("a", k, maybe, "x", "y")`,
		`SF_KNOWN_FINDING("a, k, false, "x", "y")`,
		`SF_KNOWN_FINDING("a", k, false, "x", "y"`,
	} {
		if _, err := Parse(strings.NewReader(src)); err == nil {
			t.Errorf("Parse(%q) accepted bad input", src)
		}
	}
}

// The project's own table must parse, and must name the findings the
// harness has windows for.
func TestProjectTable(t *testing.T) {
	_, here, _, _ := runtime.Caller(0)
	fs, err := Load(filepath.Join(filepath.Dir(here), "..", "..", "core", "oracle", "known_findings.inc"))
	if err != nil {
		t.Fatal(err)
	}
	g, ok := Lookup(fs, "go70883")
	if !ok || g.Predicted != "inconsistent status for goroutine N: old Runnable vs. new Waiting" {
		t.Errorf("go70883 = %+v", g)
	}
	if e, ok := Lookup(fs, "entersyscallblock"); !ok || e.Predicted != "" {
		t.Errorf("entersyscallblock = %+v", e)
	}
}
