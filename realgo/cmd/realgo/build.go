package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"schedfuzz/realgo/inject"
)

func progress(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "realgo: "+format+"\n", args...)
}

// goroot downloads release r through the module proxy (GOTOOLCHAIN) if need
// be and returns its GOROOT.
func goroot(r inject.Release) (string, error) {
	progress("resolving %s (GOTOOLCHAIN, through the module proxy)", r.Name)
	cmd := exec.Command("go", "env", "GOROOT")
	cmd.Env = append(os.Environ(), "GOTOOLCHAIN="+r.Name)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		msg := strings.TrimSpace(stderr.String())
		if i := strings.LastIndexByte(msg, '\n'); i >= 0 {
			msg = strings.TrimSpace(msg[i+1:])
		}
		return "", fmt.Errorf("unknown release %s: %s", r.Name, msg)
	}
	return strings.TrimSpace(string(out)), nil
}

// modfile picks the go.mod whose golang.org/x/exp reads r's traces: the
// 1.22 snapshot for go1.22, the newest x/exp (Go 1.26 format) for go1.26+.
func modfile(r inject.Release) (string, error) {
	switch {
	case r.Minor == 22:
		return "go.mod", nil
	case r.Minor >= 26:
		return "go126.mod", nil
	}
	return "", fmt.Errorf("release %s: no parser is pinned for go1.23-go1.25 traces (realgo/go.mod reads go1.22, realgo/go126.mod go1.26 and later)", r.Name)
}

// buildStress builds the stress program for r: with the release's own go
// command, or, when patched is a GOROOT, against that patched runtime.
func buildStress(c config, r inject.Release, root, patched string) (string, error) {
	mod, err := modfile(r)
	if err != nil {
		return "", err
	}
	bin := filepath.Join(c.repo, "build", "realgo", "bin", "stress-"+r.Name)
	args := []string{"build", "-modfile=" + mod, "-o"}
	env := os.Environ()
	goCmd := "go"
	if patched != "" {
		bin += "-hooks"
		args = append(args, bin, "-tags", "realgo_hooks", "./stress")
		goCmd = filepath.Join(patched, "bin", "go")
		env = append(env, "GOROOT="+patched, "GOTOOLCHAIN=local")
	} else {
		args = append(args, bin, "./stress")
		env = append(env, "GOTOOLCHAIN="+r.Name)
	}
	progress("building the stress program: %s %s", goCmd, strings.Join(args, " "))
	cmd := exec.Command(goCmd, args...)
	cmd.Dir = filepath.Join(c.repo, "realgo")
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building the stress program for %s failed: %v", r.Name, err)
	}
	return bin, nil
}

// patchedGoroot returns the cached patched copy of root for r.
func patchedGoroot(c config, r inject.Release, root string) (string, error) {
	cache := filepath.Join(c.repo, "build", "realgo", "goroot")
	progress("patching a copy of %s under %s", root, cache)
	return inject.Prepare(root, cache, r)
}

// godebug turns generations back to back where the release can.
func godebug(root string) string {
	src, err := os.ReadFile(filepath.Join(root, "src", "runtime", "runtime1.go"))
	if err == nil && bytes.Contains(src, []byte(`"traceadvanceperiod"`)) {
		return "traceadvanceperiod=0"
	}
	return ""
}
