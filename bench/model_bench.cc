// The cost of one run of the model against the size of the scenario.
//
// Each benchmark iteration is one scenario::Runner::Run: set up the model for
// the scenario, run it on the interleaving engine under the default
// ByteChooser, and judge it with every oracle (discipline, invariants, the
// trace validator). That is what a fuzz target does per input, minus the
// decoding. The scenarios grow the 70883 shape of the default scenario
// (docs/format.md section 2.4) along three axes:
//   procs       GOMAXPROCS 1, 2, 4 (Ms = procs + 1)
//   goroutines  4, 16, 64: two parked on descriptors (program 0, readied by
//               one poll batch) and the rest runnable and busy (program 1:
//               work 4; gosched; work 4; yield; work 4)
//   advances    traceAdvance calls between StartTrace and StopTrace: 0, 2, 8
// and two schedules:
//   sched 0     the empty schedule: DefaultChoice at every decision (keep the
//               current thread), the fewest switches
//   sched 1     a fixed 256-byte pseudo-random schedule (SplitMix64, seed 42),
//               then DefaultChoice: many more switches
// Everything is deterministic: every iteration of a benchmark repeats the
// same run, so the counters are exact per run:
//   steps, decisions   scheduling points and chooser decisions per run
//   events             trace events written per run (all sessions)
//   violation          1 if an oracle fired (the fixed variant should say 0)
//   per_step           wall time per scheduling point, model work included
// The step budget is raised to 200000 so that even the largest scenario runs
// to its end; BM_ModelDefault* show the default scenario at the default
// budget, on both variants.
#include <cstdint>
#include <vector>

#include <benchmark/benchmark.h>

#include "core/runtime/variant.h"
#include "core/scenario/codec.h"
#include "core/scenario/run.h"
#include "core/scenario/scenario.h"
#include "core/sim/chooser.h"

namespace {

namespace sc = schedfuzz::scenario;

sc::Scenario MakeScenario(int procs, int goroutines, int advances, int sched) {
  sc::Scenario s = sc::DefaultScenario();
  s.nprocs = static_cast<uint8_t>(procs);
  s.nms = static_cast<uint8_t>(procs + 1);
  s.goroutines.clear();
  for (int i = 0; i < goroutines; ++i) {
    sc::GoroutineSpec g;
    if (i < 2) {
      g.init = sc::InitState::kParkedFd;
      g.wait_arg = static_cast<uint8_t>(i);
      g.program = 0;
    } else {
      g.program = 1;
    }
    s.goroutines.push_back(g);
  }
  s.tracer.clear();
  s.tracer.push_back({sc::TracerOpKind::kStart, 0});
  for (int i = 0; i < advances; ++i) s.tracer.push_back({sc::TracerOpKind::kAdvance, 4});
  s.tracer.push_back({sc::TracerOpKind::kStop, 4});
  s.schedule.clear();
  if (sched == 1) {
    schedfuzz::sim::SplitMix64 rng(42);
    for (int i = 0; i < 256; ++i) s.schedule.push_back(static_cast<uint8_t>(rng.Next()));
  }
  sc::Normalize(&s);  // a no-op for these shapes; keeps the bench honest if bounds change
  return s;
}

void Report(benchmark::State& state, const sc::Outcome& out) {
  state.counters["steps"] = static_cast<double>(out.engine.steps);
  state.counters["decisions"] = static_cast<double>(out.engine.decisions);
  state.counters["events"] = static_cast<double>(out.events);
  state.counters["violation"] = out.verdict.violation ? 1 : 0;
  state.counters["discarded"] = out.discarded.empty() ? 0 : 1;
  state.counters["per_step"] = benchmark::Counter(
      static_cast<double>(out.engine.steps),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
  state.SetLabel(schedfuzz::sim::RunStatusName(out.engine.status));
}

// Args: procs, goroutines, advances, schedule (0 empty, 1 fixed random).
void BM_ModelRun(benchmark::State& state) {
  const sc::Scenario s =
      MakeScenario(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)),
                   static_cast<int>(state.range(2)), static_cast<int>(state.range(3)));
  sc::Runner runner;
  sc::RunOptions opts;
  opts.step_budget = 200000;
  runner.Run(s, opts);  // warm: the runner allocates its buffers once
  for (auto _ : state) {
    const sc::Outcome& out = runner.Run(s, opts);
    benchmark::DoNotOptimize(out.engine.steps);
  }
  Report(state, runner.Run(s, opts));
}
BENCHMARK(BM_ModelRun)
    ->ArgNames({"procs", "gs", "adv", "sched"})
    ->ArgsProduct({{1, 2, 4}, {4, 16, 64}, {0, 2, 8}, {0, 1}})
    ->Unit(benchmark::kMicrosecond);

// The default scenario (the empty fuzz input) at the default step budget, on
// the given variant: the per-input cost of scenario_fuzzer before
// decoding. Arg: schedule as above.
void ModelDefault(benchmark::State& state, const char* variant) {
  sc::Scenario s = sc::DefaultScenario();
  if (state.range(0) == 1) s = MakeScenario(2, 4, 2, 1);
  sc::Runner runner;
  sc::RunOptions opts;
  opts.variant = schedfuzz::rt::FindVariant(variant);
  if (opts.variant == nullptr) {
    state.SkipWithError("unknown variant");
    return;
  }
  runner.Run(s, opts);
  for (auto _ : state) {
    const sc::Outcome& out = runner.Run(s, opts);
    benchmark::DoNotOptimize(out.engine.steps);
  }
  Report(state, runner.Run(s, opts));
}
void BM_ModelDefaultFixed(benchmark::State& state) { ModelDefault(state, "fixed"); }
void BM_ModelDefaultGo70883(benchmark::State& state) { ModelDefault(state, "go70883"); }
BENCHMARK(BM_ModelDefaultFixed)->ArgName("sched")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ModelDefaultGo70883)->ArgName("sched")->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// Decoding a fuzz input: the other half of a fuzz target's per-input cost.
void BM_Decode(benchmark::State& state) {
  const std::vector<uint8_t> bytes = sc::Encode(MakeScenario(2, 4, 2, 1));
  sc::Scenario out;
  for (auto _ : state) {
    sc::Decode(bytes, &out);
    benchmark::DoNotOptimize(out.schedule.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes.size());
}
BENCHMARK(BM_Decode);

}  // namespace
