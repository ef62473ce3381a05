// minimize: shrink a failing input while the same finding fires. "The same"
// is VerdictKey (report.h): oracle, check, the message with digits masked (so
// goroutine renumbering does not break it) and the known finding.
//
// Greedy passes propose smaller scenarios (fewer goroutines, program ops,
// poll batch fds, tracer ops; smaller delays and op arguments; fewer and
// smaller schedule bytes; a smaller machine). A candidate is kept when it
// still fires the finding and its Size is lexicographically smaller, which
// makes the search terminate and prefers, in this order, a scenario with
// less in it, then a schedule with fewer context switches, then fewer
// schedule bytes. Passes repeat until none helps or the attempt cap is hit.
#ifndef SCHEDFUZZ_REPRO_MINIMIZE_H_
#define SCHEDFUZZ_REPRO_MINIMIZE_H_

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/scenario/run.h"

namespace schedfuzz::repro {

// What the minimizer counts, in the order it minimizes them.
struct Size {
  enum Field {
    kGoroutines,
    kProgramOps,
    kBatchFds,
    kBatches,
    kTracerOps,
    kContextSwitches,
    kScheduleBytes,
    kProcs,
    kMs,
    kSysmonRounds,
    kFds,
    kDelays,  // sum of poll batch and tracer op delays
    kOpArgs,  // sum of work/syscall points
    kPrograms,
    kScheduleSum,  // sum of schedule byte values (lower quanta, lower indices)
    kNumFields,
  };
  std::array<uint64_t, kNumFields> v{};
  bool operator<(const Size& o) const { return v < o.v; }
  bool operator==(const Size& o) const { return v == o.v; }
};
const char* SizeFieldName(int field);

// Size of a scenario whose run made `context_switches` switches.
Size SizeOf(const scenario::Scenario& sc, int context_switches);

// Parts of the scenario the minimizer must leave as they are (--keep), e.g.
// to keep a witness's tracer timeline (start, advance, advance, stop) while
// the rest shrinks. Kept tracer ops and batches may still get smaller delays.
struct MinimizeKeep {
  bool goroutines = false;
  bool programs = false;
  bool batches = false;
  bool tracer = false;
  bool machine = false;
};
// "tracer,machine" -> MinimizeKeep; false with *error on an unknown part.
bool ParseKeep(std::string_view list, MinimizeKeep* keep, std::string* error);

struct MinimizeConfig {
  uint64_t max_attempts = 20000;
  MinimizeKeep keep;
};

struct MinimizeResult {
  scenario::Scenario input;  // normalized copy of the input
  scenario::Scenario best;   // the smallest scenario found
  scenario::Outcome before, after;
  Size size_before, size_after;
  uint64_t attempts = 0;  // candidate runs
  bool capped = false;    // stopped by max_attempts
};

// False with *error set if `in` does not violate under `opts`.
bool Minimize(const scenario::Scenario& in, const scenario::RunOptions& opts,
              const MinimizeConfig& cfg, scenario::Runner& runner, MinimizeResult* out,
              std::string* error);

// Encodes a decision log (the chosen index among the runnable threads and the
// chosen thread, per decision) as ByteChooser bytes that reproduce it
// exactly, using quanta for runs of decisions that keep choosing the same
// thread, so the bytes hold roughly one byte per context switch.
// (sim::EncodeDecisionsAsBytes writes one byte per decision.)
std::vector<uint8_t> CompressDecisions(std::span<const uint8_t> indices,
                                       std::span<const int> threads);

// "goroutines 4 → 2, schedule 43 → 9 bytes, ..." (changed fields only).
std::string DescribeShrink(const Size& before, const Size& after);

}  // namespace schedfuzz::repro

#endif  // SCHEDFUZZ_REPRO_MINIMIZE_H_
