// The scheduler proper (proc.go): schedule/findRunnable/execute, ready and
// park, goroutine creation and exit, Gosched, idle P and M lists, startm,
// wakep, handoffp, acquirep/releasep, and injectglist.
#include "absl/strings/str_format.h"

#include "core/runtime/runtime.h"

namespace schedfuzz::rt {

namespace {
using tracefmt::GoStatus;
using tracefmt::ProcStatus;
}  // namespace

// schedule (proc.go:3839): find a runnable goroutine and execute it.
void Runtime::schedule() {
  m* mp = curm();
  if (mp->spinning && !runqempty(mp->pp)) throw_("schedule: spinning with local work");
  bool inheritTime = false, tryWakeP = false;
  g* gp = findRunnable(&inheritTime, &tryWakeP);
  if (mp->spinning) {
    // resetspinning (proc.go:3730)
    mp->spinning = false;
    if (sched.nmspinning.Add(-1, "resetspinning: nmspinning--") < 0)
      throw_("findrunnable: negative nmspinning");
    wakep();
  }
  if (tryWakeP) wakep();
  execute(gp, inheritTime);
}

// execute (proc.go:3093): the status changes before traceAcquire; this is
// safe because suspendG cannot snapshot a running goroutine.
void Runtime::execute(g* gp, bool inheritTime) {
  m* mp = curm();
  mp->curg = gp;
  gp->mp = mp;
  casgstatus(gp, _Grunnable, _Grunning, "execute: casgstatus");
  gp->preempt = false;
  gp->waitreason = waitReason::waitReasonZero;
  if (!inheritTime) mp->pp->schedtick++;
  traceLocker tl = traceAcquire();
  if (tl.ok()) {
    tlGoStart(tl);
    traceRelease(tl);
  }
  runG(gp);  // gogo
}

// findRunnable (proc.go:3139), reduced to the sources the model has: GC stop
// requests, safe-point functions, the 1-in-61 global queue check, the local
// and global queues, non-blocking netpoll, stealing, releasing the P, the
// blocking netpoll and stopm. (No timers, GC workers, finalizers.)
g* Runtime::findRunnable(bool* inheritTime, bool* tryWakeP) {
  m* mp = curm();
  *tryWakeP = false;
top:
  p* pp = mp->pp;
  if (sched.gcwaiting.Load("findRunnable: load gcwaiting")) {
    // gcstopm (proc.go:2914)
    if (mp->spinning) {
      mp->spinning = false;
      if (sched.nmspinning.Add(-1, "gcstopm: nmspinning--") < 0)
        throw_("gcstopm: negative nmspinning");
    }
    p* rp = releasep();
    sched.lock.Lock("gcstopm: lock sched");
    rp->status.Store(_Pgcstop, "gcstopm: store Pgcstop");
    sched.stopwait--;
    if (sched.stopwait == 0) sched.stopnote.Wakeup("gcstopm: wake stopTheWorld");
    sched.lock.Unlock("gcstopm: unlock sched");
    stopm();
    goto top;
  }
  if (pp->runSafePointFn.Load("findRunnable: load runSafePointFn") != 0) runSafePointFn();

  // Check the global runnable queue once in a while to ensure fairness.
  if (pp->schedtick % 61 == 0 && sched.runqsize > 0) {
    sched.lock.Lock("findRunnable: lock sched (fairness)");
    g* gp = globrunqget(pp, 1);
    sched.lock.Unlock("findRunnable: unlock sched (fairness)");
    if (gp) {
      *inheritTime = false;
      return gp;
    }
  }
  // local runq
  if (g* gp = runqget(pp, inheritTime)) return gp;
  // global runq
  if (sched.runqsize != 0) {
    sched.lock.Lock("findRunnable: lock sched (global)");
    g* gp = globrunqget(pp, 0);
    sched.lock.Unlock("findRunnable: unlock sched (global)");
    if (gp) {
      *inheritTime = false;
      return gp;
    }
  }
  // Poll network without blocking (proc.go:3227).
  if (netpollAnyWaiters() && sched.lastpoll.Load("findRunnable: load lastpoll") != 0) {
    int delta = 0;
    gList list = netpoll(false, PollPath::kFindRunnable, &delta);
    if (!list.empty()) {
      g* gp = list.pop();
      injectglist(&list);
      netpollWaiters.Add(delta, "netpollAdjustWaiters");
      traceLocker tl = traceAcquire();
      casgstatus(gp, _Gwaiting, _Grunnable, "findRunnable: netpoll casgstatus");
      if (tl.ok()) {
        tlGoUnpark(tl, gp);
        traceRelease(tl);
      }
      *inheritTime = false;
      return gp;
    }
  }
  // Spinning Ms: steal work from other Ps.
  if (mp->spinning || 2 * sched.nmspinning.Load("findRunnable: load nmspinning") <
                          gomaxprocs - sched.npidle.Load("findRunnable: load npidle")) {
    if (!mp->spinning) {
      // becomeSpinning (proc.go:3118)
      mp->spinning = true;
      sched.nmspinning.Add(1, "becomeSpinning: nmspinning++");
    }
    bool newWork = false;
    g* gp = stealWork(inheritTime, &newWork);
    if (gp) return gp;
    if (newWork) goto top;
  }

  // We have nothing to do: release the P.
  sched.lock.Lock("findRunnable: lock sched (release P)");
  if (sched.gcwaiting.Load("findRunnable: reload gcwaiting") ||
      pp->runSafePointFn.Load("findRunnable: reload runSafePointFn") != 0) {
    sched.lock.Unlock("findRunnable: unlock sched (retry)");
    goto top;
  }
  if (sched.runqsize != 0) {
    g* gp = globrunqget(pp, 0);
    sched.lock.Unlock("findRunnable: unlock sched (global, late)");
    *inheritTime = false;
    return gp;
  }
  if (releasep() != pp) throw_("findrunnable: wrong p");
  pidleput(pp);
  sched.lock.Unlock("findRunnable: unlock sched (P released)");

  {
    const bool wasSpinning = mp->spinning;
    if (mp->spinning) {
      mp->spinning = false;
      if (sched.nmspinning.Add(-1, "findRunnable: nmspinning--") < 0)
        throw_("findrunnable: negative nmspinning");
      probe(Probe::kSpinningRecheck, mp, nullptr, nullptr, 1);
      // Dropping nmspinning and then re-checking every source of work is
      // what keeps work submitted meanwhile from being stranded: first the
      // global queue...
      sched.lock.Lock("findRunnable: lock sched (recheck global)");
      if (sched.runqsize != 0) {
        if (p* np = pidlegetSpinning()) {
          g* gp = globrunqget(np, 0);
          if (!gp) throw_("global runq empty with non-zero runqsize");
          sched.lock.Unlock("findRunnable: unlock sched (recheck global)");
          probe(Probe::kSpinningRecheck, mp, nullptr, nullptr, 0);
          acquirep(np);
          mp->spinning = true;
          sched.nmspinning.Add(1, "becomeSpinning: nmspinning++");
          *inheritTime = false;
          return gp;
        }
      }
      sched.lock.Unlock("findRunnable: unlock sched (recheck global)");
      // ...then checkRunqsNoP (proc.go:3615): every P's local queue.
      for (int i = 0; i < gomaxprocs; ++i) {
        p* p2 = &allp[i];
        if (!p2->idle && !runqempty(p2)) {
          sched.lock.Lock("checkRunqsNoP: lock sched");
          p* np = pidlegetSpinning();
          sched.lock.Unlock("checkRunqsNoP: unlock sched");
          if (np) {
            probe(Probe::kSpinningRecheck, mp, nullptr, nullptr, 0);
            acquirep(np);
            mp->spinning = true;
            sched.nmspinning.Add(1, "becomeSpinning: nmspinning++");
            goto top;
          }
          break;
        }
      }
      probe(Probe::kSpinningRecheck, mp, nullptr, nullptr, 0);
    }
    // Poll network until new work is available (proc.go:3452).
    if (netpollAnyWaiters() && sched.lastpoll.Exchange(0, "findRunnable: swap lastpoll") != 0) {
      if (mp->pp) throw_("findrunnable: netpoll with p");
      if (mp->spinning) throw_("findrunnable: netpoll with spinning");
      int delta = 0;
      gList list = netpoll(true, PollPath::kFindRunnableBlock, &delta);
      sched.lastpoll.Store(static_cast<int64_t>(engine->step()) + 1,
                           "findRunnable: store lastpoll");
      sched.lock.Lock("findRunnable: lock sched (after netpoll)");
      p* np = pidleget();
      sched.lock.Unlock("findRunnable: unlock sched (after netpoll)");
      if (!np) {
        injectglist(&list);  // the P-less path
        netpollWaiters.Add(delta, "netpollAdjustWaiters");
      } else {
        acquirep(np);
        if (!list.empty()) {
          g* gp = list.pop();
          injectglist(&list);
          netpollWaiters.Add(delta, "netpollAdjustWaiters");
          traceLocker tl = traceAcquire();
          casgstatus(gp, _Gwaiting, _Grunnable, "findRunnable: blocking netpoll casgstatus");
          if (tl.ok()) {
            tlGoUnpark(tl, gp);
            traceRelease(tl);
          }
          *inheritTime = false;
          return gp;
        }
        if (wasSpinning) {
          mp->spinning = true;
          sched.nmspinning.Add(1, "becomeSpinning: nmspinning++");
        }
        goto top;
      }
    }
  }
  stopm();
  goto top;
}

// stealWork (proc.go:3341): four passes over the other Ps. Go visits them in
// a random order; the model uses the fixed order after the M's own P.
g* Runtime::stealWork(bool* inheritTime, bool* newWork) {
  p* pp = curm()->pp;
  *newWork = false;
  for (int i = 0; i < 4; i++) {
    const bool stealRunNextG = i == 3;
    for (int k = 1; k <= gomaxprocs; ++k) {
      if (sched.gcwaiting.Load("stealWork: load gcwaiting")) {
        *newWork = true;
        return nullptr;
      }
      p* p2 = &allp[(pp->id + k) % gomaxprocs];
      if (p2 == pp) continue;
      if (!p2->idle) {
        if (g* gp = runqsteal(pp, p2, stealRunNextG)) {
          *inheritTime = false;
          return gp;
        }
      }
    }
  }
  return nullptr;
}

// ready (proc.go:952): waiting -> runnable inside one trace critical section,
// then onto the current P's queue.
void Runtime::ready(g* gp, int traceskip, bool next) {
  const uint32_t status = readgstatus(gp, "ready: readgstatus");
  m* mp = curm();
  if ((status & ~_Gscan) != _Gwaiting) throw_("bad g->status in ready");
  traceLocker tl = traceAcquire();
  casgstatus(gp, _Gwaiting, _Grunnable, "ready: casgstatus");
  if (tl.ok()) {
    tlGoUnpark(tl, gp);
    traceRelease(tl);
  }
  runqput(mp->pp, gp, next);
  wakep();
  probe(Probe::kSubmitted, mp, gp, mp->pp, uint64_t(Submitter::kReady));
}

// goschedImpl and goyield_m: per release (core/runtime/go122/proc.cc,
// core/runtime/go127/proc.cc).

// goexit1 (proc.go:4166): the GoDestroy event first, then goexit0.
void Runtime::goexit1() {
  traceLocker tl = traceAcquire();
  if (tl.ok()) {
    tlGoEnd(tl);
    traceRelease(tl);
  }
  goexit0(curm()->curg);
}

// goexit0 (proc.go:4179).
void Runtime::goexit0(g* gp) { gdestroy(gp); }

// gdestroy (proc.go:4184): running -> dead outside the trace critical
// section; safe because suspendG reports a dead goroutine as dead.
void Runtime::gdestroy(g* gp) {
  casgstatus(gp, _Grunning, _Gdead, "gdestroy: casgstatus");
  gp->mp = nullptr;
  gp->waitreason = waitReason::waitReasonZero;
  dropg();
  gFree.push(gp);  // gfput
}

// newproc (proc.go:4874): create, put in runnext, wake a P.
void Runtime::newproc(int program) {
  g* newg = newproc1(program, curm()->curg);
  if (!newg) return;
  runqput(curm()->pp, newg, true);
  wakep();
  probe(Probe::kSubmitted, curm(), newg, curm()->pp, uint64_t(Submitter::kNewproc));
}

// newproc1 (proc.go:4892): the dead -> runnable change and GoCreate share
// one critical section.
g* Runtime::newproc1(int program, g* callergp) {
  // Model bound: a program that spawns itself would otherwise keep a run
  // going until the step budget, judged only in part (docs/model.md).
  if (ncreated >= kMaxGoCreates) return nullptr;
  g* newg = gFree.pop();  // gfget
  if (!newg) {
    if (nallgs >= kMaxG) return nullptr;  // model bound (docs/model.md)
    newg = &allgs[nallgs++];
    newg->in_use = true;
    // malg + casgstatus(_Gidle, _Gdead) + allgadd
    casgstatus(newg, _Gidle, _Gdead, "newproc1: casgstatus idle->dead");
  }
  newg->prog = (program >= 0 && program < static_cast<int>(machine->programs.size()))
                   ? &machine->programs[program]
                   : nullptr;
  newg->pc = 0;
  newg->preempt = false;
  traceLocker tl = traceAcquire();
  casgstatus(newg, _Gdead, _Grunnable, "newproc1: casgstatus dead->runnable");
  newg->goid = ++goidgen;
  newg->trace.seq[0] = newg->trace.seq[1] = 0;  // newg.trace.reset()
  ncreated++;
  if (tl.ok()) {
    tlGoCreate(tl, newg);
    traceRelease(tl);
  }
  (void)callergp;
  return newg;
}

// dropg (proc.go:3964).
void Runtime::dropg() {
  m* mp = curm();
  if (mp->curg) mp->curg->mp = nullptr;
  mp->curg = nullptr;
}

// mput (proc.go:6247): sched.lock must be held.
void Runtime::mput(m* mp) {
  mp->schedlink = sched.midle;
  sched.midle = mp;
  sched.nmidle++;
}

// mget (proc.go:6261): sched.lock must be held.
m* Runtime::mget() {
  m* mp = sched.midle;
  if (mp) {
    sched.midle = mp->schedlink;
    sched.nmidle--;
  }
  return mp;
}

// pidleput (proc.go:6460): sched.lock must be held.
void Runtime::pidleput(p* pp) {
  if (!runqempty(pp)) throw_("pidleput: P has non-empty run queue");
  pp->idle = true;
  pp->link = sched.pidle;
  sched.pidle = pp;
  sched.npidle.Add(1, "pidleput: npidle++");
}

// pidleget (proc.go:6483): sched.lock must be held.
p* Runtime::pidleget() {
  p* pp = sched.pidle;
  if (pp) {
    probe(Probe::kAcquireP, curm(), nullptr, pp, 0);
    pp->idle = false;
    sched.pidle = pp->link;
    sched.npidle.Add(-1, "pidleget: npidle--");
  }
  return pp;
}

// pidlegetSpinning (proc.go:6508): sched.lock must be held.
p* Runtime::pidlegetSpinning() { return pidleget(); }

// stopm (proc.go:2783): park the M on the idle list until startm hands it a P.
void Runtime::stopm() {
  m* mp = curm();
  if (mp->pp) throw_("stopm holding p");
  if (mp->spinning) throw_("stopm spinning");
  sched.lock.Lock("stopm: lock sched");
  mput(mp);
  sched.lock.Unlock("stopm: unlock sched");
  mp->park.Sleep("stopm: notesleep(m.park)", /*idle=*/true);
  mp->park.Clear();
  acquirep(mp->nextp);
  mp->nextp = nullptr;
}

// startm (proc.go:2809): run pp (or an idle P) on an idle or new M.
void Runtime::startm(p* pp, bool spinning, bool lockheld) {
  if (!lockheld) sched.lock.Lock("startm: lock sched");
  if (!pp) {
    if (spinning) throw_("startm: P required for spinning=true");
    pp = pidleget();
    if (!pp) {
      if (!lockheld) sched.lock.Unlock("startm: unlock sched (no P)");
      return;
    }
  }
  m* nmp = mget();
  if (!nmp) {
    // newm: start one of the not-yet-created M slots. The model has a fixed
    // number of them; with none left the P goes back to the idle list
    // (Go would create another thread; docs/model.md).
    for (int i = 0; i < nsched_m; ++i) {
      if (!allm[i].started && !allm[i].nextp && !allm[i].pp) {
        nmp = &allm[i];
        break;
      }
    }
    if (!nmp) {
      // Go would create another thread; the scenario's M slots are used up.
      // Like exceeding debug.SetMaxThreads, the run cannot go on faithfully:
      // it ends here and is discarded, not judged (docs/model.md).
      limit_reached = "newm: all " + std::to_string(nsched_m) + " M slots are in use";
      engine->Abort();
    }
    nmp->spinning = spinning;
    nmp->nextp = pp;
    if (!lockheld) sched.lock.Unlock("newm: unlock sched");
    if (spinning) {
      // newm with spinning: the new M starts spinning (mspinning).
    }
    nmp->park.Wakeup("newm: start thread");
    return;
  }
  if (!lockheld) sched.lock.Unlock("startm: unlock sched");
  if (nmp->spinning) throw_("startm: m is spinning");
  if (nmp->nextp) throw_("startm: m has p");
  nmp->spinning = spinning;
  nmp->nextp = pp;
  nmp->park.Wakeup("startm: notewakeup(m.park)");
}

// wakep (proc.go:2975): start a spinning M if there is an idle P and no
// spinning M yet.
void Runtime::wakep() {
  if (sched.nmspinning.Load("wakep: load nmspinning") != 0 ||
      !sched.nmspinning.Cas(0, 1, "wakep: cas nmspinning"))
    return;
  sched.lock.Lock("wakep: lock sched");
  p* pp = pidlegetSpinning();
  if (!pp) {
    if (sched.nmspinning.Add(-1, "wakep: nmspinning--") < 0) throw_("wakep: negative nmspinning");
    sched.lock.Unlock("wakep: unlock sched (no P)");
    return;
  }
  sched.lock.Unlock("wakep: unlock sched");
  startm(pp, true, false);
}

// handoffp (proc.go:2886): hand off a P released by a syscall or a stolen P.
void Runtime::handoffp(p* pp) {
  if (!runqempty(pp) || sched.runqsize != 0) {
    startm(pp, false, false);
    return;
  }
  if (sched.nmspinning.Load("handoffp: load nmspinning") +
              sched.npidle.Load("handoffp: load npidle") ==
          0 &&
      sched.nmspinning.Cas(0, 1, "handoffp: cas nmspinning")) {
    startm(pp, true, false);
    return;
  }
  sched.lock.Lock("handoffp: lock sched");
  if (sched.gcwaiting.Load("handoffp: load gcwaiting")) {
    pp->status.Store(_Pgcstop, "handoffp: store Pgcstop");
    sched.stopwait--;
    if (sched.stopwait == 0) sched.stopnote.Wakeup("handoffp: wake stopTheWorld");
    sched.lock.Unlock("handoffp: unlock sched (gcstop)");
    return;
  }
  if (pp->runSafePointFn.Load("handoffp: load runSafePointFn") != 0 &&
      pp->runSafePointFn.Cas(1, 0, "handoffp: cas runSafePointFn")) {
    safePointFn(pp);
    sched.safePointWait--;
    if (sched.safePointWait == 0) sched.safePointNote.Wakeup("handoffp: wake forEachP");
  }
  if (sched.runqsize != 0) {
    sched.lock.Unlock("handoffp: unlock sched (global work)");
    startm(pp, false, false);
    return;
  }
  // If this is the last running P and nobody is polling the network, start
  // an M to poll it.
  if (sched.npidle.Load("handoffp: load npidle") == gomaxprocs - 1 &&
      sched.lastpoll.Load("handoffp: load lastpoll") != 0) {
    sched.lock.Unlock("handoffp: unlock sched (poller)");
    startm(pp, false, false);
    return;
  }
  pidleput(pp);
  sched.lock.Unlock("handoffp: unlock sched");
}

// acquirep (proc.go:5740): wirep, then ProcStart in its own critical section.
void Runtime::acquirep(p* pp) {
  wirep(pp);
  traceLocker tl = traceAcquire();
  if (tl.ok()) {
    tlProcStart(tl);
    traceRelease(tl);
  }
}

// wirep (proc.go:5760).
void Runtime::wirep(p* pp) {
  m* mp = curm();
  if (mp->pp) throw_("wirep: already in go");
  if (pp->mp || pp->status.Load("wirep: load status") != _Pidle)
    throwf("wirep: invalid p state (p%d status %s)", pp->id, PStatusName(pp->status.Raw()));
  mp->pp = pp;
  pp->mp = mp;
  pp->status.Store(_Prunning, "wirep: store Prunning");
}

// releasep (proc.go:5791): ProcStop, then releasepNoTrace.
p* Runtime::releasep() {
  traceLocker tl = traceAcquire();
  if (tl.ok()) {
    tlProcStop(tl, curm()->pp);
    traceRelease(tl);
  }
  return releasepNoTrace();
}

// releasepNoTrace (proc.go:5805).
p* Runtime::releasepNoTrace() {
  m* mp = curm();
  p* pp = mp->pp;
  if (!pp || pp->mp != mp || pp->status.Load("releasep: load status") != _Prunning)
    throw_("releasep: invalid p state");
  mp->pp = nullptr;
  pp->mp = nullptr;
  pp->status.Store(_Pidle, "releasep: store Pidle");
  return pp;
}

// injectglist (proc.go:3761; go1.27.4 proc.go:4060): make every goroutine on
// glist runnable and queue it. The status changes come first; the variant
// switch is the Go issue 70883 difference in how they are traced. Go 1.27
// ends the with-a-P path with wakep (injectglist_ends_with_wakep; Go issue
// 63555's fix, which variant go63555 takes out).
//
// How the list is split (Go's reasoning, in our words): each idle P can run
// one of the goroutines at once, so that many go to the global queue, where
// an M started for each idle P will find them; the rest stay on the current
// P's local queue, which this M drains itself. An M without a P has no local
// queue: everything goes to the global queue, and it starts as many Ms as
// there are goroutines (startIdle stops early when no P is idle).
void Runtime::injectglist(gList* glist) {
  if (glist->empty()) return;
  m* mp = curm();
  g* head = glist->head;
  g* tail = nullptr;
  int qsize = 0;
  if (variant->injectglist_events_before_cas) {
    // go1.22.4: every GoUnpark first, under one traceAcquire, and the status
    // changes after traceRelease. Between the two the trace says runnable
    // and the runtime still says waiting, with no critical section open
    // that would make traceAdvance wait: the Go issue 70883 window.
    traceLocker tl = traceAcquire();
    if (tl.ok()) {
      for (g* gp = head; gp; gp = gp->schedlink) tlGoUnpark(tl, gp);
      traceRelease(tl);
    }
    for (g* gp = head; gp; gp = gp->schedlink) {
      tail = gp;
      qsize++;
      casgstatus(gp, _Gwaiting, _Grunnable, kSiteInjectglistCas);
    }
  } else {
    // After ae9996f9: each status change and its event in one critical
    // section, so a traceAdvance either waits for the whole list or sees
    // every goroutine already runnable.
    traceLocker tl = traceAcquire();
    for (g* gp = head; gp; gp = gp->schedlink) {
      tail = gp;
      qsize++;
      casgstatus(gp, _Gwaiting, _Grunnable, kSiteInjectglistCas);
      if (tl.ok()) tlGoUnpark(tl, gp);
    }
    if (tl.ok()) traceRelease(tl);
  }
  gQueue q;
  q.head = head;
  q.tail = tail;
  *glist = gList{};

  auto startIdle = [&](int n) {
    for (int i = 0; i < n; i++) {
      sched.lock.Lock("injectglist: startIdle lock sched");
      p* pp = pidlegetSpinning();
      if (!pp) {
        sched.lock.Unlock("injectglist: startIdle unlock sched");
        break;
      }
      startm(pp, false, true);
      sched.lock.Unlock("injectglist: startIdle unlock sched");
    }
  };

  p* pp = mp->pp;
  if (!pp) {
    sched.lock.Lock("injectglist: lock sched (no P)");
    globrunqputbatch(&q, qsize);
    sched.lock.Unlock("injectglist: unlock sched (no P)");
    startIdle(qsize);
    probe(Probe::kSubmitted, mp, nullptr, nullptr, uint64_t(Submitter::kInjectglist));
    return;
  }
  const int npidle = sched.npidle.Load("injectglist: load npidle");
  gQueue globq;
  int n = 0;
  for (n = 0; n < npidle && !q.empty(); n++) globq.pushBack(q.pop());
  if (n > 0) {
    sched.lock.Lock("injectglist: lock sched");
    globrunqputbatch(&globq, n);
    sched.lock.Unlock("injectglist: unlock sched");
    startIdle(n);
    qsize -= n;
  }
  if (!q.empty()) runqputbatch(pp, &q, qsize);
  // Variant go63555 takes the call out again: go1.27 as it would be without
  // Go issue 63555's fix.
  if (injectglist_ends_with_wakep && !variant->injectglist_without_wakep) wakep();
  probe(Probe::kSubmitted, mp, nullptr, pp, uint64_t(Submitter::kInjectglist));
}

// runSafePointFn (proc.go:2020): run forEachP's function for this M's P.
void Runtime::runSafePointFn() {
  p* pp = curm()->pp;
  if (!pp->runSafePointFn.Cas(1, 0, "runSafePointFn: cas")) return;
  safePointFn(pp);
  sched.lock.Lock("runSafePointFn: lock sched");
  sched.safePointWait--;
  if (sched.safePointWait == 0) sched.safePointNote.Wakeup("runSafePointFn: wake forEachP");
  sched.lock.Unlock("runSafePointFn: unlock sched");
}

}  // namespace schedfuzz::rt
