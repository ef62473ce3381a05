// A whole trace as Go's reader sees it: batches in file order, each tagged
// with its generation and thread. Not a flattened event list: ordering the
// events is the parser's job (see core/oracle/validator.h).
#ifndef SCHEDFUZZ_CORE_TRACEFMT_TRACE_H_
#define SCHEDFUZZ_CORE_TRACEFMT_TRACE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/base/nocov.h"
#include "core/tracefmt/event.h"

namespace schedfuzz::tracefmt {

enum class BatchKind : uint8_t {
  kEvents,      // ordinary event batch (per M, or M-less for late GoStatus)
  kFrequency,   // one Frequency event: `freq` ticks per second
  kStrings,     // string table entries for `gen`: `strings`
  kStacks,      // stack table entries for `gen`: `stacks` (the model writes none)
  kCPUSamples,  // CPU profile samples for `gen`: `samples`
  // Go 1.25+: a Sync batch (runtime/tracetime.go traceSyncBatch) holding a
  // Frequency (`freq`, if has_freq) and a ClockSnapshot (`clock`, if
  // has_clock). Go 1.22 and 1.23 write a kFrequency batch instead.
  kSync,
  // Go 1.26: the one-byte EndOfGeneration marker after a generation's last
  // batch (runtime/trace.go readTrace0). It has no gen or m on the wire.
  kEndOfGeneration,
  // Go 1.23+: an experimental batch, `exp` then `data` as on the wire.
  kExperimental,
};

// A ClockSnapshot: the trace clock `ts` (absolute ticks, like Event::ts),
// the monotonic clock and the wall clock (seconds and nanoseconds since the
// Unix epoch) read at the same moment.
struct ClockSnapshot {
  uint64_t ts = 0;
  uint64_t mono = 0;
  uint64_t sec = 0;
  uint64_t nsec = 0;
  bool operator==(const ClockSnapshot&) const = default;
};

struct StringEntry {
  uint64_t id = 0;
  std::string value;
};

// One frame of a stack: pc, then string ids of the function and file names.
struct StackFrame {
  uint64_t pc = 0;
  uint64_t func = 0;
  uint64_t file = 0;
  uint64_t line = 0;
  bool operator==(const StackFrame&) const = default;
};

struct StackEntry {
  uint64_t id = 0;
  std::vector<StackFrame> frames;
  bool operator==(const StackEntry&) const = default;
};

// A CPU profile sample. ts is in the generation's ticks; g is 0 for "no
// goroutine"; stack is a stack id of the generation.
struct CPUSample {
  uint64_t ts = 0;
  uint64_t m = 0;
  uint64_t p = 0;
  uint64_t g = 0;
  uint64_t stack = 0;
  bool operator==(const CPUSample&) const = default;
};

struct Batch {
  BatchKind kind = BatchKind::kEvents;
  uint64_t gen = 0;
  uint64_t m = kNoThread;            // thread id, or kNoThread for an M-less batch
  std::vector<Event> events;         // kEvents
  uint64_t freq = 0;                 // kFrequency
  std::vector<StringEntry> strings;  // kStrings
  std::vector<StackEntry> stacks;    // kStacks
  std::vector<CPUSample> samples;    // kCPUSamples
  bool has_freq = true;              // kSync: holds a Frequency
  bool has_clock = false;            // kSync: holds a ClockSnapshot
  ClockSnapshot clock;               // kSync
  uint8_t exp = 0;                   // kExperimental: experiment id
  std::string data;                  // kExperimental: payload

  void Reset() {
    kind = BatchKind::kEvents;
    gen = 0;
    m = kNoThread;
    nocov::Clear(events);  // a reused batch: what it held came from an earlier run
    freq = 0;
    nocov::Clear(strings);
    nocov::Clear(stacks);
    nocov::Clear(samples);
    has_freq = true;
    has_clock = false;
    clock = ClockSnapshot{};
    exp = 0;
    data.clear();
  }
};

// Batches in the order a trace file would hold them. Reused across runs:
// Clear() keeps every vector's capacity so a fuzz iteration does not allocate
// once warm.
struct Trace {
  std::vector<Batch> batches;
  size_t used = 0;  // batches[0, used) are live
  // The format: it picks the header, the parser rules the validator applies,
  // and which event types exist.
  Version version = Version::kGo122;

  void Clear() {
    used = 0;
    version = Version::kGo122;
  }
  Batch& Append() {
    if (used == batches.size()) batches.emplace_back();
    Batch& b = batches[used++];
    b.Reset();
    return b;
  }
  const Batch* begin() const { return batches.data(); }
  const Batch* end() const { return batches.data() + used; }
  size_t size() const { return used; }
  const Batch& operator[](size_t i) const { return batches[i]; }
  Batch& operator[](size_t i) { return batches[i]; }
};

// Human-readable dump, one line per event:  "gen 2 M1  ts=37 GoUnblock g=7 seq=1 stack=0".
std::string DumpTrace(const Trace& t);

}  // namespace schedfuzz::tracefmt

#endif  // SCHEDFUZZ_CORE_TRACEFMT_TRACE_H_
