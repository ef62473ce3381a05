#include "core/oracle/canaries.h"

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
    case kNumCanaries: break;
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
    pm.nunblocked = 0;
  }
}

void Canaries::Trigger(Canary c, const rt::g* gp, const rt::p* pp) {
  CanaryHit& h = hits_[c];
  h.reached = true;
  if (pp && pp->id < 32) h.procs |= 1u << pp->id;
  if (gp && gp->goid > 0 && gp->goid < CanaryHit::kMaxGoidTracked) h.goids.set(gp->goid);
  if (h.triggered) return;
  h.triggered = true;
  h.goid = gp ? gp->goid : 0;
  h.step = rt_->engine->step();
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
    // injectglist took its traceAcquire right before its status loop; a
    // locker that is not ok on an M without a P is the StartTrace window.
    if (pm.acquired_gen != 0) return;
    if (!mp->pp) c->hits_[kCanaryStartTracePless].reached = true;
    if (mp == c->rt_->sysmon_m) {
      // sysmon is P-less too, but StartTrace excludes it by sysmonlock; the
      // window is sysmon's only when it runs without that lock.
      if (c->rt_->sched.sysmonlock.owner() == c->rt_->engine->current()) return;
      c->hits_[kCanarySysmonNoLock].reached = true;
      if (tracing) c->Trigger(kCanarySysmonNoLock, gp, nullptr);
    } else if (tracing) {
      c->Trigger(kCanaryStartTracePless, gp, nullptr);
    }
  } else if (site == rt::kSiteEntersyscallblockCas) {
    if (tracing) c->Trigger(kCanaryEntersyscallblock, gp, nullptr);
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
      c->Trigger(kCanaryProcStealLost, nullptr, pm.stolen);
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
      c->Trigger(kCanaryEntersyscallblockSplit, mp->curg, mp->pp);
  }
}

void Canaries::OnRelease(void* ctx, rt::m* mp, uint64_t gen) {
  auto* c = static_cast<Canaries*>(ctx);
  PerM& pm = c->m_[mp->id];
  // The section said these goroutines became runnable; one still waiting
  // once the tracer is released is the Go issue 70883 window.
  for (int i = 0; i < pm.nunblocked; ++i) {
    const rt::g* gp = c->G(pm.unblocked[i]);
    if (gp && gp->atomicstatus.Raw() == rt::_Gwaiting) c->Trigger(kCanaryGo70883, gp, nullptr);
  }
  pm.nunblocked = 0;
}

void Canaries::CheckStraggler(const rt::traceSchedResourceState& st, uint64_t gen, const rt::g* gp,
                              const rt::p* pp) {
  if (rt_->trace.gen.Raw() != gen && st.statusTraced[(gen + 1) % 3].Raw() != 0)
    Trigger(kCanaryGenStraggler, gp, pp);
}

// Events that take a sequence number: the straggler check, at the instant
// the number is taken (nothing runs between the two).
void Canaries::OnEvent(void* ctx, const tracefmt::Event& ev, uint64_t gen, rt::m* mp) {
  auto* c = static_cast<Canaries*>(ctx);
  if (!mp) return;
  switch (ev.type) {
    case EvType::kGoStart:
      if (mp->curg) c->CheckStraggler(mp->curg->trace, gen, mp->curg, nullptr);
      break;
    case EvType::kGoUnblock: {
      PerM& pm = c->m_[mp->id];
      if (pm.nunblocked < rt::kMaxG + 1) pm.unblocked[pm.nunblocked++] = int64_t(ev.args[0]);
      if (const rt::g* gp = c->G(int64_t(ev.args[0])))
        c->CheckStraggler(gp->trace, gen, gp, nullptr);
      break;
    }
    case EvType::kGoSyscallBegin:
    case EvType::kProcStart:
      if (mp->pp) c->CheckStraggler(mp->pp->trace, gen, nullptr, mp->pp);
      break;
    case EvType::kProcSteal:
      if (const rt::p* pp = c->P(ev.args[0])) c->CheckStraggler(pp->trace, gen, nullptr, pp);
      break;
    default: break;
  }
}

void Canaries::OnGenSwitch(void* ctx, uint64_t old_gen, uint64_t new_gen) {
  auto* c = static_cast<Canaries*>(ctx);
  if (old_gen == 0)
    c->counts_.starts++;
  else if (new_gen == 0)
    c->counts_.stops++;
  else
    c->counts_.advances++;
}

void Canaries::OnProbe(void* ctx, rt::Probe what, rt::m* mp, const rt::g* gp, const rt::p* pp,
                       uint64_t gen) {
  auto* c = static_cast<Canaries*>(ctx);
  const uint64_t now = c->rt_->trace.gen.Raw();
  switch (what) {
    case rt::Probe::kExitsyscallfastTookP:
      if (gen == 0 && now != 0) c->Trigger(kCanaryStartTraceExitsyscallfast, gp, pp);
      break;
    case rt::Probe::kSyscallPStolenBeforeAcquire: {
      PerM& pm = c->m_[mp->id];
      pm.stolen = pp;
      pm.stolen_gen = now;
      if (now != 0) c->hits_[kCanaryProcStealLost].reached = true;
      break;
    }
    case rt::Probe::kProcSteal:
      // StopTrace ended this locker's generation, the P's status was traced
      // in it, and its syscall entry was not (tracing was off by then).
      if (pp->trace.mSyscallID == -1 && now == 0 && pp->trace.statusTraced[gen % 3].Raw() != 0)
        c->Trigger(kCanaryStopTraceStraggler, nullptr, pp);
      break;
    case rt::Probe::kAcquireP: break;
  }
}

}  // namespace schedfuzz::oracle
