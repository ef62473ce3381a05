package inject

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func release(t *testing.T, s string) Release {
	t.Helper()
	r, err := ParseRelease(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestParseRelease(t *testing.T) {
	r := release(t, "go1.22.10")
	if r.Minor != 22 || r.Patch != 10 {
		t.Errorf("go1.22.10 = %+v", r)
	}
	if r := release(t, "go1.27"); r.Minor != 27 || r.Patch != 0 {
		t.Errorf("go1.27 = %+v", r)
	}
	for _, bad := range []string{"1.22.10", "go1.21.5", "go1.22.x", "go1.27rc1", ""} {
		if _, err := ParseRelease(bad); err == nil {
			t.Errorf("ParseRelease(%q) accepted it", bad)
		}
	}
}

func TestWindowsExistence(t *testing.T) {
	old, cur := release(t, "go1.22.12"), release(t, "go1.27.4")
	for _, w := range Windows {
		if w.In(old) == w.Probe {
			t.Errorf("%s: in go1.22.12 = %v, but every finding's window is there and no probe is", w.Name, w.In(old))
		}
		if w.Probe && !w.In(cur) {
			t.Errorf("probe %s: not in go1.27.4", w.Name)
		}
	}
	pless, _, _ := Lookup("starttrace-pless-injectglist")
	if !pless.In(cur) || pless.Absence(cur) != "" {
		t.Error("the P-less injectglist window must exist in go1.27")
	}
	gs, id, ok := Lookup("gen-straggler")
	if !ok || id != 5 {
		t.Fatalf("Lookup(gen-straggler) = %d %v", id, ok)
	}
	if a := gs.Absence(cur); !strings.Contains(a, "does not exist in go1.27.4") || !strings.Contains(a, "syscall path") {
		t.Errorf("gen-straggler in go1.27.4: %q", a)
	}
	if _, _, ok := Lookup("no-such-finding"); ok {
		t.Error("Lookup found an unknown window")
	}
}

func readFixture(t *testing.T, tree string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", tree, "src", "runtime", "proc.go"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// neighbours returns the lines around the first one containing s.
func neighbours(t *testing.T, text, s string) (prev, next string) {
	t.Helper()
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.Contains(l+"\n", s) {
			return lines[i-1], lines[i+1]
		}
	}
	t.Fatalf("no line with %q in\n%s", s, text)
	return "", ""
}

func TestInsertPlacesEveryWindow(t *testing.T) {
	out, err := Insert("proc.go", readFixture(t, "goroot"), release(t, "go1.22.10"))
	if err != nil {
		t.Fatal(err)
	}
	// go70883 goes before the anchor, the P-less window after its own.
	prev, next := neighbours(t, out, "window go70883")
	if strings.TrimSpace(prev) != "realgoStall(2, trace.ok()) // schedfuzz realgo: window starttrace-pless-injectglist" ||
		!strings.HasPrefix(strings.TrimSpace(next), "for gp := head;") {
		t.Errorf("go70883 hook misplaced:\n%s", out)
	}
	if _, next := neighbours(t, out, "window entersyscallblock-procstop"); strings.TrimSpace(next) != "handoffp(releasep())" {
		t.Errorf("procstop hook misplaced:\n%s", out)
	}
	if _, next := neighbours(t, out, "window entersyscallblock\n"); strings.TrimSpace(next) != "systemstack(entersyscallblock_handoff)" {
		t.Errorf("entersyscallblock hook misplaced:\n%s", out)
	}
	// The three exitsyscallfast windows share one point.
	_, next = neighbours(t, out, "window stoptrace-straggler")
	if !strings.HasPrefix(strings.TrimSpace(next), "if oldp != nil") {
		t.Errorf("stoptrace hook misplaced:\n%s", out)
	}
	if n := inRelease(t, "go1.22.10"); strings.Count(out, "realgoStall(") != n || n != len(Windows)-2 {
		t.Errorf("want %d hook calls (every window but the two go1.26+ probes), got:\n%s", n, out)
	}
	// The decoy function's anchors are not touched.
	if _, next := neighbours(t, out, "func decoy()"); strings.Contains(next, "realgo") {
		t.Errorf("hook inserted outside the window's function:\n%s", out)
	}
	// Indentation follows the anchor line.
	if _, next := neighbours(t, out, "func injectglist("); next != "\thead := glist.head.ptr()" {
		t.Errorf("unexpected first line of injectglist: %q", next)
	}
}

// inRelease counts the windows that exist in release name.
func inRelease(t *testing.T, name string) int {
	n := 0
	for _, w := range Windows {
		if w.In(release(t, name)) {
			n++
		}
	}
	return n
}

func TestInsertOnlyWindowsOfTheRelease(t *testing.T) {
	src := "func injectglist(glist *gList) {\n\ttrace := traceAcquire()\n\tloop()\n}\n" +
		"func reentersyscall(pc, sp, bp uintptr) {\n\t// As soon as we switch to _Gsyscall, we are in danger of losing our P.\n\tcas()\n}\n" +
		"func entersyscallblock() {\n\tif debugExtendGrunningNoP {\n\t}\n}\n"
	out, err := Insert("proc.go", src, release(t, "go1.27.4"))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"func injectglist(glist *gList) {",
		"\ttrace := traceAcquire()",
		"\trealgoStall(2, trace.ok()) // schedfuzz realgo: window starttrace-pless-injectglist",
		"\tloop()",
		"}",
		"func reentersyscall(pc, sp, bp uintptr) {",
		"\trealgoStall(8, trace.ok()) // schedfuzz realgo: window go127-reentersyscall-gcwait",
		"\t// As soon as we switch to _Gsyscall, we are in danger of losing our P.",
		"\tcas()",
		"}",
		"func entersyscallblock() {",
		"\trealgoStall(9, trace.ok()) // schedfuzz realgo: window go127-entersyscallblock",
		"\tif debugExtendGrunningNoP {",
		"\t}",
		"}",
		"",
	}
	if out != strings.Join(want, "\n") {
		t.Errorf("go1.27.4 must get the P-less window and the two probes only:\n%s", out)
	}
}

func TestInsertMissingAnchor(t *testing.T) {
	_, err := Insert("proc.go", readFixture(t, "noanchor"), release(t, "go1.27.4"))
	if err == nil {
		t.Fatal("a missing anchor must be an error")
	}
	for _, want := range []string{"src/runtime/proc.go", "function injectglist", "trace := traceAcquire()"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
	_, err = Insert("proc.go", readFixture(t, "noanchor"), release(t, "go1.22.12"))
	if err == nil || !strings.Contains(err.Error(), "function entersyscallblock") && !strings.Contains(err.Error(), "injectglist") {
		t.Errorf("missing function: %v", err)
	}
	if _, err := Insert("proc.go", "package runtime\n", release(t, "go1.22.12")); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("a missing function must be named: %v", err)
	}
}

func TestHookSourceIsGoForEachRelease(t *testing.T) {
	for _, name := range []string{"go1.22.10", "go1.23.4", "go1.27.4"} {
		r := release(t, name)
		src := HookSource(r)
		if _, err := parser.ParseFile(token.NewFileSet(), HookFile, src, 0); err != nil {
			t.Errorf("%s: hook does not parse: %v", name, err)
		}
		if !strings.Contains(src, `"`+atomicPackage(r)+`"`) {
			t.Errorf("%s: hook imports the wrong atomic package", name)
		}
		for i, w := range Windows {
			has := strings.Contains(src, "// "+w.Name+"\n")
			if has != w.In(r) {
				t.Errorf("%s: window %d %s in hook = %v", name, i+1, w.Name, has)
			}
		}
	}
}

func TestPrepareCopiesPatchesAndCaches(t *testing.T) {
	cache := t.TempDir()
	src, _ := filepath.Abs(filepath.Join("..", "testdata", "goroot"))
	r := release(t, "go1.22.12")
	dst, err := Prepare(src, cache, r)
	if err != nil {
		t.Fatal(err)
	}
	patched, _ := os.ReadFile(filepath.Join(dst, "src", "runtime", "proc.go"))
	if !strings.Contains(string(patched), "realgoStall(1, trace.ok())") {
		t.Error("the copy is not patched")
	}
	if orig := readFixture(t, "goroot"); strings.Contains(orig, "realgo") {
		t.Fatal("Prepare wrote through a hard link into the source tree")
	}
	if _, err := os.Stat(filepath.Join(dst, "src", "runtime", HookFile)); err != nil {
		t.Error(err)
	}
	// A second call reuses the copy: a marker file survives.
	marker := filepath.Join(dst, "marker")
	os.WriteFile(marker, nil, 0o644)
	if _, err := Prepare(src, cache, r); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(marker); err != nil {
		t.Error("Prepare remade a cached copy")
	}
	bad, _ := filepath.Abs(filepath.Join("..", "testdata", "noanchor"))
	if _, err := Prepare(bad, t.TempDir(), r); err == nil {
		t.Error("Prepare patched a tree without the anchors")
	}
}
