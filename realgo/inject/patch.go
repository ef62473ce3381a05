package inject

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Insert returns src (the text of src/runtime/<file>) with a realgoStall
// call at every window of r that lives in file.
func Insert(file, src string, r Release) (string, error) {
	lines := strings.Split(src, "\n")
	before := map[int][]string{}
	after := map[int][]string{}
	for i, w := range Windows {
		if w.File != file || !w.In(r) {
			continue
		}
		at, err := findAnchor(lines, w)
		if err != nil {
			return "", err
		}
		anchor := lines[at]
		indent := anchor[:len(anchor)-len(strings.TrimLeft(anchor, " \t"))]
		call := fmt.Sprintf("%srealgoStall(%d, %s) // schedfuzz realgo: window %s", indent, i+1, w.Arg, w.Name)
		if w.Before {
			before[at] = append(before[at], call)
		} else {
			after[at] = append(after[at], call)
		}
	}
	out := make([]string, 0, len(lines)+len(before)+len(after))
	for i, l := range lines {
		out = append(out, before[i]...)
		out = append(out, l)
		out = append(out, after[i]...)
	}
	return strings.Join(out, "\n"), nil
}

// findAnchor returns the line of w.Anchor inside w.Func: from its `func`
// line to the first line that is a lone closing brace.
func findAnchor(lines []string, w Window) (int, error) {
	where := "src/runtime/" + w.File
	start := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "func "+w.Func+"(") {
			start = i
			break
		}
	}
	if start < 0 {
		return 0, fmt.Errorf("%s: function %s not found (window %s)", where, w.Func, w.Name)
	}
	for i := start + 1; i < len(lines) && lines[i] != "}"; i++ {
		if strings.Contains(lines[i], w.Anchor) {
			return i, nil
		}
	}
	return 0, fmt.Errorf("%s: function %s has no line with %q (window %s)", where, w.Func, w.Anchor, w.Name)
}

// Patch inserts the hook calls and writes the hook file into the runtime of
// goroot, a writable tree (see Copy). Files are replaced, not written in
// place: Copy hard-links them to a read-only module cache.
func Patch(goroot string, r Release) error {
	rt := filepath.Join(goroot, "src", "runtime")
	files := map[string]bool{}
	for _, w := range Windows {
		if w.In(r) {
			files[w.File] = true
		}
	}
	for f := range files {
		path := filepath.Join(rt, f)
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out, err := Insert(f, string(src), r)
		if err != nil {
			return err
		}
		if err := replaceFile(path, out); err != nil {
			return err
		}
	}
	return replaceFile(filepath.Join(rt, HookFile), HookSource(r))
}

func replaceFile(path, text string) error {
	if err := os.Remove(path); err != nil && !os.IsNotExist(err) {
		return err
	}
	return os.WriteFile(path, []byte(text), 0o644)
}

// Copy makes dst a tree of src's files: hard links where the file system
// allows (a GOROOT is 200+ MB), copies otherwise; directories are new and
// writable.
func Copy(src, dst string) error {
	return filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		switch {
		case info.IsDir():
			return os.MkdirAll(target, 0o755)
		case info.Mode()&os.ModeSymlink != 0:
			link, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		}
		if os.Link(path, target) == nil {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm()|0o200)
	})
}

// Prepare returns a patched copy of goroot for r under cacheDir, made once:
// a stamp file holds the generated hook, so a changed hook remakes it.
func Prepare(goroot, cacheDir string, r Release) (string, error) {
	dst := filepath.Join(cacheDir, r.Name)
	stamp := filepath.Join(dst, ".schedfuzz-realgo")
	want := HookSource(r) + fmt.Sprintf("%+v\n", Windows)
	if got, err := os.ReadFile(stamp); err == nil && string(got) == want {
		return dst, nil
	}
	if err := os.RemoveAll(dst); err != nil {
		return "", err
	}
	if err := Copy(goroot, dst); err != nil {
		return "", fmt.Errorf("copying %s: %v", goroot, err)
	}
	if err := Patch(dst, r); err != nil {
		return "", err
	}
	return dst, os.WriteFile(stamp, []byte(want), 0o644)
}
