// Go 1.27 park_m, goschedImpl and goyield_m (proc.go). The event (GoBlock,
// GoStop) comes before the status leaves _Grunning, in the same trace
// critical section: the event's stack trace is taken while the goroutine's
// stack is still its own, which it no longer is once another M may pick the
// goroutine up (Go 1.22 changed the status first).
#include "core/runtime/go127/go127.h"

namespace schedfuzz::rt {

// gopark (proc.go:457) + park_m (proc.go:4268): GoPark/GoBlock then running
// -> waiting in one critical section, dropg, then the unlock function. If it
// says not to sleep after all, waiting -> runnable with GoUnpark and the same
// M executes the goroutine again. Returns true if gp parked.
bool Go127::gopark_m(g* gp, waitReason reason, ParkCommit commit, int arg) {
  gp->waitreason = reason;
  traceLocker tl = traceAcquire();
  if (tl.ok()) tlGoPark(tl, reason);
  casgstatus(gp, _Grunning, _Gwaiting, "park_m: casgstatus");
  if (tl.ok()) traceRelease(tl);
  dropg();
  if (!waitunlockf(gp, commit, arg)) {
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

// goschedImpl (proc.go:4322): GoStop then running -> runnable; a goroutine
// preempted for a pending stop-the-world goes back to its own P's queue, any
// other to the global queue.
void Go127::goschedImpl(g* gp) {
  const bool preempted = gp->preempt;
  gp->preempt = false;
  p* pp = gp->mp->pp;
  traceLocker tl = traceAcquire();
  const uint32_t status = readgstatus(gp, "goschedImpl: readgstatus");
  if ((status & ~_Gscan) != _Grunning) throw_("bad g status");
  if (tl.ok()) {
    if (preempted)
      tlGoPreempt(tl);
    else
      tlGoSched(tl);
  }
  casgstatus(gp, _Grunning, _Grunnable, "goschedImpl: casgstatus");
  if (tl.ok()) traceRelease(tl);
  dropg();
  if (preempted && sched.gcwaiting.Load("goschedImpl: load gcwaiting")) {
    runqput(pp, gp, true);
  } else {
    sched.lock.Lock("goschedImpl: lock sched");
    globrunqput(gp);
    sched.lock.Unlock("goschedImpl: unlock sched");
  }
  wakep();
}

// goyield_m (proc.go:4471): GoPreempt then running -> runnable, to the local
// queue's tail.
void Go127::goyield_m(g* gp) {
  traceLocker tl = traceAcquire();
  p* pp = gp->mp->pp;
  if (tl.ok()) tlGoPreempt(tl);
  casgstatus(gp, _Grunning, _Grunnable, "goyield_m: casgstatus");
  if (tl.ok()) traceRelease(tl);
  dropg();
  runqput(pp, gp, false);
}

}  // namespace schedfuzz::rt
