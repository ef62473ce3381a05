// Go 1.22 stopTheWorldWithSema and forEachP: a P in a system call sits in
// _Psyscall, and the CAS that moves it out (to _Pgcstop or _Pidle) is the
// steal, traced as ProcSteal. The caller is the tracer's M, which holds no P.
#include "core/runtime/go122/go122.h"

namespace schedfuzz::rt {

// stopTheWorldWithSema (proc.go:1449), from the tracer's P-less M or from a
// goroutine on its P (the garbage collector), whose P it stops first.
// StartTrace stops the world before it turns tracing on, so the STWStart
// traceAcquire at the top could only fail there; the model takes it for the
// collector's stops alone. The caller's goroutine stays _Grunning: Go 1.22's
// waitReasonStoppingTheWorld wait is stopTheWorld's (proc.go:1358), around
// this call, and gcStart and gcMarkDone call this directly (mgc.go:681, 864).
void Go122::stopTheWorldWithSema(stwReason reason) {
  if (reason != stwReason::stwStartTrace) {
    traceLocker tl = traceAcquire();
    if (tl.ok()) {
      tlSTWStart(tl, reason);
      traceRelease(tl);
    }
  }
  sched.lock.Lock("stopTheWorld: lock sched");
  sched.stopwait = gomaxprocs;
  sched.gcwaiting.Store(1, "stopTheWorld: store gcwaiting");
  preemptall();
  if (p* cur = curm()->pp) {
    cur->status.Store(_Pgcstop, "stopTheWorld: store Pgcstop (current P)");
    sched.stopwait--;
  }
  // Retake Ps in syscalls.
  traceLocker tl = traceAcquire();
  for (int i = 0; i < gomaxprocs; i++) {
    p* pp = &allp[i];
    const uint32_t s = pp->status.Load("stopTheWorld: load status");
    if (s == _Psyscall && pp->status.Cas(s, _Pgcstop, "stopTheWorld: cas Pgcstop")) {
      if (tl.ok()) tlProcSteal(tl, pp, false);
      pp->syscalltick.Add(1, "stopTheWorld: syscalltick++");
      sched.stopwait--;
    }
  }
  if (tl.ok()) traceRelease(tl);
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
  for (int i = 0; i < gomaxprocs; i++) {
    if (allp[i].status.Raw() != _Pgcstop) throw_("stopTheWorld: not stopped (status != _Pgcstop)");
  }
}

// forEachP (proc.go:1913) from a P-less M: fn runs for idle Ps right away,
// for running Ps at their M's next safe point, and for Ps in syscalls after
// they are stolen and handed off.
void Go122::forEachP() {
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
    const uint32_t s = p2->status.Load("forEachP: load status");
    traceLocker tl = traceAcquire();
    if (s == _Psyscall && p2->runSafePointFn.Load("forEachP: load runSafePointFn") == 1 &&
        p2->status.Cas(s, _Pidle, "forEachP: cas Pidle")) {
      if (tl.ok()) {
        tlProcSteal(tl, p2, false);
        traceRelease(tl);
      }
      p2->syscalltick.Add(1, "forEachP: syscalltick++");
      handoffp(p2);
    } else if (tl.ok()) {
      traceRelease(tl);
    }
  }
  if (wait) {
    sched.safePointNote.Sleep("forEachP: notetsleep(safePointNote)");
    sched.safePointNote.Clear();
  }
  if (sched.safePointWait != 0) throw_("forEachP: not done");
}

}  // namespace schedfuzz::rt
