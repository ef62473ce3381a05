// What an oracle says about a run.
#ifndef SCHEDFUZZ_CORE_ORACLE_VERDICT_H_
#define SCHEDFUZZ_CORE_ORACLE_VERDICT_H_

#include <array>
#include <cstdint>
#include <span>
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

// One object a verdict is about: the goroutine, P and M of the act or the
// trace event that fired, and the model step at which that happened. For a
// discipline verdict that is the M that made the change and the step it made
// it at; for a validator verdict, an offending event (the one Go's parser
// rejected, or one stuck in the frontier), the M whose batch holds it, and
// the step at which the model's tracer wrote it. Attribution (known.h) matches
// canary triggers against these, never against the message.
struct Culprit {
  int64_t goid = 0;   // 0: none
  int64_t p = -1;     // -1: none
  int64_t m = -1;     // the M's trace thread id; -1: none
  uint64_t step = 0;  // see above; for an event not found in the writer's log, UINT64_MAX
  // Validator: the event's batch in the session (Trace index) and its index
  // in that batch; -1 when the verdict is not about one event.
  int64_t batch = -1;
  int64_t event = -1;
};

struct Verdict {
  bool violation = false;
  std::string oracle;   // "validator", "discipline", "invariant"
  std::string check;    // e.g. "D1", "D2", "G1", "parser", "throw", "scheduler"
  std::string message;  // for the validator: Go's error text, exactly
  // Where in the model it happened: the status change's site for D1/D2
  // ("injectglist: casgstatus"), the hook for G1/D3, the offending event's
  // type for the validator ("GoStart"); "" if none.
  std::string site;
  uint64_t step = 0;  // engine step when it fired (validator: when the first culprit event was
                      // written; 0 if unknown)
  int thread = -1;    // engine thread involved, if any
  int64_t goid = 0;   // goroutine involved, if any (the first culprit's)
  int session = -1;   // trace session (validator)
  uint64_t gen = 0;   // generation involved, if any
  // What it is about (at most kMaxCulprits: a "failed to advance" frontier
  // can hold one event per M).
  static constexpr int kMaxCulprits = 8;
  std::array<Culprit, kMaxCulprits> culprits = {};
  int nculprits = 0;
  // The culprits' M is the one that acted (a discipline verdict), not only
  // the writer of an event some other M's act made wrong (the validator).
  bool m_acted = false;

  void AddCulprit(const Culprit& c) {
    if (nculprits < kMaxCulprits) culprits[nculprits++] = c;
  }
  std::span<const Culprit> Culprits() const { return {culprits.data(), size_t(nculprits)}; }
};

}  // namespace schedfuzz::oracle

#endif  // SCHEDFUZZ_CORE_ORACLE_VERDICT_H_
