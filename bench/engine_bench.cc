// The cost of a scheduling point in the interleaving engine (core/sim).
//
// Every instrumented atomic, lock and note in the model is one
// Engine::Point. What a point costs depends on what the engine has to do
// there:
//   BM_PointAlone         one thread: nothing else is runnable, so there is
//                         no decision and no switch (the floor of a point).
//   BM_PointSwitch        two threads and a RoundRobinChooser: a decision and
//                         a fiber switch at every point.
//   BM_PointDecideNoSwitch two runnable threads, a chooser that keeps the
//                         current one: a decision at every point, no switch.
//   BM_FiberSwitch        core/sim/fiber.h SwitchTo alone, for reference:
//                         one transfer of control between two stacks.
// One benchmark iteration is one Engine::Run of kPoints points (the run's
// set-up, a few hundred ns, is spread over them) or, for BM_FiberSwitch, two
// switches. The counters give the cost per unit (seconds; JSON output keeps
// them in seconds, the console prints them with an SI prefix, "3.4n" = 3.4 ns):
//   per_point / per_switch  wall time per point or per switch
//   points                  points per iteration (sanity check)
// The work is identical in every repetition: no randomness, no allocation
// once warm. The engine's target is under 10 ns per switch in the plain build;
// build/bench-asan (SCHEDFUZZ_SANITIZE=ON, clang++-14) gives the ASan cost.
#include "core/sim/engine.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include <benchmark/benchmark.h>

#include "core/sim/chooser.h"
#include "core/sim/fiber.h"
#include "core/sim/sync.h"

namespace {

using schedfuzz::sim::Atomic;
using schedfuzz::sim::ChoicePoint;
using schedfuzz::sim::Chooser;
using schedfuzz::sim::Engine;
using schedfuzz::sim::EngineOptions;
using schedfuzz::sim::Outcome;
using schedfuzz::sim::RunStatus;

constexpr int kPoints = 4096;  // scheduling points per Engine::Run

// What one virtual thread does: `n` atomic loads, each one scheduling point.
struct LoadLoop {
  Atomic<uint64_t>* word;
  int n;
  uint64_t sum = 0;
};

void LoadThread(void* arg) {
  auto* l = static_cast<LoadLoop*>(arg);
  for (int i = 0; i < l->n; ++i) l->sum += l->word->Load("bench: load");
}

void Idle(void*) {}

// Keeps the current thread whenever it can run (DefaultChoice), through the
// virtual call every chooser pays.
class KeepCurrentChooser : public Chooser {
 public:
  int Choose(const ChoicePoint& p) override { return schedfuzz::sim::DefaultChoice(p); }
};

EngineOptions BenchOptions() {
  EngineOptions o;
  o.step_budget = kPoints + 64;  // never reached: every run completes
  o.stack_size = 64 * 1024;
  return o;
}

// Runs the engine once per iteration and checks the run did what the
// benchmark claims (completed; the expected number of steps and decisions),
// so a change in the engine cannot silently turn a "switch" benchmark into a
// "no switch" one.
void RunAndCount(benchmark::State& state, Engine& e, Chooser& chooser, uint64_t want_decisions) {
  uint64_t steps = 0, decisions = 0;
  for (auto _ : state) {
    const Outcome out = e.Run(chooser);
    steps = out.steps;
    decisions = out.decisions;
    benchmark::DoNotOptimize(steps);
    if (out.status != RunStatus::kCompleted) {
      state.SkipWithError("run did not complete");
      return;
    }
  }
  if (steps != kPoints || decisions < want_decisions) {
    std::fprintf(stderr,
                 "engine_bench: %llu steps, %llu decisions (want %d steps, >= %llu decisions)\n",
                 static_cast<unsigned long long>(steps), static_cast<unsigned long long>(decisions),
                 kPoints, static_cast<unsigned long long>(want_decisions));
    state.SkipWithError("unexpected step or decision count");
    return;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * kPoints);
  state.counters["points"] = kPoints;
  state.counters["decisions"] = static_cast<double>(decisions);
  state.counters["per_point"] = benchmark::Counter(
      kPoints, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

// (a) One thread: Point finds no other runnable thread and returns.
void BM_PointAlone(benchmark::State& state) {
  Engine e(BenchOptions());
  Atomic<uint64_t> word(1);
  LoadLoop loop{&word, kPoints};
  e.Spawn(&LoadThread, &loop, "loader");
  KeepCurrentChooser chooser;  // never asked
  RunAndCount(state, e, chooser, 0);
  state.counters["decisions"] = 0;
}
BENCHMARK(BM_PointAlone);

// (b) Two threads ping-pong: RoundRobinChooser picks the other thread at
// every decision, so every point is a decision plus a fiber switch.
void BM_PointSwitch(benchmark::State& state) {
  Engine e(BenchOptions());
  Atomic<uint64_t> word(1);
  LoadLoop a{&word, kPoints / 2}, b{&word, kPoints / 2};
  e.Spawn(&LoadThread, &a, "ping");
  e.Spawn(&LoadThread, &b, "pong");
  schedfuzz::sim::RoundRobinChooser chooser;
  // Both threads are runnable until one ends: kPoints - 1 switching decisions
  // plus the first pick.
  RunAndCount(state, e, chooser, kPoints - 1);
  state.counters["per_switch"] = state.counters["per_point"];
}
BENCHMARK(BM_PointSwitch);

// (c) Two runnable threads, the chooser keeps the current one: a decision at
// every point and no switch. The second thread does nothing; it only stays
// runnable (never started) until the first ends.
void BM_PointDecideNoSwitch(benchmark::State& state) {
  Engine e(BenchOptions());
  Atomic<uint64_t> word(1);
  LoadLoop loop{&word, kPoints};
  e.Spawn(&LoadThread, &loop, "loader");
  e.Spawn(&Idle, nullptr, "bystander");
  KeepCurrentChooser chooser;
  RunAndCount(state, e, chooser, kPoints);
}
BENCHMARK(BM_PointDecideNoSwitch);

// (d) The raw fiber switch: the host and one fiber bounce control back and
// forth. One iteration = two switches (host -> fiber -> host).
struct Bounce {
  schedfuzz::sim::Context host;
  schedfuzz::sim::Context fiber;
  bool stop = false;
};

void BounceMain(void* arg) {
  auto* b = static_cast<Bounce*>(arg);
  schedfuzz::sim::FiberStarted(&b->host);
  while (!b->stop) schedfuzz::sim::SwitchTo(&b->fiber, &b->host);
  schedfuzz::sim::SwitchFinal(&b->fiber, &b->host);
}

void BM_FiberSwitch(benchmark::State& state) {
  schedfuzz::sim::FiberStack stack(64 * 1024);
  Bounce b;
  schedfuzz::sim::MakeContext(&b.fiber, &stack, &BounceMain, &b);
  for (auto _ : state) {
    schedfuzz::sim::SwitchTo(&b.host, &b.fiber);
    benchmark::ClobberMemory();
  }
  // Let the fiber end properly (ASan drops its fake stack).
  b.stop = true;
  schedfuzz::sim::SwitchTo(&b.host, &b.fiber);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 2);
  state.counters["per_switch"] = benchmark::Counter(
      2, benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_FiberSwitch);

}  // namespace
