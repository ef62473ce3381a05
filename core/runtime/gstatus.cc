// Goroutine status transitions: proc.go readgstatus/casgstatus/castogscanstatus/
// casfrom_Gscanstatus and preempt.go suspendG/resumeG.
#include "absl/strings/str_format.h"

#include "core/runtime/runtime.h"

namespace schedfuzz::rt {

const char* GStatusName(uint32_t s) {
  const bool scan = s & _Gscan;
  switch (s & ~_Gscan) {
    case _Gidle: return scan ? "scan idle" : "idle";
    case _Grunnable: return scan ? "scan runnable" : "runnable";
    case _Grunning: return scan ? "scan running" : "running";
    case _Gsyscall: return scan ? "scan syscall" : "syscall";
    case _Gwaiting: return scan ? "scan waiting" : "waiting";
    case _Gdead: return scan ? "scan dead" : "dead";
    case _Gcopystack: return "copystack";
    case _Gpreempted: return scan ? "scan preempted" : "preempted";
  }
  return "???";
}

const char* PStatusName(uint32_t s) {
  switch (s) {
    case _Pidle: return "idle";
    case _Prunning: return "running";
    case _Psyscall: return "syscall";
    case _Pgcstop: return "gcstop";
    case _Pdead: return "dead";
  }
  return "???";
}

const char* WaitReasonString(waitReason r) {
  switch (r) {
    case waitReason::waitReasonZero: return "";
    case waitReason::waitReasonIOWait: return "IO wait";
    case waitReason::waitReasonChanReceive: return "chan receive";
    case waitReason::waitReasonPreempted: return "preempted";
    case waitReason::waitReasonStoppingTheWorld: return "stopping the world";
    case waitReason::waitReasonTraceGoroutineStatus: return "trace goroutine status";
    case waitReason::waitReasonGarbageCollection: return "garbage collection";
    case waitReason::waitReasonGarbageCollectionScan: return "garbage collection scan";
    case waitReason::waitReasonGCAssistMarking: return "GC assist marking";
    case waitReason::waitReasonGCWorkerActive: return "GC worker (active)";
    case waitReason::waitReasonGCMarkTermination: return "GC mark termination";
    case waitReason::waitReasonFlushProcCaches: return "flushing proc caches";
    case waitReason::waitReasonTraceProcStatus: return "trace proc status";
    case waitReason::waitReasonPageTraceFlush: return "page trace flush";
  }
  return "?";
}

// readgstatus (proc.go:1039): an atomic load of the status word.
uint32_t Runtime::readgstatus(g* gp, const char* site) { return gp->atomicstatus.Load(site); }

// casgstatus (proc.go:1105): CAS old -> new, spinning while someone holds the
// scan bit on old. No tracing happens here: callers wrap it in traceAcquire.
void Runtime::casgstatus(g* gp, uint32_t oldval, uint32_t newval, const char* site) {
  if ((oldval & _Gscan) || (newval & _Gscan) || oldval == newval) {
    throwf("casgstatus: bad incoming values %s -> %s at %s", GStatusName(oldval),
           GStatusName(newval), site);
  }
  for (;;) {
    if (gp->atomicstatus.Cas(oldval, newval, site)) break;
    const uint32_t now = gp->atomicstatus.Raw();  // what the failed CAS saw
    if (oldval == _Gwaiting && now == _Grunnable)
      throw_("casgstatus: waiting for Gwaiting but is Grunnable");
    if (now != (oldval | _Gscan)) {
      // Go would spin forever here; the model reports it instead.
      throwf("casgstatus: goroutine %d is %s, expected %s, at %s", gp->goid, GStatusName(now),
             GStatusName(oldval), site);
    }
    sim::SpinWait(site);
  }
  hooks.on_status(gp, oldval, newval, curm(), site);
}

// casGToWaiting (proc.go:1204; go1.27.4 proc.go:1401): the wait reason is
// set before the status, since whoever reads _Gwaiting reads the reason too.
void Runtime::casGToWaiting(g* gp, uint32_t old, waitReason reason, const char* site) {
  gp->waitreason = reason;
  casgstatus(gp, old, _Gwaiting, site);
}

// castogscanstatus (proc.go:1075): one attempt to set the scan bit.
bool Runtime::castogscanstatus(g* gp, uint32_t oldval, uint32_t newval, const char* site) {
  switch (oldval) {
    case _Grunnable:
    case _Grunning:
    case _Gwaiting:
    case _Gsyscall:
      if (newval == (oldval | _Gscan)) {
        const bool ok = gp->atomicstatus.Cas(oldval, newval, site);
        if (ok) hooks.on_status(gp, oldval, newval, curm(), site);
        return ok;
      }
  }
  throwf("castogscanstatus: bad %s -> %s", GStatusName(oldval), GStatusName(newval));
}

// casfrom_Gscanstatus (proc.go:1047): release the scan bit.
void Runtime::casfrom_Gscanstatus(g* gp, uint32_t oldval, uint32_t newval, const char* site) {
  bool ok = false;
  if ((oldval & _Gscan) && newval == (oldval & ~_Gscan))
    ok = gp->atomicstatus.Cas(oldval, newval, site);
  if (!ok) throwf("casfrom_Gscanstatus: bad %s -> %s", GStatusName(oldval), GStatusName(newval));
  hooks.on_status(gp, oldval, newval, curm(), site);
}

// suspendG (preempt.go:104), as traceAdvance's snapshot pass uses it: take
// the scan bit of a runnable, waiting or syscall goroutine; wait for a
// running one to stop running (the model has no asynchronous preemption: a
// running goroutine leaves _Grunning at its next scheduler call).
Runtime::suspendGState Runtime::suspendG(g* gp) {
  for (;;) {
    const uint32_t s = readgstatus(gp, "suspendG: readgstatus");
    switch (s) {
      case _Gdead: return {nullptr, true, false};
      case _Grunnable:
      case _Gsyscall:
      case _Gwaiting:
        if (castogscanstatus(gp, s, s | _Gscan, "suspendG: castogscanstatus"))
          return {gp, false, false};
        break;
      default:  // _Grunning, _Gcopystack, scan states: someone else owns it
        sim::SpinWait("suspendG: wait for goroutine to stop");
        break;
    }
  }
}

// resumeG (preempt.go:257): drop the scan bit taken by suspendG.
void Runtime::resumeG(suspendGState state) {
  if (state.dead) return;
  g* gp = state.gp;
  const uint32_t s = readgstatus(gp, "resumeG: readgstatus");
  if (!(s & _Gscan)) throw_("resumeG: expected a scan status");
  casfrom_Gscanstatus(gp, s, s & ~_Gscan, "resumeG: casfrom_Gscanstatus");
}

}  // namespace schedfuzz::rt
