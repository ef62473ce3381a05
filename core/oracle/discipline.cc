#include "core/oracle/discipline.h"

#include "absl/strings/str_format.h"

#include "core/tracefmt/spec.h"

namespace schedfuzz::oracle {

using rt::g;
using rt::m;
using tracefmt::EvType;
using tracefmt::GoStatus;

namespace {

// The traced status a runtime status maps to, or kBad when it cannot be
// snapshotted (running, dead, idle): suspendG waits on a running goroutine
// and reports a dead one as dead. A goroutine waiting only so that the GC or
// the tracer can take its stack is traced as running (the release's
// goStatusToTraceGoStatus): its status changes need no event.
GoStatus Snapshotable(const rt::Runtime& r, uint32_t status, rt::waitReason wr) {
  switch (status & ~rt::_Gscan) {
    case rt::_Grunnable:
    case rt::_Gwaiting:
    case rt::_Gsyscall:
    case rt::_Gpreempted: {
      const GoStatus s = r.goStatusToTraceGoStatus(status & ~rt::_Gscan, wr);
      return s == GoStatus::kRunning ? GoStatus::kBad : s;
    }
  }
  return GoStatus::kBad;
}

uint8_t ExpectedEvent(uint32_t old, uint32_t nw) {
  if (old == rt::_Gwaiting && nw == rt::_Grunnable) return static_cast<uint8_t>(EvType::kGoUnblock);
  if (old == rt::_Grunning && nw == rt::_Gwaiting) return static_cast<uint8_t>(EvType::kGoBlock);
  if (old == rt::_Grunning && nw == rt::_Grunnable) return static_cast<uint8_t>(EvType::kGoStop);
  if (old == rt::_Grunning && nw == rt::_Gsyscall)
    return static_cast<uint8_t>(EvType::kGoSyscallBegin);
  if (old == rt::_Gsyscall && nw == rt::_Grunnable)
    return static_cast<uint8_t>(EvType::kGoSyscallEndBlocked);
  if (old == rt::_Gdead && nw == rt::_Grunnable) return static_cast<uint8_t>(EvType::kGoCreate);
  return 0xff;
}

}  // namespace

void Discipline::Attach(rt::Runtime* r, const Canaries* canaries) {
  rt_ = r;
  canaries_ = canaries;
  rt::ModelHooks h;
  h.ctx = this;
  h.on_status = &OnStatus;
  h.on_event = &OnEvent;
  h.on_acquire = &OnAcquire;
  h.on_release = &OnRelease;
  h.on_gen_switch = &OnGenSwitch;
  h.on_flush = &OnFlush;
  h.on_probe = &OnProbe;
  r->hooks.Add(h);
}

void Discipline::Reset() {
  for (int i = 0; i < nverdicts_; ++i) verdicts_[i] = Verdict{};
  nverdicts_ = 0;
  dropped_ = 0;
  for (BlockGap& b : gap_) b = BlockGap{};
  // Only the headers: Touch initializes a slot's entries as it hands it out
  // (a window is reused the same way within a run), and clearing all the
  // slots would be 20 KB per run.
  for (Window& w : win_) {
    w.open = false;
    w.gen = 0;
    w.n = 0;
  }
  for (auto& t : tstate_) t = 0;
  for (auto& t : tgen_) t = 0;
  for (auto& f : flushed_) f = 0;
}

void Discipline::Record(const char* check, const Culprit& c, const char* site, uint64_t gen) {
  Verdict& v = verdicts_[nverdicts_];
  v.violation = true;
  v.oracle = "discipline";
  v.check = check;
  v.site = site;
  v.step = rt_->engine->step();
  v.thread = rt_->engine->current();
  v.goid = c.goid;
  v.gen = gen;
  v.nculprits = 0;
  v.AddCulprit(c);
  v.m_acted = true;
  const KnownFinding* k =
      canaries_ ? Attribute(v, canaries_->log(), rt_->variant->release) : nullptr;
  known_[nverdicts_] = k;
  if (k && k->quiet) {
    // Understood and harmless to go on from: keep it (while there is room
    // beside the last slot) and let the run continue.
    if (nverdicts_ < kMaxVerdicts - 1)
      ++nverdicts_;
    else
      ++dropped_;
    return;
  }
  ++nverdicts_;
  rt_->engine->Abort();
}

Culprit Discipline::Actor(const m* mp, int64_t goid) const {
  Culprit c;
  c.goid = goid;
  if (mp) {
    c.m = mp->procid;
    if (mp->pp) c.p = mp->pp->id;
  }
  c.step = rt_->engine->step();
  return c;
}

bool Discipline::InEntersyscallblockGap(const g* gp) const {
  for (const BlockGap& b : gap_)
    if (b.gp == gp) return true;
  return false;
}

g* Discipline::G(int64_t goid) {
  if (goid == rt::kTracerGoid) return &rt_->tracer_g;
  // Goroutine ids are unique among the slots, and until gFree hands a slot
  // to a new goroutine each slot i holds goid i+1: try that slot first.
  if (goid >= 1 && goid <= rt_->nallgs && rt_->allgs[goid - 1].goid == goid)
    return &rt_->allgs[goid - 1];
  for (int i = 0; i < rt_->nallgs; ++i)
    if (rt_->allgs[i].goid == goid) return &rt_->allgs[i];
  return nullptr;
}

int Discipline::Touch(Window& w, g* gp) {
  for (int i = 0; i < w.n; ++i)
    if (w.gp[i] == gp) return i;
  if (w.n == kWindowCap)
    return kWindowCap - 1;  // cannot happen: at most every goroutine and the tracer's
  w.gp[w.n] = gp;
  w.need[w.n] = kNone;
  w.changed[w.n] = false;
  w.seen[w.n] = 0;
  return w.n++;
}

bool Discipline::TouchedByOpenWindow(const g* gp) const {
  for (const Window& w : win_) {
    if (!w.open) continue;
    for (int i = 0; i < w.n; ++i)
      if (w.gp[i] == gp) return true;
  }
  return false;
}

void Discipline::CheckD2(g* gp, const When& w) {
  if (!gp || gp == &rt_->tracer_g) return;
  const int slot = static_cast<int>(gp - rt_->allgs);
  const uint8_t t = tstate_[slot];
  if (t == 0) return;
  const GoStatus r = Snapshotable(*rt_, gp->atomicstatus.Raw(), gp->waitreason);
  if (r == GoStatus::kBad || static_cast<uint8_t>(r) == t) return;
  if (TouchedByOpenWindow(gp)) return;
  // entersyscallblock's GoSyscallBegin is still to come: D1 judges the gap.
  if (InEntersyscallblockGap(gp)) return;
  char when[96];
  if (w.releaser)
    absl::SNPrintF(when, sizeof(when), "when %s released the tracer", w.releaser->name);
  else
    absl::SNPrintF(when, sizeof(when), "at the generation switch %d -> %d", w.old_gen, w.new_gen);
  Fire("D2", Actor(w.releaser, gp->goid),
       w.releaser ? "traceRelease" : "traceAdvance: generation switch", rt_->trace.gen.Raw(),
       "D2: %s, the trace says goroutine %d is %s but its status is %s (%s), and no M is about "
       "to write an event for it: a traceAdvance snapshot now would record %s",
       when, gp->goid, tracefmt::GoStatusName(static_cast<GoStatus>(t)), tracefmt::GoStatusName(r),
       rt::GStatusName(gp->atomicstatus.Raw()), tracefmt::GoStatusName(r));
}

void Discipline::Replay(const tracefmt::Event& ev, uint64_t gen, m* mp) {
  const tracefmt::EvSpec& spec = tracefmt::SpecOf(ev.type);
  g* target = nullptr;
  switch (spec.g_subject) {
    case tracefmt::GoSubject::kArg: target = G(static_cast<int64_t>(ev.args[spec.g_arg])); break;
    case tracefmt::GoSubject::kCurrent: target = mp ? mp->curg : nullptr; break;
    case tracefmt::GoSubject::kNoSubject: return;
  }
  const uint8_t st = static_cast<uint8_t>(tracefmt::ImpliedGoStatus(ev));
  if (!target) return;
  const int slot = target == &rt_->tracer_g ? rt::kMaxG : static_cast<int>(target - rt_->allgs);
  // The parser reads generation by generation, so a late write into an
  // older generation (traceAdvance's status pass) comes before everything
  // already written to a newer one: it cannot change T.
  if (gen >= tgen_[slot]) {
    tstate_[slot] = st;
    tgen_[slot] = gen;
  }
  if (mp && W(mp).open) {
    Window& w = W(mp);
    const int i = Touch(w, target);
    w.seen[i] |= uint64_t{1} << static_cast<int>(ev.type);
    if (w.need[i] == static_cast<uint8_t>(ev.type)) w.need[i] = kNone;
    // Go 1.27's exitsyscall leaves _Gsyscall for _Grunning untraced (a change
    // into _Grunning is described after it, trace.go invariant 7), so to the
    // trace the goroutine is still in its syscall, and exitsyscallNoP's
    // running -> runnable is described by GoSyscallEndBlocked.
    if (w.need[i] == static_cast<uint8_t>(EvType::kGoStop) &&
        ev.type == EvType::kGoSyscallEndBlocked)
      w.need[i] = kNone;
  }
}

void Discipline::OnStatus(void* ctx, g* gp, uint32_t old, uint32_t nw, m* mp, const char* site) {
  auto* d = static_cast<Discipline*>(ctx);
  const uint64_t gen = d->rt_->trace.gen.Raw();
  if (gen == 0 || gp == &d->rt_->tracer_g) return;
  const uint32_t o = old & ~rt::_Gscan, n = nw & ~rt::_Gscan;
  if (o == n) return;  // taking or dropping the scan bit
  const GoStatus nr = Snapshotable(*d->rt_, n, gp->waitreason);
  const GoStatus orr = Snapshotable(*d->rt_, o, gp->waitreason);
  if (nr == GoStatus::kBad || nr == orr) return;
  // StartTrace's own protocol for exiting syscalls: it sets the generation,
  // then waits until no M is between traceExitingSyscall and
  // traceExitedSyscall, so such a change cannot contradict a status it
  // records later (trace2.go:175-199).
  if (mp && mp->exiting_syscall && !d->W(mp).open) return;
  // A change out of a status no snapshot can hold (running: suspendG waits
  // for a running goroutine) into the status the trace already gives the
  // goroutine, or for a goroutine this trace has not described yet, cannot
  // contradict anything: no snapshot can have recorded the old status, and a
  // later one records the new status, which the goroutine's next events start
  // from. Go 1.27's P-less goroutines entering a syscall across StartTrace
  // (reentersyscall's entersyscallHandleGCWait, entersyscallblock) do this.
  const uint8_t t = d->tstate_[gp - d->rt_->allgs];
  if (orr == GoStatus::kBad && (t == 0 || t == static_cast<uint8_t>(nr)) && (!mp || !d->W(mp).open))
    return;
  if (!mp || !d->W(mp).open) {
    if (mp && site == rt::kSiteEntersyscallblockCas) {
      // Go 1.22's entersyscallblock: the GoSyscallBegin comes in
      // entersyscallblock_handoff's critical section; judged there.
      d->gap_[mp->id] = BlockGap{.gp = gp, .snap_gen = 0, .step = d->rt_->engine->step()};
      return;
    }
    d->Fire("D1", d->Actor(mp, gp->goid), site, gen,
            "D1: goroutine %d changed from %s to %s at \"%s\" on %s outside any trace critical "
            "section while tracing is on (generation %d): no event describes the change, so a "
            "traceAdvance snapshot can record a status the event stream contradicts",
            gp->goid, rt::GStatusName(o), rt::GStatusName(n), site,
            mp ? mp->name : "a non-M thread", gen);
    return;
  }
  Window& w = d->W(mp);
  const int i = d->Touch(w, gp);
  w.changed[i] = true;
  const uint8_t want = ExpectedEvent(o, n);
  if (want != kNone && !(w.seen[i] & (uint64_t{1} << want))) w.need[i] = want;
  w.from[i] = static_cast<uint16_t>(o);
  w.to[i] = static_cast<uint16_t>(n);
  w.site[i] = site;
}

void Discipline::OnEvent(void* ctx, const tracefmt::Event& ev, uint64_t gen, m* mp) {
  auto* d = static_cast<Discipline*>(ctx);
  if (ev.type == EvType::kGoStatus && ev.args[2] == static_cast<uint64_t>(GoStatus::kSyscall)) {
    // A snapshot of a goroutine in entersyscallblock's gap.
    for (BlockGap& b : d->gap_)
      if (b.gp && b.gp->goid == static_cast<int64_t>(ev.args[0])) b.snap_gen = gen;
  }
  if (ev.type == EvType::kGoSyscallBegin && mp && d->gap_[mp->id].gp == mp->curg && mp->curg) {
    const BlockGap b = d->gap_[mp->id];
    d->gap_[mp->id] = BlockGap{};
    if (b.snap_gen == gen) {
      d->Fire("D1", d->Actor(mp, b.gp->goid), rt::kSiteEntersyscallblockCas, gen,
              "D1: goroutine %d changed from running to syscall at \"%s\" on %s (step %d) "
              "outside any trace critical section, and a status snapshot recorded it as in a "
              "syscall for generation %d before its GoSyscallBegin went to that same "
              "generation: the generation says syscall before an event that needs running",
              b.gp->goid, rt::kSiteEntersyscallblockCas, mp->name, b.step, gen);
    }
  }
  if (mp && gen <= d->flushed_[mp->id]) {
    d->Fire("G1", d->Actor(mp, 0), "event writer", gen,
            "G1: %s wrote %s to generation %d after traceAdvance had flushed its generation-%d "
            "buffer",
            mp->name, tracefmt::EvName(ev.type), gen, d->flushed_[mp->id]);
  }
  d->Replay(ev, gen, mp);
}

void Discipline::OnAcquire(void* ctx, m* mp, uint64_t gen) {
  if (gen == 0) return;  // not ok: no critical section opens
  auto* d = static_cast<Discipline*>(ctx);
  Window& w = d->W(mp);
  w.open = true;
  w.gen = gen;
  w.n = 0;
}

void Discipline::OnRelease(void* ctx, m* mp, uint64_t gen) {
  auto* d = static_cast<Discipline*>(ctx);
  Window& w = d->W(mp);
  for (int i = 0; i < w.n; ++i) {
    if (w.need[i] == kNone) continue;
    d->Fire("D1", d->Actor(mp, w.gp[i]->goid), w.site[i], gen,
            "D1: goroutine %d changed from %s to %s at \"%s\" inside %s's trace critical section "
            "(generation %d), but the section ended without the %s event that describes it",
            w.gp[i]->goid, rt::GStatusName(w.from[i]), rt::GStatusName(w.to[i]), w.site[i],
            mp->name, gen, tracefmt::EvName(static_cast<EvType>(w.need[i])));
  }
  w.open = false;
  for (int i = 0; i < w.n; ++i) {
    if (!w.changed[i]) continue;
    d->CheckD2(w.gp[i], When{.releaser = mp});
  }
  w.n = 0;
}

void Discipline::OnGenSwitch(void* ctx, uint64_t old_gen, uint64_t new_gen) {
  auto* d = static_cast<Discipline*>(ctx);
  if (old_gen == 0) {
    for (auto& t : d->tstate_) t = 0;  // a new trace: the parser starts from scratch
    for (auto& t : d->tgen_) t = 0;
    return;
  }
  const When when{.old_gen = old_gen, .new_gen = new_gen};
  for (int i = 0; i < d->rt_->nallgs; ++i) d->CheckD2(&d->rt_->allgs[i], when);
  // Checked above as gaps still open (their GoSyscallBegin is to come); once
  // tracing stops none can follow in this trace.
  if (new_gen == 0)
    for (BlockGap& gap : d->gap_) gap = BlockGap{};
}

void Discipline::OnFlush(void* ctx, m* mp, uint64_t gen) {
  auto* d = static_cast<Discipline*>(ctx);
  const Window& w = d->W(mp);
  if (w.open && w.gen == gen) {
    d->Fire("G1", d->Actor(mp, 0), "traceAdvance: flush", gen,
            "G1: traceAdvance flushed %s's generation-%d buffer while %s was inside a "
            "generation-%d trace critical section",
            mp->name, gen, mp->name, gen);
  }
  if (gen > d->flushed_[mp->id]) d->flushed_[mp->id] = gen;
}

void Discipline::OnProbe(void* ctx, rt::Probe what, m* mp, const rt::g* gp, const rt::p* pp,
                         uint64_t gen) {
  (void)gp;
  (void)gen;
  auto* d = static_cast<Discipline*>(ctx);
  if (what != rt::Probe::kAcquireP || !mp || d->rt_->variant->release != rt::Release::kGo127)
    return;
  const Window& w = d->W(mp);
  if (!w.open) return;
  Culprit c = d->Actor(mp, 0);
  c.p = pp->id;
  d->Fire("D3", c, "acquire P", w.gen,
          "D3: %s acquired P %d inside its generation-%d trace critical section: a P must be "
          "acquired outside one (trace.go invariant 5), or its ProcStart can land in a generation "
          "before the ProcStop that freed it",
          mp->name, pp->id, w.gen);
}

}  // namespace schedfuzz::oracle
