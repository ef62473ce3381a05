// Package inject inserts schedfuzz's stall hook into a copy of a Go
// release's runtime at the windows the project's known findings name, so the
// stress program can hold one thread there as long as an OS preemption could.
package inject

import "fmt"

// Window is one finding's window: a point in a runtime function where the
// finding needs this thread to stop while others act, the precondition under
// which the hook stalls there, and the condition it stalls for.
//
// Pre and Cond are Go expressions in the generated hook (package runtime):
// ok is the caller's trace locker's ok(), gen0 and base are trace.gen and
// trace.lastNonZeroGen when the point is reached, g and last their values
// while stalled, armed is 1 around trace.Start and 2 around trace.Stop.
type Window struct {
	Name      string // the finding's id in core/oracle/known_findings.inc
	File      string // under src/runtime
	Func      string
	Anchor    string // a substring of the line the hook goes next to
	Before    bool   // insert before the anchor line (else after it)
	Arg       string // the ok argument, in the patched function's scope
	Since     int    // first minor release with this window
	Until     int    // first minor release without it (0: still there)
	Gone      string // why it is gone from Until on
	Pre, Cond string
	Point     string // the two points, for docs and reports
	Condition string // Cond in words
	CapUS     int64  // how long a stall may last at most
	HoldUS    int64  // how long to stay after Cond came true
	Every     int64  // stall only every Nth eligible time
	// Probe marks a window that is not a known finding: an ordering the
	// model flagged and docs/findings.md argues cannot break a trace.
	// `realgo probe NAME` widens it on the real runtime to test that.
	Probe bool
}

const syscallGone = "go1.26 restructured the syscall path: no _Psyscall, a P is taken from a syscalling goroutine through its scan bit, and entersyscallblock holds one trace critical section across its events and status change"

// Windows lists one window per known finding, then the probes. Index+1 is
// the window's id in the generated hook.
var Windows = []Window{
	{
		Name: "go70883", File: "proc.go", Func: "injectglist", Anchor: "for gp := head;", Before: true, Arg: "trace.ok()",
		Since: 22, Until: 26, Gone: "injectglist's status loop is inside its trace critical section",
		Point:     "right before injectglist's casgstatus loop: after its GoUnpark writes and traceRelease in go1.22.10, inside its trace critical section from go1.22.11 on",
		Pre:       "gen0 != 0",
		Cond:      "g != gen0 && g != gen0+1",
		Condition: "trace.gen moved on twice since the point was reached (or tracing stopped after one move)",
		CapUS:     20000, Every: 1,
	},
	{
		Name: "starttrace-pless-injectglist", File: "proc.go", Func: "injectglist", Anchor: "trace := traceAcquire()", Arg: "trace.ok()",
		Since: 22,
		Point: "after injectglist's traceAcquire, before its casgstatus loop",
		// The M must hold no runtime lock: sysmon also calls injectglist
		// without a P, but under sched.sysmonlock, which StartTrace takes
		// before it turns tracing on; stalling sysmon there stalls
		// StartTrace with it, and sysmon is not the finding.
		Pre: "!ok && getg().m.p == 0 && getg().m.locks == 0 && armed == 1",
		// StartTrace's first generation is base+1; it is over once trace.gen
		// moves past it, or tracing stops after it.
		Cond:      "g != base+1 && (g != 0 || last != base)",
		Condition: "StartTrace's first generation was flushed (trace.gen moved past it, or tracing stopped)",
		CapUS:     50000, Every: 1,
	},
	{
		Name: "entersyscallblock-procstop", File: "proc.go", Func: "entersyscallblock_handoff", Anchor: "handoffp(releasep())", Before: true, Arg: "trace.ok()",
		Since: 22, Until: 26, Gone: syscallGone,
		Point:     "after entersyscallblock_handoff's GoSyscallBegin (traceRelease), before releasep's ProcStop",
		Pre:       "gen0 != 0",
		Cond:      "g != gen0",
		Condition: "trace.gen moved on since GoSyscallBegin",
		CapUS:     5000, Every: 1,
	},
	{
		Name: "entersyscallblock", File: "proc.go", Func: "entersyscallblock", Anchor: "systemstack(entersyscallblock_handoff)", Before: true, Arg: "true",
		Since: 22, Until: 26, Gone: syscallGone,
		Point:     "after entersyscallblock's casgstatus(_Grunning, _Gsyscall), before entersyscallblock_handoff's traceAcquire",
		Pre:       "gen0 != 0",
		Cond:      "g != gen0",
		Condition: "trace.gen moved on since the status change",
		CapUS:     5000, Every: 1,
	},
	{
		Name: "gen-straggler", File: "proc.go", Func: "exitsyscallfast", Anchor: "if oldp != nil && oldp.status == _Psyscall", Before: true, Arg: "trace.ok()",
		Since: 22, Until: 26, Gone: syscallGone,
		Point:     "after exitsyscallfast's traceAcquire, before its CAS on the old P",
		Pre:       "ok",
		Cond:      "g != gen0",
		Condition: "trace.gen moved on since the traceAcquire (then the stall lasts the whole cap, for the next generation's writers to act)",
		CapUS:     3000, HoldUS: 3000, Every: 500,
	},
	{
		Name: "starttrace-exitsyscallfast", File: "proc.go", Func: "exitsyscallfast", Anchor: "if oldp != nil && oldp.status == _Psyscall", Before: true, Arg: "trace.ok()",
		Since: 22, Until: 26, Gone: syscallGone,
		Point:     "after exitsyscallfast's traceAcquire (tracing off), before its CAS on the old P",
		Pre:       "!ok && armed == 1",
		Cond:      "g != 0",
		Condition: "StartTrace turned tracing on (then 1 ms more)",
		CapUS:     20000, HoldUS: 1000, Every: 1,
	},
	{
		Name: "stoptrace-straggler", File: "proc.go", Func: "exitsyscallfast", Anchor: "if oldp != nil && oldp.status == _Psyscall", Before: true, Arg: "trace.ok()",
		Since: 22, Until: 26, Gone: syscallGone,
		Point:     "after exitsyscallfast's traceAcquire (tracing on), before its CAS on the old P",
		Pre:       "ok && armed == 2",
		Cond:      "g == 0",
		Condition: "StopTrace turned tracing off (then 2 ms more, for the P's owner to enter a syscall untraced)",
		CapUS:     20000, HoldUS: 2000, Every: 1,
	},
	// The two orderings of go1.26's syscall entry in which a goroutine is
	// _Grunning without a P after a traceAcquire that found tracing off: if
	// StartTrace turns tracing on there, the goroutine's change to
	// _Gsyscall has no event (docs/findings.md, "Go 1.27: two D1 windows
	// on the syscall path, refuted").
	{
		Name: "go127-reentersyscall-gcwait", File: "proc.go", Func: "reentersyscall", Anchor: "As soon as we switch to _Gsyscall, we are in danger", Before: true, Arg: "trace.ok()",
		Since: 26, Probe: true,
		Point: "after reentersyscall's entersyscallHandleGCWait gave the P to a stopping world, before casgstatus(_Grunning, _Gsyscall)",
		// m.p == 0: the pending stop-the-world took the P; armed == 1:
		// it is (most likely) StartTrace's.
		Pre:       "!ok && getg().m.p == 0 && armed == 1",
		Cond:      "g != 0",
		Condition: "StartTrace turned tracing on (then 2 ms more, for the trace to describe the goroutine)",
		CapUS:     20000, HoldUS: 2000, Every: 1,
	},
	{
		Name: "go127-entersyscallblock", File: "proc.go", Func: "entersyscallblock", Anchor: "if debugExtendGrunningNoP {", Before: true, Arg: "trace.ok()",
		Since: 26, Probe: true,
		Point:     "in entersyscallblock after handoffp(releasep()), before casgstatus(_Grunning, _Gsyscall) (the window Go marks debugExtendGrunningNoP)",
		Pre:       "!ok && armed == 1",
		Cond:      "g != 0",
		Condition: "StartTrace turned tracing on (then 2 ms more, for the trace to describe the goroutine)",
		CapUS:     20000, HoldUS: 2000, Every: 1,
	},
}

// Lookup finds a window by finding id; its id in the hook is the index + 1.
func Lookup(name string) (Window, int, bool) {
	for i, w := range Windows {
		if w.Name == name {
			return w, i + 1, true
		}
	}
	return Window{}, 0, false
}

// In reports whether the window exists in release r.
func (w Window) In(r Release) bool {
	return r.Minor >= w.Since && (w.Until == 0 || r.Minor < w.Until)
}

// Absence explains why the window is not in r ("" if it is).
func (w Window) Absence(r Release) string {
	if w.In(r) {
		return ""
	}
	if r.Minor < w.Since {
		return fmt.Sprintf("window %s does not exist in %s: it appears in go1.%d", w.Name, r.Name, w.Since)
	}
	return fmt.Sprintf("window %s does not exist in %s: %s", w.Name, r.Name, w.Gone)
}
