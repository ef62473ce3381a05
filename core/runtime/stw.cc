// Stopping and starting the world: what both releases share (preemptall,
// startTheWorldWithSema with procresize's P redistribution).
// stopTheWorldWithSema and forEachP take Ps out of system calls, which the
// releases do differently: core/runtime/go122/stw.cc and
// core/runtime/go127/stw.cc. The caller is the tracer's M, which holds no P,
// or a goroutine running the garbage collector (mgc.cc), which keeps its P.
#include "core/runtime/runtime.h"

namespace schedfuzz::rt {

// preemptall (proc.go:6229): ask every running goroutine but the caller's to
// stop at its next preemption check (op boundaries and work steps in the
// model); preemptone (proc.go:6205) leaves the calling M's alone.
void Runtime::preemptall() {
  for (int i = 0; i < gomaxprocs; i++) {
    p* pp = &allp[i];
    if (pp->status.Load("preemptall: load status") != _Prunning) continue;
    if (pp->mp && pp->mp != curm() && pp->mp->curg) pp->mp->curg->preempt = true;
  }
}

// startTheWorldWithSema (proc.go:1519), with procresize(gomaxprocs) reduced
// to giving every stopped P back (no P count change); a caller with a P
// keeps it.
void Runtime::startTheWorldWithSema() {
  {
    int delta = 0;
    gList list = netpoll(false, PollPath::kStartTheWorld, &delta);
    injectglist(&list);
    netpollWaiters.Add(delta, "netpollAdjustWaiters");
  }
  sched.lock.Lock("startTheWorld: lock sched");
  // procresize (proc.go:5601)
  traceLocker tl = traceAcquire();
  if (tl.ok()) {
    tlGomaxprocs(tl);
    traceRelease(tl);
  }
  // A goroutine that stopped the world (the garbage collector) keeps its P.
  p* cur = curm()->pp;
  if (cur) cur->status.Store(_Prunning, "procresize: store Prunning (current P)");
  p* runnablePs = nullptr;
  for (int i = gomaxprocs - 1; i >= 0; i--) {
    p* pp = &allp[i];
    if (pp == cur) continue;
    pp->mp = nullptr;
    pp->status.Store(_Pidle, "procresize: store Pidle");
    if (runqempty(pp)) {
      pidleput(pp);
    } else {
      pp->mp = mget();
      pp->link = runnablePs;
      runnablePs = pp;
    }
  }
  sched.gcwaiting.Store(0, "startTheWorld: clear gcwaiting");
  sched.lock.Unlock("startTheWorld: unlock sched");
  while (runnablePs) {
    p* pp = runnablePs;
    runnablePs = pp->link;
    if (pp->mp) {
      m* mp = pp->mp;
      pp->mp = nullptr;
      if (mp->nextp) throw_("startTheWorld: inconsistent mp->nextp");
      mp->nextp = pp;
      mp->park.Wakeup("startTheWorld: notewakeup(m.park)");
    } else {
      startm(pp, false, false);  // newm
    }
  }
  tl = traceAcquire();
  if (tl.ok()) {
    tlSTWDone(tl);
    traceRelease(tl);
  }
  wakep();
}

}  // namespace schedfuzz::rt
