package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"schedfuzz/realgo/inject"
	"schedfuzz/realgo/known"
	"schedfuzz/realgo/summary"
)

// stall is the window a confirm run activates.
type stall struct {
	w      inject.Window
	id     int
	capUS  int64
	holdUS int64
	every  int64
}

// runStress runs bin for c.seconds and returns its summary.
func runStress(c config, bin, root, outDir string, st *stall) (*summary.Summary, error) {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	js := filepath.Join(outDir, "summary.json")
	args := []string{
		"-time", strconv.Itoa(c.seconds) + "s", "-procs", strconv.Itoa(c.procs),
		"-json", js, "-fail-dir", filepath.Join(outDir, "failed"),
	}
	if c.saveAll != "" {
		args = append(args, "-save-all", c.saveAll)
	}
	if st != nil {
		args = append(args, "-window", st.w.Name, "-window-id", strconv.Itoa(st.id),
			"-cap-us", strconv.FormatInt(st.capUS, 10), "-hold-us", strconv.FormatInt(st.holdUS, 10),
			"-every", strconv.FormatInt(st.every, 10))
	}
	env := os.Environ()
	gd := godebug(root)
	if gd != "" {
		env = append(env, "GODEBUG="+gd)
	}
	progress("running %d s (GODEBUG=%s): %s %v", c.seconds, gd, bin, args)
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("the stress program failed: %v", err)
	}
	f, err := os.Open(js)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return summary.ReadJSON(f)
}

func defaultOut(c config, what string) string {
	if c.out != "" {
		return c.out
	}
	return filepath.Join(c.repo, "build", "realgo", "runs", what+"-"+c.release+"-"+time.Now().Format("20060102-150405"))
}

// releaseAndTable reads what every run needs first: the release and the
// known-findings table.
func releaseAndTable(c config) (inject.Release, []known.Finding, error) {
	r, err := inject.ParseRelease(c.release)
	if err != nil {
		return r, nil, err
	}
	fs, err := known.Load(filepath.Join(c.repo, "core", "oracle", "known_findings.inc"))
	return r, fs, err
}

// result is what --json writes.
type result struct {
	Command string           `json:"command"`
	Finding string           `json:"finding,omitempty"`
	Release string           `json:"release"`
	Verdict string           `json:"verdict"`
	Detail  string           `json:"detail"`
	Summary *summary.Summary `json:"summary,omitempty"`
	Counts  map[string]int   `json:"known_counts,omitempty"`
}

func finish(c config, res result, code int) (int, error) {
	fmt.Printf("verdict: %s: %s\n", res.Verdict, res.Detail)
	if c.jsonFile == "" {
		return code, nil
	}
	data, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return 2, err
	}
	return code, os.WriteFile(c.jsonFile, append(data, '\n'), 0o644)
}

func natural(c config) (int, error) {
	r, fs, err := releaseAndTable(c)
	if err != nil {
		return 2, err
	}
	root, err := goroot(r)
	if err != nil {
		return 2, err
	}
	bin, err := buildStress(c, r, root, "")
	if err != nil {
		return 2, err
	}
	s, err := runStress(c, bin, root, defaultOut(c, "natural"), nil)
	if err != nil {
		return 2, err
	}
	// Several findings predict the same first line (the frontier prefix):
	// a natural failure is counted once, under every finding it may be.
	counts, explained := map[string]int{}, 0
	var order []string
	ids := map[string][]string{}
	for _, f := range fs {
		if f.Predicted == "" {
			continue
		}
		if _, seen := ids[f.Predicted]; !seen {
			order = append(order, f.Predicted)
		}
		ids[f.Predicted] = append(ids[f.Predicted], f.ID)
	}
	for _, p := range order {
		n := s.Count(p)
		if n == 0 {
			continue
		}
		explained += n
		for _, id := range ids[p] {
			counts[id] = n
		}
		fmt.Printf("%d of %d traces: %s (predicted by %s)\n", n, s.Traces, p, strings.Join(ids[p], ", "))
	}
	detail := fmt.Sprintf("%d of %d traces on %s failed; %d with a known finding's predicted error", s.Failures, s.Traces, r.Name, explained)
	return finish(c, result{Command: "natural", Release: r.Name, Verdict: "ran", Detail: detail, Summary: s, Counts: counts}, 0)
}

func confirm(c config) (int, error) {
	r, fs, err := releaseAndTable(c)
	if err != nil {
		return 2, err
	}
	f, ok := known.Lookup(fs, c.finding)
	if !ok {
		return 2, fmt.Errorf("unknown finding %q (see core/oracle/known_findings.inc)", c.finding)
	}
	w, id, ok := inject.Lookup(f.ID)
	if !ok || w.Probe {
		return 2, fmt.Errorf("finding %s has no window in realgo/inject", f.ID)
	}
	res := result{Command: "confirm", Finding: f.ID, Release: r.Name}
	if why := w.Absence(r); why != "" {
		res.Verdict, res.Detail = "not exercised", why
		return finish(c, res, 1)
	}
	s, err := runWindow(c, r, w, id, "confirm-"+f.ID)
	if err != nil {
		return 2, err
	}
	res.Summary = s
	res.Verdict, res.Detail = verdict(f, s)
	if res.Verdict == "confirmed" {
		return finish(c, res, 0)
	}
	return finish(c, res, 1)
}

// runWindow builds the stress program against r's runtime patched with every
// window of r, and runs it with window w (id in the hook) active.
func runWindow(c config, r inject.Release, w inject.Window, id int, what string) (*summary.Summary, error) {
	if _, err := modfile(r); err != nil {
		return nil, err
	}
	st := &stall{w: w, id: id, capUS: w.CapUS, holdUS: w.HoldUS, every: w.Every}
	if c.capMS > 0 {
		st.capUS = int64(c.capMS) * 1000
	}
	if st.holdUS > st.capUS {
		st.holdUS = st.capUS
	}
	if c.every > 0 {
		st.every = c.every
	}
	root, err := goroot(r)
	if err != nil {
		return nil, err
	}
	patched, err := patchedGoroot(c, r, root)
	if err != nil {
		return nil, err
	}
	bin, err := buildStress(c, r, root, patched)
	if err != nil {
		return nil, err
	}
	progress("window %s: %s; stalls until %s (cap %d us, every %d)", w.Name, w.Point, w.Condition, st.capUS, st.every)
	return runStress(c, bin, patched, defaultOut(c, what), st)
}

// probe widens a window that is not a known finding (inject.Window.Probe)
// and reports whether any trace broke while it was held.
func probe(c config) (int, error) {
	r, err := inject.ParseRelease(c.release)
	if err != nil {
		return 2, err
	}
	w, id, ok := inject.Lookup(c.finding)
	if !ok || !w.Probe {
		var names []string
		for _, w := range inject.Windows {
			if w.Probe {
				names = append(names, w.Name)
			}
		}
		why := "unknown window"
		if ok {
			why = "a known finding's window (use confirm)"
		}
		return 2, fmt.Errorf("probe %q: %s; the probes are %s", c.finding, why, strings.Join(names, ", "))
	}
	res := result{Command: "probe", Finding: w.Name, Release: r.Name}
	if why := w.Absence(r); why != "" {
		res.Verdict, res.Detail = "not exercised", why
		return finish(c, res, 1)
	}
	s, err := runWindow(c, r, w, id, "probe-"+w.Name)
	if err != nil {
		return 2, err
	}
	res.Summary = s
	res.Verdict, res.Detail = probeVerdict(w, s)
	if res.Verdict == "broke traces" {
		return finish(c, res, 0)
	}
	return finish(c, res, 1)
}

// probeVerdict decides a probe run: a failure in a trace with a stall
// whose condition came true is what the refutation says cannot happen.
func probeVerdict(w inject.Window, s *summary.Summary) (string, string) {
	win := s.Window
	if s.StalledFail > 0 {
		return "broke traces", fmt.Sprintf("%s on %s: %d of %d traces with a stall failed (%s); %d of %d without",
			w.Name, s.GoVersion, s.StalledFail, s.Stalled, strings.Join(s.Messages(), "; "), s.Failures-s.StalledFail, s.Traces-s.Stalled)
	}
	if win == nil || win.Met == 0 {
		reached, eligible := uint64(0), uint64(0)
		if win != nil {
			reached, eligible = win.Reached, win.Eligible
		}
		return "not exercised", fmt.Sprintf("%s on %s: the window's point ran %d times, its precondition held %d times, its condition never (%d traces)",
			w.Name, s.GoVersion, reached, eligible, s.Traces)
	}
	return "no broken trace", fmt.Sprintf("%s on %s: window reached %d times (eligible %d, stalled %d), condition met %d times; %d traces with a stall, none failed (%d of %d without a stall failed)",
		w.Name, s.GoVersion, win.Reached, win.Eligible, win.Stalled, win.Met, s.Stalled, s.Failures, s.Traces-s.Stalled)
}

// verdict decides a confirm run from its summary.
func verdict(f known.Finding, s *summary.Summary) (string, string) {
	win := s.Window
	if n := s.Count(f.Predicted); n > 0 {
		return "confirmed", fmt.Sprintf("%s on %s: %q in %d of %d traces (%d of %d traces with a stall failed, %d of %d without)",
			f.ID, s.GoVersion, f.Predicted, n, s.Traces, s.StalledFail, s.Stalled, s.Failures-s.StalledFail, s.Traces-s.Stalled)
	}
	if win == nil || win.Eligible == 0 {
		reached := uint64(0)
		if win != nil {
			reached = win.Reached
		}
		return "not exercised", fmt.Sprintf("%s on %s: the window's point ran %d times, its precondition never held (%d traces)",
			f.ID, s.GoVersion, reached, s.Traces)
	}
	what := fmt.Sprintf("no %q", f.Predicted)
	if f.Predicted == "" {
		what = "the table predicts no parser error for it (a discipline finding)"
	}
	return "not reproduced", fmt.Sprintf("%s on %s: window reached %d times (eligible %d, stalled %d), condition met %d times; %s in %d traces (%d failed otherwise)",
		f.ID, s.GoVersion, win.Reached, win.Eligible, win.Stalled, win.Met, what, s.Traces, s.Failures)
}

func listWindows(c config) error {
	var r *inject.Release
	if c.release != "" {
		rel, err := inject.ParseRelease(c.release)
		if err != nil {
			return err
		}
		r = &rel
	}
	for i, w := range inject.Windows {
		fmt.Printf("%d %s\n  %s in src/runtime/%s: %s\n  stalls while %s, until %s; cap %d us, every %d\n",
			i+1, w.Name, w.Func, w.File, w.Point, w.Pre, w.Condition, w.CapUS, w.Every)
		if r != nil {
			if why := w.Absence(*r); why != "" {
				fmt.Printf("  %s\n", why)
			} else {
				fmt.Printf("  present in %s\n", r.Name)
			}
		}
	}
	return nil
}
