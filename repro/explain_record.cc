// The Recorder: turns observer calls and model hooks into StepRows and Facts.
#include "core/tracefmt/spec.h"
#include "repro/explain.h"

namespace schedfuzz::repro {

namespace {

Recorder* Self(void* ctx) { return static_cast<Recorder*>(ctx); }

}  // namespace

void Recorder::Install(scenario::RunOptions* opts) {
  opts->observer = &Recorder::OnStep;
  opts->observer_ctx = this;
  rt::ModelHooks h;
  h.ctx = this;
  h.on_status = &Recorder::OnStatus;
  h.on_event = &Recorder::OnEvent;
  h.on_acquire = &Recorder::OnAcquire;
  h.on_release = &Recorder::OnRelease;
  h.on_gen_switch = &Recorder::OnGenSwitch;
  h.on_flush = &Recorder::OnFlush;
  opts->observer_hooks = h;
  opts->record_steps = false;
  rec_ = Recording{};
}

const rt::m* Recorder::MOfThread(int thread) const {
  const rt::Runtime& r = runner_->runtime();
  for (int i = 0; i < r.nallm; ++i)
    if (r.allm[i].thread == thread) return &r.allm[i];
  return nullptr;
}

void Recorder::CompleteRow() {
  if (rec_.rows.empty()) return;
  StepRow& row = rec_.rows.back();
  row.gen = runner_->runtime().trace.gen.Raw();
  const rt::m* mp = MOfThread(row.thread);
  row.seq = mp ? static_cast<int64_t>(mp->trace.seqlock.Raw()) : -1;
}

void Recorder::Finish() {
  CompleteRow();
  rec_.thread_names.clear();
  for (const char* n : runner_->engine().thread_names()) rec_.thread_names.emplace_back(n);
}

void Recorder::OnStep(void* ctx, const sim::StepRecord& r) {
  Recorder* self = Self(ctx);
  self->CompleteRow();
  StepRow row;
  row.step = r.step;
  row.thread = r.thread;
  row.site = r.site;
  row.op = r.op;
  row.first_fact = self->rec_.facts.size();
  self->rec_.rows.push_back(row);
}

Fact& Recorder::Add(FactKind kind, const rt::m* mp) {
  // A thread's code before its first scheduling point runs without an
  // observer call of its own: give it a row so the fact is not pinned on
  // the thread that ran before it.
  const int thread = runner_->engine().current();
  if (rec_.rows.empty() || rec_.rows.back().thread != thread) {
    CompleteRow();
    StepRow row;
    row.step = rec_.rows.empty() ? 0 : rec_.rows.back().step;
    row.thread = thread;
    row.site = "(thread start): before its first scheduling point";
    row.first_fact = rec_.facts.size();
    rec_.rows.push_back(row);
  }
  StepRow& row = rec_.rows.back();
  row.nfacts++;
  Fact& f = rec_.facts.emplace_back();
  f.kind = kind;
  f.step = row.step;
  f.m = mp ? mp->name : "";
  const rt::Runtime& r = runner_->runtime();
  f.tracing_gen = r.trace.gen.Raw();
  if (mp) {
    f.in_window = mp->trace.seqlock.Raw() % 2 != 0;
    // The locker's generation is the one the M's last acquire saw.
    for (auto it = rec_.facts.rbegin() + 1; f.in_window && it != rec_.facts.rend(); ++it) {
      if (it->kind == FactKind::kAcquire && it->m == f.m) {
        f.window_gen = it->gen;
        break;
      }
    }
  }
  return f;
}

void Recorder::OnStatus(void* ctx, rt::g* gp, uint32_t old, uint32_t nw, rt::m* mp,
                        const char* site) {
  Fact& f = Self(ctx)->Add(FactKind::kStatus, mp);
  f.goid = gp->goid;
  f.old_status = old;
  f.new_status = nw;
  f.site = site;
  const uint32_t n = nw & ~rt::_Gscan;
  f.traced_running = (n == rt::_Gwaiting || n == rt::_Gpreempted) &&
                     Self(ctx)->runner_->runtime().goStatusToTraceGoStatus(n, gp->waitreason) ==
                         tracefmt::GoStatus::kRunning;
}

void Recorder::OnEvent(void* ctx, const tracefmt::Event& ev, uint64_t gen, rt::m* mp) {
  Fact& f = Self(ctx)->Add(FactKind::kEvent, mp);
  f.ev = ev;
  f.gen = gen;
  const tracefmt::EvSpec& spec = tracefmt::SpecOf(ev.type);
  if (spec.g_arg >= 0) {
    f.goid = static_cast<int64_t>(ev.args[spec.g_arg]);
  } else if (spec.g_subject == tracefmt::GoSubject::kCurrent && mp && mp->curg) {
    f.goid = mp->curg->goid;
  }
}

void Recorder::OnAcquire(void* ctx, rt::m* mp, uint64_t gen) {
  if (gen == 0) return;  // not ok: no critical section opens
  Fact& f = Self(ctx)->Add(FactKind::kAcquire, mp);
  f.gen = gen;
  f.window_gen = gen;
}

void Recorder::OnRelease(void* ctx, rt::m* mp, uint64_t gen) {
  Self(ctx)->Add(FactKind::kRelease, mp).gen = gen;
}

void Recorder::OnGenSwitch(void* ctx, uint64_t old_gen, uint64_t new_gen) {
  Recorder* self = Self(ctx);
  Fact& f = self->Add(FactKind::kGenSwitch, self->MOfThread(self->runner_->engine().current()));
  f.old_gen = old_gen;
  f.gen = new_gen;
}

void Recorder::OnFlush(void* ctx, rt::m* mp, uint64_t gen) {
  Self(ctx)->Add(FactKind::kFlush, mp).gen = gen;
}

}  // namespace schedfuzz::repro
