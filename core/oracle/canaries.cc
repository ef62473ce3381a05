#include "core/oracle/canaries.h"

#include "core/oracle/invariants.h"

namespace schedfuzz::oracle {

using tracefmt::EvType;

const char* CanaryName(Canary c) {
  switch (c) {
    case kCanaryGo70883: return "go70883";
    case kCanaryStartTracePless: return "starttrace-pless-injectglist";
    case kCanaryEntersyscallblock: return "entersyscallblock";
    case kCanaryEntersyscallblockSplit: return "entersyscallblock-procstop";
    case kCanaryGenStraggler: return "gen-straggler";
    case kCanaryStartTraceExitsyscallfast: return "starttrace-exitsyscallfast";
    case kCanaryStopTraceStraggler: return "stoptrace-straggler";
    case kCanarySysmonNoLock: return "go38794";
    case kCanaryProcStealLost: return "go65181";
    case kCanaryProcStatusInSyscall: return "go64318";
    case kCanarySnapshotSyscallM: return "go65196";
    case kCanaryGcwaitProcStop: return "gcwait-procstop";
    case kCanaryInjectglistNoWakep: return "go63555";
    case kNumCanaries: break;
  }
  return "?";
}

const char* CanarySiteName(CanarySite s) {
  switch (s) {
    case CanarySite::kNone: return "none";
    case CanarySite::kTraceReleaseStillWaiting:
      return "traceRelease: GoUnblock'd goroutine still waiting";
    case CanarySite::kInjectglistPlessAcrossStart:
      return "injectglist (P-less M): casgstatus after StartTrace";
    case CanarySite::kInjectglistSysmonNoLock:
      return "injectglist (sysmon, no sysmonlock): casgstatus after StartTrace";
    case CanarySite::kEntersyscallblockSnapshotInGap:
      return "entersyscallblock_handoff: GoSyscallBegin after a same-generation snapshot";
    case CanarySite::kReleasepProcStopNextGen:
      return "releasep: ProcStop a generation after GoSyscallBegin";
    case CanarySite::kStragglerGoStart: return "straggler: GoStart";
    case CanarySite::kStragglerGoUnblock: return "straggler: GoUnblock";
    case CanarySite::kStragglerGoSyscallBegin: return "straggler: GoSyscallBegin";
    case CanarySite::kStragglerProcStart: return "straggler: ProcStart";
    case CanarySite::kStragglerProcSteal: return "straggler: ProcSteal";
    case CanarySite::kExitsyscallfastAcrossStart:
      return "exitsyscallfast: took P back after StartTrace";
    case CanarySite::kProcStealAfterStopTrace:
      return "ProcSteal: P's syscall entry untraced after StopTrace";
    case CanarySite::kProcStealAcquireOtherGen:
      return "ProcSteal: traceAcquire after the CAS read another generation";
    case CanarySite::kProcStatusRunningInSyscall:
      return "writeProcStatusForP: Running for the P of a goroutine in _Gsyscall";
    case CanarySite::kSnapshotSyscallOtherM:
      return "traceAdvance snapshot GoStatus: syscall on another thread";
    case CanarySite::kGcwaitProcStopLostP:
      return "entersyscall_gcwait: ProcStop for a P lost during the syscall";
    case CanarySite::kInjectglistLeftIdleP:
      return "injectglist returned: its goroutine queued, a P idle, no M spinning or woken";
    case CanarySite::kNumSites: break;
  }
  return "?";
}

void Canaries::Attach(rt::Runtime* r) {
  rt_ = r;
  rt::ModelHooks h;
  h.ctx = this;
  h.on_status = &OnStatus;
  h.on_event = &OnEvent;
  h.on_acquire = &OnAcquire;
  h.on_release = &OnRelease;
  h.on_gen_switch = &OnGenSwitch;
  h.on_probe = &OnProbe;
  r->hooks.Add(h);
}

void Canaries::Reset() {
  for (CanaryHit& h : hits_) h = CanaryHit{};
  counts_ = TraceCounts{};
  for (PerM& pm : m_) {
    pm.acquired_gen = 0;
    pm.syscallblock = 0;
    pm.handoff_gen = 0;
    pm.stolen = nullptr;
    pm.stolen_gen = 0;
    pm.block_g = nullptr;
    pm.block_snap_gen = 0;
    pm.sys_procstatus_p = nullptr;
    pm.nunblocked = 0;
    pm.ninjected = 0;
  }
  rechecking_ = 0;
  log_.n = 0;
  log_.dropped = 0;
}

void Canaries::Trigger(Canary c, CanarySite site, const rt::g* gp, const rt::p* pp, const rt::m* mp,
                       uint64_t since) {
  CanaryHit& h = hits_[c];
  h.reached = true;
  if (pp && pp->id < 32) h.procs |= 1u << pp->id;
  if (gp && gp->goid > 0 && gp->goid < CanaryHit::kMaxGoidTracked) h.goids.set(gp->goid);
  const uint64_t step = since != UINT64_MAX ? since : rt_->engine->step();
  if (log_.n < CanaryLog::kMax) {
    log_.t[log_.n++] = CanaryTrigger{.canary = c,
                                     .site = site,
                                     .goid = gp ? gp->goid : 0,
                                     .p = pp ? int64_t{pp->id} : -1,
                                     .m = mp ? int64_t{mp->procid} : -1,
                                     .step = step};
  } else {
    log_.dropped++;
  }
  if (h.triggered) return;
  h.triggered = true;
  h.goid = gp ? gp->goid : 0;
  h.step = step;
}

const rt::g* Canaries::G(int64_t goid) const {
  // Slot goid-1 holds goid until gFree hands the slot out again.
  if (goid >= 1 && goid <= rt_->nallgs && rt_->allgs[goid - 1].goid == goid)
    return &rt_->allgs[goid - 1];
  for (int i = 0; i < rt_->nallgs; ++i)
    if (rt_->allgs[i].goid == goid) return &rt_->allgs[i];
  return goid == rt_->tracer_g.goid ? &rt_->tracer_g : nullptr;
}

const rt::p* Canaries::P(uint64_t id) const {
  if (id < static_cast<uint64_t>(rt_->gomaxprocs)) return &rt_->allp[id];
  return id == static_cast<uint64_t>(rt_->tracer_p.id) ? &rt_->tracer_p : nullptr;
}

// Status changes at the two sites whose ordering is a known problem.
void Canaries::OnStatus(void* ctx, rt::g* gp, uint32_t old, uint32_t nw, rt::m* mp,
                        const char* site) {
  auto* c = static_cast<Canaries*>(ctx);
  if (!mp) return;
  PerM& pm = c->m_[mp->id];
  const bool tracing = c->rt_->trace.gen.Raw() != 0;
  if (site == rt::kSiteInjectglistCas) {
    // go63555: the goroutines this injectglist queues, for its return.
    if (nw == rt::_Grunnable && pm.ninjected < rt::kMaxG) pm.injected[pm.ninjected++] = gp;
    // injectglist took its traceAcquire right before its status loop; a
    // locker that is not ok on an M without a P is the StartTrace window.
    if (pm.acquired_gen != 0) return;
    if (!mp->pp) c->hits_[kCanaryStartTracePless].reached = true;
    if (mp == c->rt_->sysmon_m) {
      // sysmon is P-less too, but StartTrace excludes it by sysmonlock; the
      // window is sysmon's only when it runs without that lock.
      if (c->rt_->sched.sysmonlock.owner() == c->rt_->engine->current()) return;
      c->hits_[kCanarySysmonNoLock].reached = true;
      if (tracing)
        c->Trigger(kCanarySysmonNoLock, CanarySite::kInjectglistSysmonNoLock, gp, nullptr, mp);
    } else if (tracing) {
      c->Trigger(kCanaryStartTracePless, CanarySite::kInjectglistPlessAcrossStart, gp, nullptr, mp);
    }
  } else if (site == rt::kSiteEntersyscallblockCas) {
    // The gap opens: until this M writes the goroutine's GoSyscallBegin, a
    // traceAdvance may snapshot it as in a syscall.
    if (tracing) {
      c->hits_[kCanaryEntersyscallblock].reached = true;
      pm.block_g = gp;
      pm.block_snap_gen = 0;
    }
    pm.syscallblock = 1;
    pm.handoff_gen = 0;
  }
}

void Canaries::OnAcquire(void* ctx, rt::m* mp, uint64_t gen) {
  auto* c = static_cast<Canaries*>(ctx);
  PerM& pm = c->m_[mp->id];
  pm.acquired_gen = gen;
  pm.nunblocked = 0;
  if (pm.stolen) {
    // The steal happened at stolen_gen; its ProcSteal is written for gen.
    if (pm.stolen_gen != 0 && gen != pm.stolen_gen)
      c->Trigger(kCanaryProcStealLost, CanarySite::kProcStealAcquireOtherGen, nullptr, pm.stolen,
                 mp, pm.stolen_step);
    pm.stolen = nullptr;
  }
  if (pm.syscallblock == 1) {
    pm.handoff_gen = gen;  // entersyscallblock_handoff's, for its GoSyscallBegin
    pm.syscallblock = 2;
  } else if (pm.syscallblock == 2) {
    // releasep's, for its ProcStop: a generation later than the
    // GoSyscallBegin's, with the P's status not yet traced in it, makes the
    // event writer assert the P was running.
    pm.syscallblock = 0;
    if (gen != 0 && pm.handoff_gen != 0 && gen != pm.handoff_gen &&
        !mp->pp->trace.statusTraced[gen % 3].Raw())
      c->Trigger(kCanaryEntersyscallblockSplit, CanarySite::kReleasepProcStopNextGen, mp->curg,
                 mp->pp, mp);
  }
}

void Canaries::OnRelease(void* ctx, rt::m* mp, uint64_t gen) {
  auto* c = static_cast<Canaries*>(ctx);
  PerM& pm = c->m_[mp->id];
  // The section said these goroutines became runnable; one still waiting
  // once the tracer is released is the Go issue 70883 window. The scan bit
  // does not count: a goroutine that traceAdvance's status pass holds
  // suspended (_Gscanwaiting) is still waiting.
  for (int i = 0; i < pm.nunblocked; ++i) {
    const rt::g* gp = c->G(pm.unblocked[i]);
    if (gp && (gp->atomicstatus.Raw() & ~rt::_Gscan) == rt::_Gwaiting)
      c->Trigger(kCanaryGo70883, CanarySite::kTraceReleaseStillWaiting, gp, nullptr, mp);
  }
  pm.nunblocked = 0;
  // go64318: a section whose last event is a ProcStatus for the M's own P,
  // its goroutine in _Gsyscall, wrote nothing else after it: the status came
  // from writeProcStatusForP, not from an event writer ahead of its event.
  if (const rt::p* pp = pm.sys_procstatus_p) {
    pm.sys_procstatus_p = nullptr;
    c->hits_[kCanaryProcStatusInSyscall].reached = true;
    if (pm.sys_procstatus == static_cast<uint64_t>(tracefmt::ProcStatus::kRunning))
      c->Trigger(kCanaryProcStatusInSyscall, CanarySite::kProcStatusRunningInSyscall, mp->curg, pp,
                 mp, pm.sys_procstatus_step);
  }
}

void Canaries::CheckStraggler(const rt::traceSchedResourceState& st, uint64_t gen, CanarySite site,
                              const rt::g* gp, const rt::p* pp, const rt::m* mp) {
  if (rt_->trace.gen.Raw() != gen && st.statusTraced[(gen + 1) % 3].Raw() != 0)
    Trigger(kCanaryGenStraggler, site, gp, pp, mp);
}

// Events that take a sequence number: the straggler check, at the instant
// the number is taken (nothing runs between the two).
void Canaries::OnEvent(void* ctx, const tracefmt::Event& ev, uint64_t gen, rt::m* mp) {
  auto* c = static_cast<Canaries*>(ctx);
  if (ev.type == EvType::kGoStatus &&
      ev.args[2] == static_cast<uint64_t>(tracefmt::GoStatus::kSyscall)) {
    // A status snapshot (traceAdvance's, by any M or none) of a goroutine in
    // entersyscallblock's gap.
    for (PerM& pm : c->m_)
      if (pm.block_g && pm.block_g->goid == int64_t(ev.args[0])) pm.block_snap_gen = gen;
    // go65196: the thread it names must be the one the goroutine's syscall
    // is on, as the goroutine's own events name it (also judged when the
    // snapshot is taken, Probe::kStatusSnapshot).
    const rt::g* gp = c->G(static_cast<int64_t>(ev.args[0]));
    if (gp && gp->mp) {
      c->hits_[kCanarySnapshotSyscallM].reached = true;
      if (ev.args[1] != static_cast<uint64_t>(gp->mp->procid))
        c->Trigger(kCanarySnapshotSyscallM, CanarySite::kSnapshotSyscallOtherM, gp, nullptr,
                   gp->mp);
    }
  }
  if (!mp) return;
  {
    PerM& pm = c->m_[mp->id];
    pm.sys_procstatus_p = nullptr;
    if (ev.type == EvType::kProcStatus && mp->pp &&
        ev.args[0] == static_cast<uint64_t>(mp->pp->id) && mp->curg &&
        (mp->curg->atomicstatus.Raw() & ~rt::_Gscan) == rt::_Gsyscall) {
      pm.sys_procstatus_p = mp->pp;
      pm.sys_procstatus = ev.args[1];
      pm.sys_procstatus_step = c->rt_->engine->step();
    }
  }
  switch (ev.type) {
    case EvType::kProcStop:
      // gcwait-procstop: on Go 1.22 only entersyscall_gcwait writes ProcStop
      // from a syscall whose P is no longer wired to the M (releasep's has
      // it). The P was lost if its syscalltick moved on since this M's
      // reentersyscall read it.
      if (!mp->pp && mp->oldp && c->rt_->variant->release == rt::Release::kGo122) {
        c->hits_[kCanaryGcwaitProcStop].reached = true;
        if (mp->syscalltick != mp->oldp->syscalltick.Raw())
          c->Trigger(kCanaryGcwaitProcStop, CanarySite::kGcwaitProcStopLostP, mp->curg, mp->oldp,
                     mp);
      }
      break;
    case EvType::kGoStart:
      if (mp->curg)
        c->CheckStraggler(mp->curg->trace, gen, CanarySite::kStragglerGoStart, mp->curg, nullptr,
                          mp);
      break;
    case EvType::kGoUnblock: {
      PerM& pm = c->m_[mp->id];
      if (pm.nunblocked < rt::kMaxG + 1) pm.unblocked[pm.nunblocked++] = int64_t(ev.args[0]);
      if (const rt::g* gp = c->G(int64_t(ev.args[0])))
        c->CheckStraggler(gp->trace, gen, CanarySite::kStragglerGoUnblock, gp, nullptr, mp);
      break;
    }
    case EvType::kGoSyscallBegin: {
      if (mp->pp)
        c->CheckStraggler(mp->pp->trace, gen, CanarySite::kStragglerGoSyscallBegin, nullptr, mp->pp,
                          mp);
      // entersyscallblock's gap closes; it was harmful only if a snapshot
      // recorded "syscall" for the generation this event goes to.
      PerM& pm = c->m_[mp->id];
      if (pm.block_g && pm.block_g == mp->curg) {
        if (pm.block_snap_gen == gen)
          c->Trigger(kCanaryEntersyscallblock, CanarySite::kEntersyscallblockSnapshotInGap,
                     pm.block_g, mp->pp, mp);
        pm.block_g = nullptr;
        pm.block_snap_gen = 0;
      }
      break;
    }
    case EvType::kProcStart:
      if (mp->pp)
        c->CheckStraggler(mp->pp->trace, gen, CanarySite::kStragglerProcStart, nullptr, mp->pp, mp);
      break;
    case EvType::kProcSteal:
      if (const rt::p* pp = c->P(ev.args[0]))
        c->CheckStraggler(pp->trace, gen, CanarySite::kStragglerProcSteal, nullptr, pp, mp);
      break;
    default: break;
  }
}

void Canaries::OnGenSwitch(void* ctx, uint64_t old_gen, uint64_t new_gen) {
  auto* c = static_cast<Canaries*>(ctx);
  if (old_gen == 0) {
    c->counts_.starts++;
  } else if (new_gen == 0) {
    c->counts_.stops++;
    for (PerM& pm : c->m_) pm.block_g = nullptr;  // no GoSyscallBegin can follow in this trace
  } else {
    c->counts_.advances++;
  }
}

void Canaries::OnProbe(void* ctx, rt::Probe what, rt::m* mp, const rt::g* gp, const rt::p* pp,
                       uint64_t gen) {
  auto* c = static_cast<Canaries*>(ctx);
  const uint64_t now = c->rt_->trace.gen.Raw();
  switch (what) {
    case rt::Probe::kExitsyscallfastTookP:
      if (gen == 0 && now != 0)
        c->Trigger(kCanaryStartTraceExitsyscallfast, CanarySite::kExitsyscallfastAcrossStart, gp,
                   pp, mp);
      break;
    case rt::Probe::kSyscallPStolenBeforeAcquire: {
      // exitsyscallfast's own P back with its syscalltick unchanged: no
      // steal, no ProcSteal to lose.
      if (gen == 1 && mp->syscalltick == pp->syscalltick.Raw()) break;
      PerM& pm = c->m_[mp->id];
      pm.stolen = pp;
      pm.stolen_gen = now;
      pm.stolen_step = c->rt_->engine->step();
      if (now != 0) c->hits_[kCanaryProcStealLost].reached = true;
      break;
    }
    case rt::Probe::kProcSteal:
      // StopTrace ended this locker's generation, the P's status was traced
      // in it, and its syscall entry was not (tracing was off by then).
      if (pp->trace.mSyscallID == -1 && now == 0 && pp->trace.statusTraced[gen % 3].Raw() != 0)
        c->Trigger(kCanaryStopTraceStraggler, CanarySite::kProcStealAfterStopTrace, nullptr, pp,
                   mp);
      break;
    case rt::Probe::kStatusSnapshot:
      // go65196: a goroutine in a syscall snapshotted with a thread id that
      // is not its M's. Judged here, when the snapshot is taken, because its
      // GoStatus is written later (after the goroutine may have left the
      // syscall, its M, or died), possibly after the event the parser then
      // rejects.
      if (gp && mp && (gp->atomicstatus.Raw() & ~rt::_Gscan) == rt::_Gsyscall) {
        c->hits_[kCanarySnapshotSyscallM].reached = true;
        if (gen != static_cast<uint64_t>(mp->procid))
          c->Trigger(kCanarySnapshotSyscallM, CanarySite::kSnapshotSyscallOtherM, gp, nullptr, mp);
      }
      break;
    case rt::Probe::kAcquireP: break;
    case rt::Probe::kSpinningRecheck:
      if (mp) {
        const uint64_t bit = uint64_t{1} << mp->id;
        c->rechecking_ = gen ? (c->rechecking_ | bit) : (c->rechecking_ & ~bit);
      }
      break;
    case rt::Probe::kSubmitted: {
      if (gen != static_cast<uint64_t>(rt::Submitter::kInjectglist) || !mp) break;
      PerM& pm = c->m_[mp->id];
      if (pm.ninjected == 0) break;
      c->hits_[kCanaryInjectglistNoWakep].reached = true;
      Stranded s;
      if (FindStranded(*c->rt_, mp, {pm.injected, size_t(pm.ninjected)}, c->rechecking_, &s))
        c->Trigger(kCanaryInjectglistNoWakep, CanarySite::kInjectglistLeftIdleP, s.gp, s.on, mp);
      pm.ninjected = 0;
      break;
    }
  }
}

}  // namespace schedfuzz::oracle
