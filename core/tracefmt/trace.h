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

  void Reset() {
    kind = BatchKind::kEvents;
    gen = 0;
    m = kNoThread;
    nocov::Clear(events);  // a reused batch: what it held came from an earlier run
    freq = 0;
    nocov::Clear(strings);
    nocov::Clear(stacks);
    nocov::Clear(samples);
  }
};

// Batches in the order a trace file would hold them. Reused across runs:
// Clear() keeps every vector's capacity so a fuzz iteration does not allocate
// once warm.
struct Trace {
  std::vector<Batch> batches;
  size_t used = 0;  // batches[0, used) are live

  void Clear() { used = 0; }
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
