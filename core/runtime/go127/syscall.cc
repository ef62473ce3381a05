// Go 1.27 system calls (proc.go): reentersyscall, entersyscallblock,
// exitsyscall with its slow paths, and the scan-bit protocol that takes a P
// from a goroutine in a syscall (setBlockOnExitSyscall and syscallingThread),
// used by sysmon's retake, stop-the-world and forEachP.
//
// A goroutine in a syscall keeps its P wired and in _Prunning. What makes the
// P "in a syscall" is the goroutine's _Gsyscall. To take the P, another M
// first sets the goroutine's scan bit while it is in _Gsyscall and checks that
// the goroutine is still on the same M and P. While the scan bit is held,
// exitsyscall's casgstatus(_Gsyscall -> _Grunning) spins, so the P can be
// unwired (releaseP) and its ProcSteal traced before the goroutine can look
// at it. When exitsyscall then finds its M without a P, it knows the P was
// taken, and the ProcSteal is already in the trace.
#include "core/runtime/go127/go127.h"

namespace schedfuzz::rt {

// entersyscall (proc.go:4776).
void Go127::entersyscall() { reentersyscall(); }

// reentersyscall (proc.go:4642): GoSyscallBegin is written while the
// goroutine still runs and the P is still its own (the event writer reads the
// P), and the tracer is held across casgstatus(_Grunning -> _Gsyscall): once
// the goroutine is in _Gsyscall its P may be taken, and the event must be in
// the generation the status change happened in.
void Go127::reentersyscall() {
  m* mp = curm();
  g* gp = mp->curg;
  mp->locks++;
  mp->syscalltick = mp->pp->syscalltick.Load("reentersyscall: load syscalltick");
  p* pp = mp->pp;
  if (pp->runSafePointFn.Load("reentersyscall: load runSafePointFn") != 0) runSafePointFn();
  mp->oldp = pp;
  gp->syscallsp = true;  // save(pc, sp, bp)
  traceLocker tl = traceAcquire();
  if (tl.ok()) tlGoSysCall(tl);
  if (sched.gcwaiting.Load("reentersyscall: load gcwaiting")) entersyscallHandleGCWait(tl);
  casgstatus(gp, _Grunning, _Gsyscall, "reentersyscall: casgstatus");
  if (tl.ok()) traceRelease(tl);
  mp->locks--;
}

// entersyscallHandleGCWait (proc.go:4794): a stop-the-world is pending, so
// the P goes to it right away, still under the caller's traceLocker.
void Go127::entersyscallHandleGCWait(traceLocker tl) {
  m* mp = curm();
  sched.lock.Lock("entersyscallHandleGCWait: lock sched");
  if (sched.stopwait > 0) {
    p* pp = mp->pp;
    pp->mp = nullptr;
    mp->pp = nullptr;
    pp->status.Store(_Pgcstop, "entersyscallHandleGCWait: store Pgcstop");
    if (tl.ok()) tlProcStop(tl, pp);
    pp->syscalltick.Add(1, "entersyscallHandleGCWait: syscalltick++");
    if (--sched.stopwait == 0) sched.stopnote.Wakeup("entersyscallHandleGCWait: wake stopTheWorld");
  }
  sched.lock.Unlock("entersyscallHandleGCWait: unlock sched");
}

// entersyscallblock (proc.go:4830): one trace critical section covers the
// GoSyscallBegin, the P hand-off (releasep's ProcStop nests inside it) and
// casgstatus(_Grunning -> _Gsyscall). Go's order is event, hand-off, status:
// the event needs the P, and once the goroutine is in _Gsyscall the P must
// already be gone. In between the goroutine is _Grunning without a P.
void Go127::entersyscallblock() {
  m* mp = curm();
  g* gp = mp->curg;
  mp->locks++;
  mp->syscalltick = mp->pp->syscalltick.Load("entersyscallblock: load syscalltick");
  mp->pp->syscalltick.Add(1, "entersyscallblock: syscalltick++");
  gp->syscallsp = true;  // save(pc, sp, bp)
  traceLocker tl = traceAcquire();
  if (tl.ok()) tlGoSysCall(tl);
  handoffp(releasep());
  casgstatus(gp, _Grunning, _Gsyscall, "entersyscallblock: casgstatus (go1.27)");
  if (tl.ok()) traceRelease(tl);
  mp->locks--;
}

// exitsyscall (proc.go:4922). The goroutine becomes _Grunning first, with no
// tracer held: a P-less M in the runtime cannot be stopped by the tracer, and
// the events that follow describe the transition after it (trace.go
// invariant 7). Then: still holding the P (GoSyscallEnd, or, if the P's
// syscalltick moved on, a ProcSteal of its own P and a restart), or a P taken
// back or found idle (ProcStart, GoSyscallEndBlocked, GoStart), or none
// (exitsyscallNoP).
bool Go127::exitsyscall() {
  m* mp = curm();
  g* gp = mp->curg;
  mp->locks++;
  casgstatus(gp, _Gsyscall, _Grunning, "exitsyscall: casgstatus");
  p* oldp = mp->oldp;
  mp->oldp = nullptr;
  p* pp = mp->pp;
  if (pp != nullptr) {
    traceLocker tl = traceAcquire();
    if (tl.ok()) {
      if (pp->syscalltick.Load("exitsyscall: load syscalltick") == mp->syscalltick) {
        tlGoSysExit(tl, false);
      } else {
        tlProcSteal(tl, pp);
        tlProcStart(tl);
        tlGoSysExit(tl, true);
        tlGoStart(tl);
      }
      traceRelease(tl);
    }
  } else {
    pp = exitsyscallTryGetP(oldp);
    if (pp != nullptr) {
      wirep(pp);  // acquirepNoTrace
      traceLocker tl = traceAcquire();
      if (tl.ok()) {
        tlProcStart(tl);
        tlGoSysExit(tl, true);
        tlGoStart(tl);
        traceRelease(tl);
      }
    }
    pp = mp->pp;
  }
  if (pp != nullptr) {
    pp->syscalltick.Add(1, "exitsyscall: syscalltick++");
    gp->syscallsp = false;
    mp->locks--;
    return true;
  }
  mp->locks--;
  exitsyscallNoP(gp);  // mcall
  return false;
}

// exitsyscallTryGetP (proc.go:5072): the old P back if the goroutine that has
// it now is in a syscall itself (taken through its scan bit), else an idle P.
p* Go127::exitsyscallTryGetP(p* oldp) {
  if (oldp != nullptr) {
    syscallingThread thread;
    if (setBlockOnExitSyscall(oldp, &thread)) {
      takeP(thread);
      resume(thread);
      return oldp;
    }
  }
  if (sched.pidle != nullptr) {
    sched.lock.Lock("exitsyscallTryGetP: lock sched");
    p* pp = pidleget();
    sched.lock.Unlock("exitsyscallTryGetP: unlock sched");
    if (pp != nullptr) return pp;
  }
  return nullptr;
}

// exitsyscallNoP (proc.go:5106): _Grunning -> _Grunnable with
// GoSyscallEndBlocked, announced to StartTrace through trace.exitingSyscall;
// then an idle P to run on, or the global queue and stopm.
void Go127::exitsyscallNoP(g* gp) {
  m* mp = curm();
  trace.exitingSyscall.Add(1, "traceExitingSyscall");
  mp->exiting_syscall = true;
  traceLocker tl = traceAcquire();
  casgstatus(gp, _Grunning, _Grunnable, "exitsyscallNoP: casgstatus");
  trace.exitingSyscall.Add(-1, "traceExitedSyscall");
  mp->exiting_syscall = false;
  if (tl.ok()) {
    tlGoSysExit(tl, true);
    traceRelease(tl);
  }
  // Go clears g.syscallsp when the goroutine runs again; nothing reads it
  // while the goroutine is off every M.
  gp->syscallsp = false;
  dropg();
  sched.lock.Lock("exitsyscallNoP: lock sched");
  p* pp = pidleget();
  if (pp == nullptr) globrunqput(gp);
  sched.lock.Unlock("exitsyscallNoP: unlock sched");
  if (pp != nullptr) {
    acquirep(pp);
    mp->resume_g = gp;  // execute(gp, false): run by the M's loop
    return;
  }
  stopm();
}

// retake (proc.go:6681), the syscall part plus preemptone for goroutines
// that have run for a whole sysmon round. Time is sysmon rounds here: a P
// whose syscalltick did not change since the previous round has been in its
// syscall for "long enough" (Go: 20us, or 10ms with nothing else to do).
uint32_t Go127::retake() {
  uint32_t n = 0;
  for (int i = 0; i < gomaxprocs; i++) {
    p* pp = &allp[i];
    if (pp->status.Load("retake: load status") != _Prunning) continue;
    bool sysretake = false;
    const uint32_t t = pp->schedtick;
    if (pp->sysmon_schedtick != t) {
      pp->sysmon_schedtick = t;
    } else {
      if (pp->mp && pp->mp->curg) pp->mp->curg->preempt = true;  // preemptone
      sysretake = true;
    }
    syscallingThread thread;
    if (!setBlockOnExitSyscall(pp, &thread)) continue;
    const uint32_t st = pp->syscalltick.Load("retake: load syscalltick");
    if (!sysretake && pp->sysmon_syscalltick != st) {
      pp->sysmon_syscalltick = st;
      resume(thread);
      continue;
    }
    takeP(thread);
    resume(thread);
    n++;
    handoffp(pp);
  }
  return n;
}

// setBlockOnExitSyscall (proc.go:6801): hold the scan bit of the goroutine
// in a syscall on pp, if it is still on pp's M and that M still has pp.
// The reads of pp.m and m.curg are racy in Go too; the scan-bit CAS and the
// re-check after it are what make the result reliable.
bool Go127::setBlockOnExitSyscall(p* pp, syscallingThread* out) {
  if (pp->status.Load("setBlockOnExitSyscall: load status") != _Prunning) return false;
  m* mp = pp->mp;
  if (mp == nullptr) return false;
  g* gp = mp->curg;
  if (gp == nullptr) return false;
  const uint32_t status = readgstatus(gp, "setBlockOnExitSyscall: readgstatus") & ~_Gscan;
  if (status != _Gsyscall) return false;
  if (!castogscanstatus(gp, status, status | _Gscan, "setBlockOnExitSyscall: castogscanstatus"))
    return false;
  if (gp->mp != mp || mp->pp != pp) {
    casfrom_Gscanstatus(gp, status | _Gscan, status, "setBlockOnExitSyscall: casfrom_Gscanstatus");
    return false;
  }
  *out = syscallingThread{gp, mp, pp, status};
  return true;
}

// syscallingThread.gcstopP (proc.go:6851), with sched.lock held.
void Go127::gcstopP(const syscallingThread& s) {
  probe(Probe::kAcquireP, curm(), nullptr, s.pp, 0);
  releaseP(s, _Pgcstop);
  sched.stopwait--;
}

// syscallingThread.takeP (proc.go:6861).
void Go127::takeP(const syscallingThread& s) {
  probe(Probe::kAcquireP, curm(), nullptr, s.pp, 0);
  releaseP(s, _Pidle);
}

// syscallingThread.releaseP (proc.go:6868): unwire the P and trace its
// ProcSteal in one critical section, while the goroutine's scan bit keeps it
// in _Gsyscall.
void Go127::releaseP(const syscallingThread& s, uint32_t state) {
  traceLocker tl = traceAcquire();
  s.pp->mp = nullptr;
  s.mp->pp = nullptr;
  s.pp->status.Store(state, "releaseP: store status");
  if (tl.ok()) {
    tlProcSteal(tl, s.pp);
    traceRelease(tl);
  }
  s.pp->syscalltick.Add(1, "releaseP: syscalltick++");
}

// syscallingThread.resume (proc.go:6885): drop the scan bit.
void Go127::resume(const syscallingThread& s) {
  casfrom_Gscanstatus(s.gp, s.status | _Gscan, s.status, "syscallingThread.resume");
}

}  // namespace schedfuzz::rt
