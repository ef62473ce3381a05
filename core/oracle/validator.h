// The trace validator: a from-scratch C++ model of Go's trace reader. Go 1.22
// traces are read as go1.22.4 reads them (src/internal/trace/v2: reader.go,
// generation.go, order.go, batchcursor.go, base.go, event.go); Go 1.23, 1.25
// and 1.26 traces (Trace::version) as go1.27.4's src/internal/trace reads
// them. It orders the events of a Trace the way Go's Reader.ReadEvent would,
// and reports the first error Go would report, with Go's exact error text. A
// trace it rejects is a trace `go tool trace` of that release rejects (up to
// the simplifications listed at the top of validator.cc).
//
// What Go's reader does, in the order this validator reproduces it:
//   1. Read one generation: batches in file order until the first batch of
//      gen+1 (kept for the next round). Errors: `invalid generation number 0`,
//      `generations out of order`, duplicate string IDs, oversized strings,
//      `found multiple frequency events`, `no frequency event found`.
//   2. Group event batches per M (file order within an M; kNoThread batches
//      are one more "M") into cursors; read each cursor's first event.
//   3. Repeatedly try the cursors' next events in timestamp order and take the
//      first one the ordering state machine (order.go `advance`) accepts.
//      "Not yet" is not an error; nothing acceptable is
//      `broken trace: failed to advance: frontier:`.
//   4. After an event is taken: read that cursor's next event (bad event
//      types surface here), then check the event's stack/string IDs.
//   5. When all cursors are drained, go to 1 (the ordering state persists
//      across generations); no more batches means success. There are no
//      end-of-trace checks.
// go1.27 differs for Go 1.23+ traces: a generation also needs a clock
// snapshot (Go 1.25+: `no clock snapshot event found`, `found multiple clock
// snapshot events`); in Go 1.26 it ends at its EndOfGeneration batch (`broken
// trace: missing end-of-generation event, or generations are interleaved`,
// `incomplete generation found; trace likely truncated`) and generation
// numbers need not follow each other; a generation with nothing to order is
// no error; GoSwitch, GoSwitchDestroy, GoCreateBlocked, GoStatusStack and the
// AllocFree experiment's events are ordered.
#ifndef SCHEDFUZZ_CORE_ORACLE_VALIDATOR_H_
#define SCHEDFUZZ_CORE_ORACLE_VALIDATOR_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/tracefmt/trace.h"

namespace schedfuzz::oracle {

struct ValidationResult {
  bool ok = true;
  // Go's error text, exactly, e.g. "inconsistent status for goroutine 7: old
  // Runnable vs. new Waiting". For the two "broken trace: ..." errors only the
  // first line is Go's exact text; the dump after it follows Go's layout (see
  // validator.cc).
  std::string error;
  // Generation being read or ordered when the error happened (0 if the very
  // first batch was already bad).
  uint64_t gen = 0;
  // Index into the Trace of the offending event's batch, and of the event
  // within it. For generation-level errors about one batch (bad gen, duplicate
  // frequency, strings) `batch` is that batch and `event` stays SIZE_MAX. For
  // "failed to advance" they point at the earliest event still in the
  // frontier. SIZE_MAX when there is no single culprit.
  size_t batch = SIZE_MAX;
  size_t event = SIZE_MAX;
  // What the error is about, read from the ordering state rather than the
  // message: for an event the ordering rejected, that event; for "failed to
  // advance", each event stuck in the frontier (in the order Go tries them).
  // Each names the event's goroutine (its goroutine argument, else the one
  // its M runs), P (its proc argument, else its M's), M, and where it is.
  struct Culprit {
    int64_t g = -1;  // -1: none
    int64_t p = -1;
    int64_t m = -1;
    uint64_t ts = 0;  // the event's timestamp
    size_t batch = SIZE_MAX;
    size_t event = SIZE_MAX;
    tracefmt::EvType type = tracefmt::EvType::kNone;
  };
  static constexpr int kMaxCulprits = 8;
  Culprit culprits[kMaxCulprits];
  int nculprits = 0;
  // Events Go's reader would have returned before the error (or in all),
  // not counting its synthetic per-generation Sync events. The extra ProcSteal
  // Go returns after a GoDestroySyscall that drops a P is counted, as Go
  // returns it; an event whose own read ended in the error is not.
  uint64_t events_ordered = 0;
  // Generations ordered to the end. Go's reader returns a synthetic Sync
  // event after each, so Go counts events_ordered + generations events.
  uint64_t generations = 0;
};

// Reusable validator: keeps its containers between calls, so validating a
// trace of similar size to earlier ones does not allocate. Deterministic: the
// result depends on the trace only. Not thread-safe; use one per thread.
class Validator {
 public:
  Validator();
  ~Validator();
  Validator(const Validator&) = delete;
  Validator& operator=(const Validator&) = delete;

  // Orders all events of `t` as Go's reader would and reports the first error.
  ValidationResult Validate(const tracefmt::Trace& t);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Convenience wrapper around a thread-local Validator.
ValidationResult ValidateTrace(const tracefmt::Trace& t);

// The number of events Go's reader returns for an accepted trace of version
// v, its synthetic Sync events included: go1.22's reader returns one after
// each generation, go1.27's one before each generation and one at the end.
inline uint64_t GoEventCount(const ValidationResult& r, tracefmt::Version v) {
  return r.events_ordered + r.generations + (v == tracefmt::Version::kGo122 ? 0 : 1);
}

}  // namespace schedfuzz::oracle

#endif  // SCHEDFUZZ_CORE_ORACLE_VALIDATOR_H_
