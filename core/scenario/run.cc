#include "core/scenario/run.h"

#include "absl/strings/str_format.h"

#include "core/oracle/invariants.h"

namespace schedfuzz::scenario {

Runner::Runner()
    : engine_(std::make_unique<sim::Engine>(sim::EngineOptions{.step_budget = 50000})) {
  for (rt::Release r : rt::kReleases) runtimes_[static_cast<int>(r)] = rt::NewRuntime(r);
  rt_ = runtimes_[0].get();
}

Runner::~Runner() = default;

const Outcome& Runner::Run(const Scenario& sc, const RunOptions& opts) {
  bytes_.Reset(sc.schedule);
  return Run(sc, bytes_, opts);
}

const Outcome& Runner::Run(const Scenario& sc, sim::Chooser& chooser, const RunOptions& opts) {
  Judge(sc, chooser, opts);
  const rt::Variant& variant = opts.variant ? *opts.variant : rt::DefaultVariant();
  out_.known = oracle::Attribute(out_.verdict, canaries_.hits(), variant.release);
  return out_;
}

void Runner::Judge(const Scenario& sc, sim::Chooser& chooser, const RunOptions& opts) {
  out_ = Outcome{};
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
  if (oracle::Runs(opts.oracles, oracle::OracleSet::kDiscipline)) discipline_.Attach(rt_);
  rt_->Setup(sc, variant, engine_.get());
  out_.engine = engine_->Run(chooser);

  const rt::Runtime& r = *rt_;
  out_.sessions = r.trace.nsessions;
  for (const tracefmt::Trace& t : r.sessions())
    for (const tracefmt::Batch& b : t) out_.events += b.events.size();

  oracle::Verdict& v = out_.verdict;
  if (!r.limit_reached.empty()) {
    out_.discarded = r.limit_reached;
    return;
  }
  // The model's own throws come first: the run stopped there.
  if (!r.violation.empty()) {
    v.violation = true;
    v.oracle = "invariant";
    v.check = "throw";
    v.message = r.violation;
    v.step = out_.engine.steps;
    return;
  }
  if (discipline_.verdict().violation) {
    v = discipline_.verdict();
    return;
  }
  if (oracle::Runs(opts.oracles, oracle::OracleSet::kInvariant)) {
    std::string msg = oracle::CheckSchedulerInvariants(r, out_.engine.status);
    if (msg.empty() && out_.engine.status == sim::RunStatus::kDeadlock) {
      msg = "deadlock: " + out_.engine.Describe(engine_->thread_names());
    }
    if (!msg.empty()) {
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
        v.violation = true;
        v.oracle = "validator";
        v.check = "parser";
        v.message = res.error;
        v.session = s;
        v.gen = res.gen;
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

}  // namespace schedfuzz::scenario
