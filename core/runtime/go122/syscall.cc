// Go 1.22 system calls (proc.go): reentersyscall, entersyscallblock,
// exitsyscall with its fast paths, exitsyscall0, and sysmon's retake of Ps
// blocked in syscalls. The P waits in _Psyscall, owned by nobody; a CAS out of
// _Psyscall takes it.
#include "core/runtime/go122/go122.h"

namespace schedfuzz::rt {

// entersyscall (proc.go:4397).
void Go122::entersyscall() { reentersyscall(); }

// reentersyscall (proc.go:4301): running -> syscall, GoSyscallBegin in the
// same critical section, then the P goes to _Psyscall without an M.
void Go122::reentersyscall() {
  traceLocker tl = traceAcquire();
  m* mp = curm();
  g* gp = mp->curg;
  casgstatus(gp, _Grunning, _Gsyscall, "reentersyscall: casgstatus");
  if (tl.ok()) {
    tlGoSysCall(tl);
    traceRelease(tl);
  }
  if (mp->pp->runSafePointFn.Load("reentersyscall: load runSafePointFn") != 0) runSafePointFn();
  mp->syscalltick = mp->pp->syscalltick.Load("reentersyscall: load syscalltick");
  p* pp = mp->pp;
  pp->mp = nullptr;
  mp->oldp = pp;
  mp->pp = nullptr;
  pp->status.Store(_Psyscall, "reentersyscall: store Psyscall");
  if (sched.gcwaiting.Load("reentersyscall: load gcwaiting")) {
    // entersyscall_gcwait (proc.go:4402): give the P to the stopping world.
    sched.lock.Lock("entersyscall_gcwait: lock sched");
    // Before Go issue 65181's fix (go1.22rc2 proc.go:4407) this third site
    // too took the P first and its traceAcquire after the CAS.
    const bool late = variant->procsteal_acquire_after_cas;
    traceLocker tl2;
    if (!late) tl2 = traceAcquire();
    if (sched.stopwait > 0 &&
        pp->status.Cas(_Psyscall, _Pgcstop, "entersyscall_gcwait: cas Pgcstop")) {
      if (late) {
        probe(Probe::kSyscallPStolenBeforeAcquire, mp, mp->curg, pp, 0);
        tl2 = traceAcquire();
      }
      if (tl2.ok()) {
        // Before b6b72c77: GoSysBlock (no event in the v2 tracer) and
        // ProcStop, as though the P had been this M's all along.
        if (variant->gcwait_procstop)
          tlProcStop(tl2, pp);
        else
          tlProcSteal(tl2, pp, true);
        traceRelease(tl2);
      }
      pp->syscalltick.Add(1, "entersyscall_gcwait: syscalltick++");
      if (--sched.stopwait == 0) sched.stopnote.Wakeup("entersyscall_gcwait: wake stopTheWorld");
    } else if (tl2.ok()) {
      traceRelease(tl2);
    }
    sched.lock.Unlock("entersyscall_gcwait: unlock sched");
  }
}

// entersyscallblock (proc.go:4440): the status changes first and the event
// comes later in entersyscallblock_handoff, with the P handed off.
void Go122::entersyscallblock() {
  m* mp = curm();
  g* gp = mp->curg;
  mp->syscalltick = mp->pp->syscalltick.Load("entersyscallblock: load syscalltick");
  mp->pp->syscalltick.Add(1, "entersyscallblock: syscalltick++");
  casgstatus(gp, _Grunning, _Gsyscall, kSiteEntersyscallblockCas);
  // entersyscallblock_handoff (proc.go:4476)
  traceLocker tl = traceAcquire();
  if (tl.ok()) {
    tlGoSysCall(tl);
    traceRelease(tl);
  }
  handoffp(releasep());
}

// exitsyscall (proc.go:4500). Returns true if the goroutine keeps running on
// this M; false if exitsyscall0 took over (the goroutine was queued or is to
// be executed by this M's loop, and the caller must leave the goroutine).
bool Go122::exitsyscall() {
  m* mp = curm();
  g* gp = mp->curg;
  p* oldp = mp->oldp;
  mp->oldp = nullptr;
  if (exitsyscallfast(oldp)) {
    // The P was lost if this M now holds another P, or the same P after
    // someone else held it in between (its syscalltick moved on). Then the
    // trace saw the goroutine's syscall block and the P go (ProcSteal or a
    // retake), so the goroutine must be started again: GoSyscallEndBlocked
    // and GoStart rather than GoSyscallEnd.
    traceLocker tl = traceAcquire();
    if (tl.ok()) {
      const bool lostP = oldp != mp->pp || mp->syscalltick != mp->pp->syscalltick.Load(
                                                                  "exitsyscall: load syscalltick");
      tlGoSysExit(tl, lostP);
      if (lostP) tlGoStart(tl);
    }
    mp->pp->syscalltick.Add(1, "exitsyscall: syscalltick++");
    casgstatus(gp, _Gsyscall, _Grunning, "exitsyscall: casgstatus");
    if (tl.ok()) traceRelease(tl);
    return true;
  }
  exitsyscall0(gp);  // mcall
  return false;
}

// exitsyscallfast (proc.go:4591): reacquire the old P if nobody took it,
// else try an idle P.
bool Go122::exitsyscallfast(p* oldp) {
  m* mp = curm();
  if (sched.stopwait == kFreezeStopWait) return false;
  // Before Go issue 65181's fix (go1.22rc1) the CAS came first and
  // exitsyscallfast_reacquired took its own traceAcquire after it.
  const bool late = variant->procsteal_acquire_after_cas;
  traceLocker tl;
  if (!late) tl = traceAcquire();
  if (oldp && oldp->status.Load("exitsyscallfast: load oldp status") == _Psyscall &&
      oldp->status.Cas(_Psyscall, _Pidle, "exitsyscallfast: cas oldp Pidle")) {
    if (late)
      probe(Probe::kSyscallPStolenBeforeAcquire, mp, mp->curg, oldp, 1);
    else
      probe(Probe::kExitsyscallfastTookP, mp, mp->curg, oldp, tl.gen);
    wirep(oldp);
    // exitsyscallfast_reacquired (proc.go:4641)
    if (mp->syscalltick !=
        mp->pp->syscalltick.Load("exitsyscallfast_reacquired: load syscalltick")) {
      if (late) tl = traceAcquire();
      if (tl.ok()) {
        tlProcSteal(tl, mp->pp, true);
        tlProcStart(tl);
      }
      mp->pp->syscalltick.Add(1, "exitsyscallfast_reacquired: syscalltick++");
    }
    if (tl.ok()) traceRelease(tl);
    return true;
  }
  if (tl.ok()) traceRelease(tl);
  if (sched.pidle != nullptr) {
    if (exitsyscallfast_pidle()) return true;
  }
  return false;
}

// exitsyscallfast_pidle (proc.go:4665).
bool Go122::exitsyscallfast_pidle() {
  sched.lock.Lock("exitsyscallfast_pidle: lock sched");
  p* pp = pidleget();
  sched.lock.Unlock("exitsyscallfast_pidle: unlock sched");
  if (pp) {
    acquirep(pp);
    return true;
  }
  return false;
}

// exitsyscall0 (proc.go:4697): syscall -> runnable with GoSyscallEndBlocked,
// announced to StartTrace through trace.exitingSyscall.
void Go122::exitsyscall0(g* gp) {
  m* mp = curm();
  trace.exitingSyscall.Add(1, "traceExitingSyscall");
  mp->exiting_syscall = true;
  traceLocker tl = traceAcquire();
  casgstatus(gp, _Gsyscall, _Grunnable, "exitsyscall0: casgstatus");
  trace.exitingSyscall.Add(-1, "traceExitedSyscall");
  mp->exiting_syscall = false;
  if (tl.ok()) {
    tlGoSysExit(tl, true);
    traceRelease(tl);
  }
  dropg();
  sched.lock.Lock("exitsyscall0: lock sched");
  p* pp = pidleget();
  if (!pp) globrunqput(gp);
  sched.lock.Unlock("exitsyscall0: unlock sched");
  if (pp) {
    acquirep(pp);
    mp->resume_g = gp;  // execute(gp, false): run by the M's loop
    return;
  }
  stopm();
}

// retake (proc.go:6112), the syscall part plus preemptone for goroutines
// that have run for a whole sysmon round. Time is sysmon rounds here: a P
// whose syscalltick did not change since the previous round has been in its
// syscall for "long enough" (Go: 10ms / 20us).
uint32_t Go122::retake() {
  uint32_t n = 0;
  for (int i = 0; i < gomaxprocs; i++) {
    p* pp = &allp[i];
    const uint32_t s = pp->status.Load("retake: load status");
    bool sysretake = false;
    if (s == _Prunning || s == _Psyscall) {
      const uint32_t t = pp->schedtick;
      if (pp->sysmon_schedtick != t) {
        pp->sysmon_schedtick = t;
      } else if (s == _Prunning && pp->mp && pp->mp->curg) {
        pp->mp->curg->preempt = true;  // preemptone
        sysretake = true;
      }
    }
    if (s == _Psyscall) {
      const uint32_t t = pp->syscalltick.Load("retake: load syscalltick");
      if (!sysretake && pp->sysmon_syscalltick != t) {
        pp->sysmon_syscalltick = t;
        continue;
      }
      // go1.22rc1 (before Go issue 65181's fix): traceAcquire after the CAS.
      const bool late = variant->procsteal_acquire_after_cas;
      traceLocker tl;
      if (!late) tl = traceAcquire();
      if (pp->status.Cas(s, _Pidle, "retake: cas Pidle")) {
        if (late) {
          probe(Probe::kSyscallPStolenBeforeAcquire, curm(), nullptr, pp, 0);
          tl = traceAcquire();
        }
        if (tl.ok()) {
          tlProcSteal(tl, pp, false);
          traceRelease(tl);
        }
        n++;
        pp->syscalltick.Add(1, "retake: syscalltick++");
        handoffp(pp);
      } else if (tl.ok()) {
        traceRelease(tl);
      }
    }
  }
  return n;
}

}  // namespace schedfuzz::rt
