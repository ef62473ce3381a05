// Go 1.27 stopTheWorldWithSema and forEachP: a P whose goroutine is in a
// syscall is taken through the goroutine's scan bit (setBlockOnExitSyscall),
// and releaseP traces its ProcSteal. The caller is the tracer's M, which holds
// no P.
#include "core/runtime/go127/go127.h"

namespace schedfuzz::rt {

// stopTheWorldWithSema (proc.go:1641), from the tracer's P-less M or from a
// goroutine on its P (the garbage collector), whose P it stops first. The
// calling goroutine waits with waitReasonStoppingTheWorld from before its
// STWStart until the world is stopped (untraced; the tracer reports it as
// running). The model leaves the tracer's own goroutine out of this, as it
// does its other status changes (docs/model.md).
void Go127::stopTheWorldWithSema(stwReason reason) {
  g* const curgp = curm()->curg != &tracer_g ? curm()->curg : nullptr;
  if (curgp)
    casGToWaitingForSuspendG(curgp, _Grunning, waitReason::waitReasonStoppingTheWorld,
                             "stopTheWorld: casGToWaitingForSuspendG");
  traceLocker tl = traceAcquire();
  if (tl.ok()) {
    tlSTWStart(tl, reason);
    traceRelease(tl);
  }
  sched.lock.Lock("stopTheWorld: lock sched");
  sched.stopwait = gomaxprocs;
  sched.gcwaiting.Store(1, "stopTheWorld: store gcwaiting");
  preemptall();
  if (p* cur = curm()->pp) {
    cur->status.Store(_Pgcstop, "stopTheWorld: store Pgcstop (current P)");
    sched.stopwait--;
  }
  // Stop Ps in syscalls.
  for (int i = 0; i < gomaxprocs; i++) {
    syscallingThread thread;
    if (setBlockOnExitSyscall(&allp[i], &thread)) {
      gcstopP(thread);
      resume(thread);
    }
  }
  // Stop idle Ps.
  while (p* pp = pidleget()) {
    pp->status.Store(_Pgcstop, "stopTheWorld: store Pgcstop (idle)");
    sched.stopwait--;
  }
  const bool wait = sched.stopwait > 0;
  sched.lock.Unlock("stopTheWorld: unlock sched");
  if (wait) {
    // Go re-preempts every 100us while waiting; goroutines here notice the
    // flag at their next check, so one request suffices.
    sched.stopnote.Sleep("stopTheWorld: notetsleep(stopnote)");
    sched.stopnote.Clear();
  }
  if (sched.stopwait != 0) throw_("stopTheWorld: not stopped (stopwait != 0)");
  for (int i = 0; i < gomaxprocs; i++) {
    if (allp[i].status.Raw() != _Pgcstop) throw_("stopTheWorld: not stopped (status != _Pgcstop)");
  }
  if (curgp) casgstatus(curgp, _Gwaiting, _Grunning, "stopTheWorld: casgstatus");
}

// forEachP / forEachPInternal (proc.go:2129, 2158) from a P-less M: fn runs
// for idle Ps right away, for running Ps at their M's next safe point, and
// for Ps whose goroutine is in a syscall after they are taken and handed off
// (handoffp runs fn for them).
void Go127::forEachP() {
  sched.lock.Lock("forEachP: lock sched");
  if (sched.safePointWait != 0) throw_("forEachP: sched.safePointWait != 0");
  sched.safePointWait = gomaxprocs;
  for (int i = 0; i < gomaxprocs; i++)
    allp[i].runSafePointFn.Store(1, "forEachP: store runSafePointFn");
  preemptall();
  for (p* pp = sched.pidle; pp; pp = pp->link) {
    if (pp->runSafePointFn.Cas(1, 0, "forEachP: cas runSafePointFn (idle)")) {
      safePointFn(pp);
      sched.safePointWait--;
    }
  }
  const bool wait = sched.safePointWait > 0;
  sched.lock.Unlock("forEachP: unlock sched");
  for (int i = 0; i < gomaxprocs; i++) {
    p* p2 = &allp[i];
    if (p2->runSafePointFn.Load("forEachP: load runSafePointFn") != 1) continue;
    syscallingThread thread;
    if (setBlockOnExitSyscall(p2, &thread)) {
      takeP(thread);
      resume(thread);
      handoffp(p2);
    }
  }
  if (wait) {
    sched.safePointNote.Sleep("forEachP: notetsleep(safePointNote)");
    sched.safePointNote.Clear();
  }
  if (sched.safePointWait != 0) throw_("forEachP: not done");
}

}  // namespace schedfuzz::rt
