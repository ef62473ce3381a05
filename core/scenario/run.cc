#include "core/scenario/run.h"

#include <algorithm>

#include "absl/strings/str_format.h"

#include "core/oracle/invariants.h"
#include "core/tracefmt/spec.h"

namespace schedfuzz::scenario {

Runner::Runner()
    : engine_(std::make_unique<sim::Engine>(sim::EngineOptions{.step_budget = 50000})) {
  for (rt::Release r : rt::kReleases) runtimes_[static_cast<int>(r)] = rt::NewRuntime(r);
  rt_ = runtimes_[0].get();
}

Runner::~Runner() = default;

const Outcome& Runner::Run(const Scenario& sc, const RunOptions& opts) {
  if (sc.pct_schedule) {
    pct_.Reset(sc.schedule);
    return Run(sc, pct_, opts);
  }
  bytes_.Reset(sc.schedule);
  return Run(sc, bytes_, opts);
}

void Outcome::Reset() {
  engine = sim::Outcome{};
  verdict = oracle::Verdict{};
  sessions = 0;
  events = 0;
  discarded.clear();
  known = nullptr;
  for (int i = 0; i < nverdicts; ++i) {
    verdicts[i] = oracle::Verdict{};
    knowns[i] = nullptr;
  }
  nverdicts = 0;
  dropped = 0;
}

const Outcome& Runner::Run(const Scenario& sc, sim::Chooser& chooser, const RunOptions& opts) {
  Judge(sc, chooser, opts);
  // The liveness invariant's verdict, found during the run: after the
  // others, so that it never hides what they said.
  if (liveness_on_ && out_.discarded.empty() && liveness_.verdict().violation &&
      out_.nverdicts < Outcome::kMaxVerdicts) {
    out_.verdicts[out_.nverdicts] = liveness_.verdict();
    const rt::Variant& variant = opts.variant ? *opts.variant : rt::DefaultVariant();
    out_.knowns[out_.nverdicts] =
        oracle::Attribute(out_.verdicts[out_.nverdicts], canaries_.log(), variant.release);
    out_.nverdicts++;
  }
  // The primary verdict: the first new one, else the first.
  int primary = -1;
  for (int i = 0; i < out_.nverdicts && primary < 0; ++i)
    if (!out_.knowns[i]) primary = i;
  if (primary < 0 && out_.nverdicts > 0) primary = 0;
  if (primary >= 0) {
    out_.verdict = out_.verdicts[primary];
    out_.known = out_.knowns[primary];
  }
  return out_;
}

namespace {
// The step at which the event with timestamp ts was written (timestamps are
// unique in a run), or UINT64_MAX if the run wrote no such event.
uint64_t WrittenAt(const rt::Runtime& r, uint64_t ts) {
  const auto& w = r.trace.written;
  const auto it =
      std::lower_bound(w.begin(), w.end(), ts, [](const auto& e, uint64_t t) { return e.ts < t; });
  return it != w.end() && it->ts == ts ? it->step : UINT64_MAX;
}
}  // namespace

void Runner::Judge(const Scenario& sc, sim::Chooser& chooser, const RunOptions& opts) {
  out_.Reset();
  const rt::Variant& variant = opts.variant ? *opts.variant : rt::DefaultVariant();
  rt_ = runtimes_[static_cast<int>(variant.release)].get();
  engine_->set_step_budget(opts.step_budget);
  engine_->set_record_steps(opts.record_steps);
  engine_->set_observer(opts.observer, opts.observer_ctx);
  // Reports first, then the canaries, then the oracles (hooks.h).
  rt_->hooks.Clear();
  if (opts.observer_hooks.ctx) rt_->hooks.Add(opts.observer_hooks);
  canaries_.Reset();
  canaries_.Attach(rt_);
  discipline_.Reset();
  if (oracle::Runs(opts.oracles, oracle::OracleSet::kDiscipline))
    discipline_.Attach(rt_, &canaries_);
  liveness_.Reset();
  liveness_on_ = oracle::Runs(opts.oracles, oracle::OracleSet::kInvariant);
  if (liveness_on_) liveness_.Attach(rt_);
  rt_->Setup(sc, variant, engine_.get());
  out_.engine = engine_->Run(chooser);

  const rt::Runtime& r = *rt_;
  out_.sessions = r.trace.nsessions;
  for (const tracefmt::Trace& t : r.sessions())
    for (const tracefmt::Batch& b : t) out_.events += b.events.size();

  if (!r.limit_reached.empty()) {
    out_.discarded = r.limit_reached;
    return;
  }
  const rt::Release release = variant.release;
  auto add = [&]() -> oracle::Verdict& {
    out_.knowns[out_.nverdicts] = nullptr;
    return out_.verdicts[out_.nverdicts++];
  };
  // The discipline's verdicts, as it attributed them during the run.
  const std::span<const oracle::Verdict> dv = discipline_.verdicts();
  for (size_t i = 0; i < dv.size(); ++i) {
    add() = dv[i];
    out_.knowns[out_.nverdicts - 1] = discipline_.known(static_cast<int>(i));
  }
  out_.dropped = discipline_.dropped();
  // The model's own throws: the run stopped there.
  if (!r.violation.empty()) {
    oracle::Verdict& v = add();
    v.violation = true;
    v.oracle = "invariant";
    v.check = "throw";
    v.message = r.violation;
    v.step = out_.engine.steps;
    return;
  }
  // A violation the discipline did not let pass ended the run: what the
  // other oracles would see is a run cut short.
  if (out_.engine.status == sim::RunStatus::kAborted && !dv.empty()) return;
  if (oracle::Runs(opts.oracles, oracle::OracleSet::kInvariant)) {
    std::string msg = oracle::CheckSchedulerInvariants(r, out_.engine.status);
    if (msg.empty() && out_.engine.status == sim::RunStatus::kDeadlock) {
      msg = "deadlock: " + out_.engine.Describe(engine_->thread_names());
    }
    if (!msg.empty()) {
      oracle::Verdict& v = add();
      v.violation = true;
      v.oracle = "invariant";
      v.check = "scheduler";
      v.message = msg;
      v.step = out_.engine.steps;
      return;
    }
  }
  if (oracle::Runs(opts.oracles, oracle::OracleSet::kValidator)) {
    // Only complete sessions are judged: a run cut short (step budget, a
    // deadlock) can leave the last session without its final generation.
    for (int s = 0; s < r.trace.nclosed; ++s) {
      const oracle::ValidationResult res = validator_.Validate(r.trace.sessions[s]);
      if (!res.ok) {
        oracle::Verdict& v = add();
        v.violation = true;
        v.oracle = "validator";
        v.check = "parser";
        v.message = res.error;
        v.session = s;
        v.gen = res.gen;
        for (int i = 0; i < res.nculprits; ++i) {
          const oracle::ValidationResult::Culprit& k = res.culprits[i];
          oracle::Culprit c;
          c.goid = k.g > 0 ? k.g : 0;
          c.p = k.p;
          c.m = k.m;
          c.step = WrittenAt(r, k.ts);
          c.batch = static_cast<int64_t>(k.batch);
          c.event = static_cast<int64_t>(k.event);
          v.AddCulprit(c);
        }
        if (res.nculprits > 0) {
          v.site = std::string(tracefmt::SpecOf(res.culprits[0].type).name);
          v.goid = v.culprits[0].goid;
          if (v.culprits[0].step != UINT64_MAX) v.step = v.culprits[0].step;
        }
        out_.knowns[out_.nverdicts - 1] = oracle::Attribute(v, canaries_.log(), release);
        return;
      }
    }
  }
}

std::string DescribeVerdict(const oracle::Verdict& v) {
  if (!v.violation) return "ok";
  std::string first = v.message.substr(0, v.message.find('\n'));
  return absl::StrFormat("%s: %s", v.oracle, first);
}

std::string DescribeVerdictDetails(const oracle::Verdict& v) {
  if (!v.violation) return "";
  std::string s = absl::StrFormat("%s %s", v.oracle, v.check);
  if (!v.site.empty()) absl::StrAppendFormat(&s, " at \"%s\"", v.site);
  absl::StrAppendFormat(&s, ", step %d", v.step);
  if (v.gen != 0) absl::StrAppendFormat(&s, ", generation %d", v.gen);
  if (v.session >= 0) absl::StrAppendFormat(&s, ", session %d", v.session);
  for (const oracle::Culprit& c : v.Culprits()) {
    s += v.nculprits > 1 ? "; about" : ": about";
    if (c.goid > 0) absl::StrAppendFormat(&s, " goroutine %d", c.goid);
    if (c.p >= 0) absl::StrAppendFormat(&s, " P %d", c.p);
    if (c.m >= 0) absl::StrAppendFormat(&s, " M %d", c.m);
    if (c.batch >= 0) {
      absl::StrAppendFormat(&s, " (batch %d event %d", c.batch, c.event);
      if (c.step != UINT64_MAX) absl::StrAppendFormat(&s, ", written at step %d", c.step);
      s += ")";
    }
  }
  return s;
}

}  // namespace schedfuzz::scenario
