#include "repro/hunt.h"

#include <chrono>
#include <cstdio>
#include <memory>

#include "absl/strings/str_format.h"

#include "core/scenario/codec.h"
#include "core/scenario/text.h"
#include "core/sim/dfs.h"
#include "repro/cli.h"
#include "repro/input.h"
#include "repro/json.h"
#include "repro/report.h"

namespace schedfuzz::repro {

bool HuntWants(const scenario::Outcome& out, const std::string& find) {
  if (!out.verdict.violation) return false;
  if (find == "any") return true;
  if (find == "new") return out.known == nullptr;
  return out.known != nullptr && find == out.known->id;
}

namespace {

using Clock = std::chrono::steady_clock;

// hunt's default scenario: the empty input's machine (the Go issue 70883
// shape: two goroutines parked on fds handed to injectglist together, two
// goroutines yielding, a tracer that starts, advances twice and stops) plus
// one more M and a goroutine that makes syscalls and blocking syscalls, so a
// hunt reaches reentersyscall, entersyscallblock, exitsyscall and retake's
// windows as well as injectglist's.
constexpr char kSyscallsScenario[] = R"(schedfuzz scenario v1
procs 2
ms 4
runq 256
sysmon on rounds 4
fds 2
program 0: work 1
program 1: work 4; gosched; work 4; yield; work 4
program 2: work 2; syscall 4; syscallblock 4; work 2; syscall 2
g 1 parked fd 0 program 0
g 2 parked fd 1 program 0
g 3 runnable program 1
g 4 runnable program 1
g 5 runnable program 2
batch fds 0 1 via any delay 2
tracer start delay 0; advance delay 4; advance delay 4; stop delay 4
)";

// Re-encodes the decisions of the engine's last run as the scenario's
// schedule: ByteChooser bytes with quantum 0 that make the same choice at
// every decision, so the saved input replays the run exactly (in byte form
// even when the hunted scenario's own schedule was in PCT form).
std::vector<uint8_t> SaveRun(const scenario::Scenario& sc, const sim::Engine& e) {
  scenario::Scenario saved = sc;
  saved.schedule = sim::EncodeDecisionsAsBytes(e.decision_indices());
  saved.pct_schedule = false;
  return scenario::Encode(saved);
}

}  // namespace

HuntResult Hunt(const scenario::Scenario& sc, const HuntConfig& cfg, scenario::Runner& runner) {
  HuntResult r;
  const Clock::time_point start = Clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };

  // PCT places its d-1 priority change points among the first k decisions;
  // k comes from one run with the default choices (no schedule bytes).
  if (cfg.strategy == "pct") {
    scenario::Scenario plain = sc;
    plain.schedule.clear();
    plain.pct_schedule = false;  // the default choices, not PCT's id order
    r.expected_decisions = runner.Run(plain, cfg.run).engine.decisions;
  }
  sim::SplitMix64 seeds(cfg.seed);
  sim::DfsChooser dfs(cfg.preemptions);
  std::unique_ptr<sim::Chooser> chooser;
  for (;;) {
    if (r.schedules >= cfg.runs || (cfg.seconds > 0 && elapsed() >= cfg.seconds)) break;
    if (cfg.strategy == "dfs") {
      runner.Run(sc, dfs, cfg.run);
    } else {
      // One seed per run, drawn from the hunt's seed, so that run i of a hunt
      // is the same schedule on every machine.
      r.run_seed = seeds.Next();
      if (cfg.strategy == "pct") {
        chooser = std::make_unique<sim::PctChooser>(r.run_seed, cfg.depth, r.expected_decisions);
      } else {
        chooser = std::make_unique<sim::RandomChooser>(r.run_seed);
      }
      runner.Run(sc, *chooser, cfg.run);
    }
    ++r.schedules;
    const scenario::Outcome& out = runner.outcome();
    if (!out.discarded.empty()) ++r.discarded;
    if (HuntWants(out, cfg.find)) {
      r.found = true;
      break;
    }
    if (out.verdict.violation) ++r.other_violations;
    if (cfg.strategy == "dfs" && !dfs.Advance()) {
      r.exhausted = true;
      break;
    }
  }
  r.seconds = elapsed();
  if (!r.found) return r;

  r.outcome = runner.outcome();
  r.decisions = r.outcome.engine.decisions;
  r.context_switches = CountContextSwitches(runner.engine().decision_threads());
  r.input = SaveRun(sc, runner.engine());
  // The saved bytes must fire the same verdict under the ByteChooser; if not,
  // the model is not deterministic (or the encoding lost a decision).
  scenario::Scenario replay;
  scenario::Decode(r.input, &replay);
  const scenario::Outcome& again = runner.Run(replay, cfg.run);
  r.replay_verdict = VerdictText(again);
  r.replay_ok = r.replay_verdict == VerdictText(r.outcome);
  return r;
}

int CmdHunt(const Options& o, const Io& io) {
  scenario::Scenario sc;
  if (o.scenario.empty() || o.scenario == "syscalls") {
    absl::StatusOr<scenario::Scenario> builtin = scenario::ParseText(kSyscallsScenario);
    if (!builtin.ok()) return UsageError(io, builtin.status());
    sc = *std::move(builtin);
  } else if (o.scenario == "injectglist") {
    scenario::Decode({}, &sc);
  } else {
    absl::StatusOr<scenario::Scenario> loaded = LoadScenario(o.scenario);
    if (!loaded.ok()) return UsageError(io, loaded.status());
    sc = *std::move(loaded);
  }
  HuntConfig cfg;
  cfg.strategy = o.strategy;
  cfg.depth = o.depth;
  cfg.preemptions = o.preemptions;
  cfg.runs = o.runs;
  cfg.seconds = o.seconds;
  cfg.seed = o.seed;
  cfg.find = o.find;
  cfg.run = MakeRunOptions(o);
  const std::string path = !o.output.empty() ? o.output
                                             : absl::StrFormat("hunt-%s-%d.bin", o.strategy,
                                                               o.strategy == "dfs" ? 0 : o.seed);
  const std::string scenario_name = o.scenario.empty() ? "syscalls" : o.scenario;

  scenario::Runner runner;
  const HuntResult r = Hunt(sc, cfg, runner);
  if (r.found) {
    if (absl::Status st = WriteFile(path, r.input); !st.ok()) return UsageError(io, st);
  }
  if (!r.replay_ok && r.found) {
    std::fprintf(
        io.err,
        "schedfuzz: error: the saved input does not replay the hunt's verdict (a determinism "
        "bug):\n  hunt:   %s\n  replay: %s\n",
        VerdictText(r.outcome).c_str(), r.replay_verdict.c_str());
  }
  const double rate = r.seconds > 0 ? static_cast<double>(r.schedules) / r.seconds : 0;
  if (o.json) {
    JsonObject j;
    j.Str("strategy", o.strategy)
        .Int("seed", o.seed)
        .Int("depth", o.depth)
        .Int("preemptions", o.preemptions)
        .Str("variant", VariantOf(o).name)
        .Str("oracles", oracle::OracleSetName(o.oracles))
        .Str("scenario", scenario_name)
        .Str("find", o.find)
        .Bool("found", r.found)
        .Bool("exhausted", r.exhausted)
        .Int("schedules", r.schedules)
        .Fixed("seconds", r.seconds, 6)
        .Fixed("schedules_per_second", rate, 1)
        .Int("other_violations", r.other_violations)
        .Int("discarded", r.discarded);
    if (o.strategy == "pct") j.Int("expected_decisions", r.expected_decisions);
    if (r.found) {
      AddOutcomeJson(r.outcome, &j);
      j.Str("output", path)
          .Int("input_bytes", r.input.size())
          .Int("decisions", r.decisions)
          .Int("context_switches", r.context_switches)
          .Bool("replay_ok", r.replay_ok);
    }
    std::fprintf(io.out, "%s\n", j.str().c_str());
  } else {
    std::fprintf(io.out, "hunt: strategy %s", o.strategy.c_str());
    if (o.strategy == "pct")
      std::fprintf(io.out, " (depth %d, k = %llu decisions)", o.depth,
                   static_cast<unsigned long long>(r.expected_decisions));
    if (o.strategy == "dfs") std::fprintf(io.out, " (at most %d preemptions)", o.preemptions);
    if (o.strategy != "dfs")
      std::fprintf(io.out, ", seed %llu", static_cast<unsigned long long>(o.seed));
    std::fprintf(io.out, ", variant %s, oracles %s, scenario %s, find %s\n", VariantOf(o).name,
                 oracle::OracleSetName(o.oracles), scenario_name.c_str(), o.find.c_str());
    if (r.found) {
      std::fprintf(io.out, "found after %llu schedules in %.3f s (%.0f schedules/s): %s\n",
                   static_cast<unsigned long long>(r.schedules), r.seconds, rate,
                   VerdictText(r.outcome).c_str());
      std::fprintf(io.out,
                   "saved %s (%zu bytes: %llu decisions, %d context switches); replay: %s\n",
                   path.c_str(), r.input.size(), static_cast<unsigned long long>(r.decisions),
                   r.context_switches, r.replay_ok ? "same verdict" : "DIFFERENT verdict");
    } else {
      std::fprintf(io.out, "no violation%s in %llu schedules (%.3f s, %.0f schedules/s)%s\n",
                   o.find == "any" ? "" : (" matching --find=" + o.find).c_str(),
                   static_cast<unsigned long long>(r.schedules), r.seconds, rate,
                   r.exhausted ? "; the search space within the bound is exhausted" : "");
    }
    if (r.other_violations > 0)
      std::fprintf(io.out, "(%llu other violations skipped by --find=%s)\n",
                   static_cast<unsigned long long>(r.other_violations), o.find.c_str());
    if (r.discarded > 0)
      std::fprintf(io.out, "(%llu runs hit a model bound and were not judged)\n",
                   static_cast<unsigned long long>(r.discarded));
  }
  if (r.found && !r.replay_ok) return kExitUsage;
  return r.found ? kExitViolation : kExitOk;
}

}  // namespace schedfuzz::repro
