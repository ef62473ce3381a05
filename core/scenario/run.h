// run(Scenario, Chooser, options) -> Outcome: build the model for the
// scenario, run it under the chooser, and judge it with the oracles.
#ifndef SCHEDFUZZ_CORE_SCENARIO_RUN_H_
#define SCHEDFUZZ_CORE_SCENARIO_RUN_H_

#include <array>
#include <cstdint>
#include <iterator>
#include <memory>
#include <span>
#include <string>

#include "core/oracle/canaries.h"
#include "core/oracle/discipline.h"
#include "core/oracle/invariants.h"
#include "core/oracle/known.h"
#include "core/oracle/validator.h"
#include "core/oracle/verdict.h"
#include "core/runtime/runtime.h"
#include "core/scenario/scenario.h"
#include "core/sim/engine.h"

namespace schedfuzz::scenario {

struct RunOptions {
  const rt::Variant* variant = nullptr;  // null: the default ("fixed")
  oracle::OracleSet oracles = oracle::OracleSet::kAll;
  uint64_t step_budget = 20000;  // a run of the default scenario takes about 700
  bool record_steps = false;
  sim::Engine::Observer observer = nullptr;  // called at every step (explain)
  void* observer_ctx = nullptr;
  rt::ModelHooks observer_hooks;  // model events for reports; never affects the verdict
};

struct Outcome {
  sim::Outcome engine;  // how the run ended
  // The primary verdict: the first one no known finding explains, else the
  // first one (attributed); no violation if none fired.
  oracle::Verdict verdict;
  int sessions = 0;       // trace sessions written
  uint64_t events = 0;    // events written, all sessions
  std::string discarded;  // non-empty: the run hit a model bound and was not judged
  const oracle::KnownFinding* known =
      nullptr;  // the known finding the primary verdict is attributed to

  // Every verdict of the run in the order the oracles gave them: the
  // discipline's (quiet known ones do not end a run, so there can be several),
  // then a model throw or the scheduler invariants, then the validator's,
  // then the liveness invariant's (R1, oracle/invariants.h: found during the
  // run, it does not end it).
  static constexpr int kMaxVerdicts = oracle::Discipline::kMaxVerdicts + 3;
  std::array<oracle::Verdict, kMaxVerdicts> verdicts;
  std::array<const oracle::KnownFinding*, kMaxVerdicts> knowns = {};
  int nverdicts = 0;
  int dropped = 0;  // quiet discipline verdicts beyond the discipline's slots, not kept

  std::span<const oracle::Verdict> all() const { return {verdicts.data(), size_t(nverdicts)}; }
  // Whether some verdict is attributed to no known finding.
  bool HasNew() const {
    for (int i = 0; i < nverdicts; ++i)
      if (!knowns[i]) return true;
    return false;
  }
  // Back to "not run", reusing the strings' capacity.
  void Reset();
};

// One Runner per thread; it owns the engine, the model and the oracles and
// reuses them across runs (no allocation per run once warm).
class Runner {
 public:
  Runner();
  ~Runner();
  const Outcome& Run(const Scenario& sc, sim::Chooser& chooser, const RunOptions& opts = {});
  // Runs with a chooser over sc.schedule: a ByteChooser, or a PctByteChooser
  // when sc.pct_schedule (byte format version 3).
  const Outcome& Run(const Scenario& sc, const RunOptions& opts = {});

  const rt::Runtime& runtime() const { return *rt_; }
  // For observers that read model state during a run (explain).
  rt::Runtime* mutable_runtime() { return rt_; }
  const sim::Engine& engine() const { return *engine_; }
  const oracle::Canaries& canaries() const { return canaries_; }
  std::span<const tracefmt::Trace> traces() const { return rt_->sessions(); }
  const Outcome& outcome() const { return out_; }

 private:
  void Judge(const Scenario& sc, sim::Chooser& chooser, const RunOptions& opts);
  std::unique_ptr<sim::Engine> engine_;
  rt::Runtime* rt_ = nullptr;  // the model of the variant's release: one of runtimes_
  std::unique_ptr<rt::Runtime> runtimes_[std::size(rt::kReleases)];
  oracle::Canaries canaries_;
  oracle::Discipline discipline_;
  oracle::LivenessWatch liveness_;
  bool liveness_on_ = false;
  // Reused for every complete trace: a fresh one per trace allocated its
  // tables every run. The validator is compiled without coverage
  // instrumentation (core/oracle/CMakeLists.txt), so the capacity its tables
  // keep from earlier runs cannot change what a fuzzer sees.
  oracle::Validator validator_;
  sim::ByteChooser bytes_;
  sim::PctByteChooser pct_;
  Outcome out_;
};

// One line: "validator: inconsistent status for goroutine 7: old Runnable vs. new Waiting".
std::string DescribeVerdict(const oracle::Verdict& v);
// The verdict's structured fields in one line: what fired (oracle, check,
// site), the model step, generation, and each culprit's goroutine, P, M and,
// for the validator, event position and the step it was written at.
std::string DescribeVerdictDetails(const oracle::Verdict& v);

}  // namespace schedfuzz::scenario

#endif  // SCHEDFUZZ_CORE_SCENARIO_RUN_H_
