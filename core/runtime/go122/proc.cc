// Go 1.22 park_m, goschedImpl and goyield_m (proc.go): the status leaves
// _Grunning first and the event (GoBlock, GoStop) follows, in one trace
// critical section.
#include "core/runtime/go122/go122.h"

namespace schedfuzz::rt {

// gopark (proc.go:385) + park_m (proc.go:4007): running -> waiting with
// GoPark/GoBlock in one critical section, dropg, then the unlock function.
// If it says not to sleep after all, waiting -> runnable with GoUnpark and
// the same M executes the goroutine again. Returns true if gp parked.
bool Go122::gopark_m(g* gp, waitReason reason, ParkCommit commit, int arg) {
  gp->waitreason = reason;
  traceLocker tl = traceAcquire();
  casgstatus(gp, _Grunning, _Gwaiting, "park_m: casgstatus");
  if (tl.ok()) {
    tlGoPark(tl, reason);
    traceRelease(tl);
  }
  dropg();
  const bool ok = waitunlockf(gp, commit, arg);
  if (!ok) {
    traceLocker tl2 = traceAcquire();
    casgstatus(gp, _Gwaiting, _Grunnable, "park_m: casgstatus (unlockf failed)");
    if (tl2.ok()) {
      tlGoUnpark(tl2, gp);
      traceRelease(tl2);
    }
    curm()->resume_g = gp;  // execute(gp, true)
    curm()->resume_inherit = true;
    return false;
  }
  return true;
}

// goschedImpl (proc.go:4039): running -> runnable, to the global queue.
void Go122::goschedImpl(g* gp) {
  const bool preempted = gp->preempt;
  gp->preempt = false;
  traceLocker tl = traceAcquire();
  const uint32_t status = readgstatus(gp, "goschedImpl: readgstatus");
  if ((status & ~_Gscan) != _Grunning) throw_("bad g status");
  casgstatus(gp, _Grunning, _Grunnable, "goschedImpl: casgstatus");
  if (tl.ok()) {
    if (preempted)
      tlGoPreempt(tl);
    else
      tlGoSched(tl);
    traceRelease(tl);
  }
  dropg();
  sched.lock.Lock("goschedImpl: lock sched");
  globrunqput(gp);
  sched.lock.Unlock("goschedImpl: unlock sched");
  wakep();
}

// goyield_m (proc.go:4152): like Gosched but to the local queue's tail.
void Go122::goyield_m(g* gp) {
  traceLocker tl = traceAcquire();
  p* pp = gp->mp->pp;
  casgstatus(gp, _Grunning, _Grunnable, "goyield_m: casgstatus");
  if (tl.ok()) {
    tlGoPreempt(tl);
    traceRelease(tl);
  }
  dropg();
  runqput(pp, gp, false);
}

}  // namespace schedfuzz::rt
