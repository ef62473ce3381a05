// hunt: explore the schedules of one scenario with a built-in strategy
// (uniform random walk, PCT, or preemption-bounded DFS) until a violation,
// without a fuzzing engine. Whatever chooser found it, the failing schedule is
// saved as ByteChooser bytes in the fuzz input format, so `run`, `explain`,
// `minimize` and the fuzz targets all replay it.
#ifndef SCHEDFUZZ_REPRO_HUNT_H_
#define SCHEDFUZZ_REPRO_HUNT_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/scenario/run.h"

namespace schedfuzz::repro {

struct HuntConfig {
  std::string strategy = "random";  // random | pct | dfs
  int depth = 3;                    // pct
  int preemptions = 2;              // dfs
  uint64_t runs = 100000;           // schedules at most
  double seconds = 60;              // wall time at most (0: no limit)
  uint64_t seed = 1;                // random, pct
  std::string find = "any";         // any | new | a known finding id
  scenario::RunOptions run;         // variant, oracles, step budget
};

struct HuntResult {
  bool found = false;
  bool exhausted = false;           // dfs: every schedule within the bound was tried
  uint64_t schedules = 0;           // runs made (the failing one included)
  double seconds = 0;               // wall time until the hunt stopped
  uint64_t other_violations = 0;    // violations that --find did not ask for
  uint64_t discarded = 0;           // runs that hit a model bound
  uint64_t expected_decisions = 0;  // pct: the k of PCT (decisions of a default run)
  uint64_t run_seed = 0;            // random/pct: the chooser seed of the failing run
  scenario::Outcome outcome;        // the failing run's (when found)
  std::vector<uint8_t> input;       // the failing input, canonical byte format
  uint64_t decisions = 0;           // decisions of the failing run
  int context_switches = 0;         // ... of which switched threads
  // The saved input replayed with the ByteChooser: its verdict line, and
  // whether it equals the hunt's (false would be a determinism bug).
  std::string replay_verdict;
  bool replay_ok = false;
};

// True if `out` is a violation the hunt is looking for.
bool HuntWants(const scenario::Outcome& out, const std::string& find);

HuntResult Hunt(const scenario::Scenario& sc, const HuntConfig& cfg, scenario::Runner& runner);

}  // namespace schedfuzz::repro

#endif  // SCHEDFUZZ_REPRO_HUNT_H_
