// What an oracle says about a run.
#ifndef SCHEDFUZZ_CORE_ORACLE_VERDICT_H_
#define SCHEDFUZZ_CORE_ORACLE_VERDICT_H_

#include <cstdint>
#include <string>
#include <string_view>

namespace schedfuzz::oracle {

// Which oracles run. Benchmarks select one; fuzzing runs all.
enum class OracleSet : uint8_t {
  kAll = 0,
  kValidator = 1,   // Go's trace parser rules on the finished trace
  kDiscipline = 2,  // D1/D2 and generation coherence, live during the run
  kInvariant = 3,   // scheduler invariants and the model's own throws
};
// "all", "validator", "discipline", "invariant"; false if unknown.
bool ParseOracleSet(std::string_view name, OracleSet* out);
const char* OracleSetName(OracleSet s);
inline bool Runs(OracleSet set, OracleSet which) { return set == OracleSet::kAll || set == which; }

struct Verdict {
  bool violation = false;
  std::string oracle;   // "validator", "discipline", "invariant"
  std::string check;    // e.g. "D1", "D2", "G1", "inconsistent-status", "throw"
  std::string message;  // for the validator: Go's error text, exactly
  uint64_t step = 0;    // engine step when it fired (0: after the run)
  int thread = -1;      // engine thread involved, if any
  int64_t goid = 0;     // goroutine involved, if any
  int session = -1;     // trace session (validator)
  uint64_t gen = 0;     // generation involved, if any
};

}  // namespace schedfuzz::oracle

#endif  // SCHEDFUZZ_CORE_ORACLE_VERDICT_H_
