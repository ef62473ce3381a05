package inject

import (
	"fmt"
	"regexp"
	"strconv"
)

// Release is a Go release as the module proxy names it (go1.22.10).
type Release struct {
	Name  string
	Minor int
	Patch int
}

var releaseRE = regexp.MustCompile(`^go1\.([0-9]+)(?:\.([0-9]+))?$`)

// ParseRelease accepts go1.Y and go1.Y.Z from go1.22 on: the execution tracer
// this harness reasons about first shipped in go1.22.
func ParseRelease(s string) (Release, error) {
	m := releaseRE.FindStringSubmatch(s)
	if m == nil {
		return Release{}, fmt.Errorf("release %q: want goX.Y.Z, e.g. go1.22.10", s)
	}
	minor, _ := strconv.Atoi(m[1])
	patch := 0
	if m[2] != "" {
		patch, _ = strconv.Atoi(m[2])
	}
	if minor < 22 {
		return Release{}, fmt.Errorf("release %s: the harness needs go1.22 or later (the tracer it tests)", s)
	}
	return Release{Name: s, Minor: minor, Patch: patch}, nil
}
