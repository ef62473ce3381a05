// The Go execution-trace event vocabulary (internal/trace/tracev2 of go1.27,
// whose first 45 types are Go 1.22's internal/trace/v2/event/go122), as plain
// data. Both the model's tracer (core/trace) and the consumers of its output
// (the validator in core/oracle, the wire exporter here) speak this.
#ifndef SCHEDFUZZ_CORE_TRACEFMT_EVENT_H_
#define SCHEDFUZZ_CORE_TRACEFMT_EVENT_H_

#include <cstdint>
#include <string_view>

#include "core/tracefmt/version.h"

namespace schedfuzz::tracefmt {

// Event type numbers exactly as tracev2/events.go assigns them (go122's are
// the same for the first 45).
enum class EvType : uint8_t {
  kNone = 0,
  kEventBatch = 1,
  kStacks = 2,
  kStack = 3,
  kStrings = 4,
  kString = 5,
  kCPUSamples = 6,
  kCPUSample = 7,
  kFrequency = 8,
  kProcsChange = 9,           // procs, stack
  kProcStart = 10,            // p, p_seq
  kProcStop = 11,             // -
  kProcSteal = 12,            // p, p_seq, m
  kProcStatus = 13,           // p, pstatus
  kGoCreate = 14,             // new_g, new_stack, stack
  kGoCreateSyscall = 15,      // new_g
  kGoStart = 16,              // g, g_seq
  kGoDestroy = 17,            // -
  kGoDestroySyscall = 18,     // -
  kGoStop = 19,               // reason_string, stack
  kGoBlock = 20,              // reason_string, stack
  kGoUnblock = 21,            // g, g_seq, stack
  kGoSyscallBegin = 22,       // p_seq, stack
  kGoSyscallEnd = 23,         // -
  kGoSyscallEndBlocked = 24,  // -
  kGoStatus = 25,             // g, m, gstatus
  kSTWBegin = 26,             // kind_string, stack
  kSTWEnd = 27,               // -
  kGCActive = 28,             // gc_seq
  kGCBegin = 29,              // gc_seq, stack
  kGCEnd = 30,                // gc_seq
  kGCSweepActive = 31,        // p
  kGCSweepBegin = 32,         // stack
  kGCSweepEnd = 33,           // swept, reclaimed
  kGCMarkAssistActive = 34,   // g
  kGCMarkAssistBegin = 35,    // stack
  kGCMarkAssistEnd = 36,      // -
  kHeapAlloc = 37,            // value
  kHeapGoal = 38,             // value
  kGoLabel = 39,              // label_string
  kUserTaskBegin = 40,
  kUserTaskEnd = 41,
  kUserRegionBegin = 42,
  kUserRegionEnd = 43,
  kUserLog = 44,
  // Go 1.23.
  kGoSwitch = 45,           // g, g_seq
  kGoSwitchDestroy = 46,    // g, g_seq
  kGoCreateBlocked = 47,    // new_g, new_stack, stack
  kGoStatusStack = 48,      // g, m, gstatus, stack
  kExperimentalBatch = 49,  // batch header: exp, gen, m, time, size
  // Go 1.25.
  kSync = 50,           // starts a sync batch: Frequency, ClockSnapshot
  kClockSnapshot = 51,  // mono, sec, nsec
  // Go 1.26.
  kEndOfGeneration = 52,  // a batch of its own: the generation is complete
  // Experimental events (the AllocFree experiment), after MaxEvent = 127.
  kSpan = 128,
  kSpanAlloc = 129,
  kSpanFree = 130,
  kHeapObject = 131,
  kHeapObjectAlloc = 132,
  kHeapObjectFree = 133,
  kGoroutineStack = 134,
  kGoroutineStackAlloc = 135,
  kGoroutineStackFree = 136,
};
// Types of the Go 1.22 format (len(go122.Specs())); the default vocabulary.
inline constexpr int kNumEvTypes = 45;
// Entries of the whole table (len(tracev2.Specs())); 53..127 are unnamed.
inline constexpr int kNumSpecs = 137;

// Number of arguments after the timestamp delta (the spec's args minus "dt"),
// or -1 for types that never appear in an ordinary event batch. Types past
// version v's vocabulary count as unknown (-1). The default keeps the Go 1.22
// vocabulary.
int EvArgCount(EvType t, Version v = Version::kGo122);
// "GoUnblock", "ProcStatus", ... (Go's spec names) for the types of version
// v; "EvType(N)" otherwise.
std::string_view EvName(EvType t, Version v = Version::kGo122);
// Go's name for argument i (0-based, after "dt") of a timed event type, e.g.
// EvArgName(kGoUnblock, 1) == "g_seq"; empty if there is no such argument.
std::string_view EvArgName(EvType t, int i, Version v = Version::kGo122);

// Goroutine statuses as the trace encodes them (go122.GoStatus).
enum class GoStatus : uint8_t {
  kBad = 0,
  kRunnable = 1,
  kRunning = 2,
  kSyscall = 3,
  kWaiting = 4,
};
// Proc statuses as the trace encodes them (go122.ProcStatus).
enum class ProcStatus : uint8_t {
  kBad = 0,
  kRunning = 1,
  kIdle = 2,
  kSyscall = 3,
  kSyscallAbandoned = 4,
};
// "Runnable", "Waiting", ... as Go's %v prints them ("Bad" for 0).
std::string_view GoStatusName(GoStatus s);
// go122's ProcStatus.String has no case for SyscallAbandoned (it prints
// "Bad"); go1.27's tracev2 has one. v picks the parser.
std::string_view ProcStatusName(ProcStatus s, Version v = Version::kGo122);

// The value Go writes for "no thread" (ThreadID -1): 2^64-1.
inline constexpr uint64_t kNoThread = ~uint64_t{0};

// One event as it sits in a batch: its type, absolute timestamp (the exporter
// turns it into a delta) and its arguments in spec order. Four arguments hold
// every timed type (tracev2.MaxTimedEventArgs - 1).
struct Event {
  EvType type = EvType::kNone;
  uint64_t ts = 0;
  uint64_t args[4] = {0, 0, 0, 0};
};

}  // namespace schedfuzz::tracefmt

#endif  // SCHEDFUZZ_CORE_TRACEFMT_EVENT_H_
