// The versioned byte format of a fuzz input: bytes <-> Scenario.
//
// Layout (version 1; docs/format.md has it byte by byte):
//
//   [0]      format version (1)
//   [1..6]   fixed header: section mask, procs, ms, fds, sysmon, runq.
//            A zero byte means the field's default, so a zero-filled or
//            short header decodes to DefaultScenario()'s machine.
//   [7..k)   the schedule: every byte between the header and the sections
//            (header bit 5, version 3: in PCT form, sim::PctByteChooser)
//   [k..n)   the explicit sections, read BACKWARDS from the last byte:
//            tracer, batches, goroutines, programs (only those whose mask bit
//            is set; the others take DefaultScenario()'s content)
//
// Why the schedule sits in the middle at a fixed offset: the run's early
// choices decide everything after them, so a mutation that changes a section
// count (and so the sections' length) must not shift the schedule. Reading the
// sections from the end (as FuzzedDataProvider reads integers) anchors both
// ends: inserting or erasing schedule bytes never touches a section, and a
// section edit only moves where the schedule ends. The mask lets a short input
// be "default scenario + schedule", which is where a fuzzer starts.
//
// Validity: Decode's result always satisfies (IsNormalized):
//   1 <= nprocs <= kMaxProcs;  nprocs <= nms <= kMaxMs
//   runq_size is a power of two in [kMinRunqSize, kMaxRunqSize]
//   sysmon ? 1 <= sysmon_rounds <= kMaxSysmonRounds : sysmon_rounds == 0
//   1 <= nfds <= kMaxFds
//   1 <= programs.size() <= kMaxPrograms, each at most kMaxProgramLen ops;
//     op kinds are valid; kWork/kSyscall/kSyscallBlock args <= kMaxOpPoints;
//     kParkFd args < nfds; kParkChan/kReadyChan args < kMaxChans;
//     kGo args < programs.size(); kGosched/kYield/kExit args == 0
//   goroutines.size() <= kMaxGoroutines; program < programs.size();
//     kRunnable: wait_arg == 0; kParkedChan: wait_arg < kMaxChans;
//     kParkedFd: wait_arg < nfds, and no two goroutines park on one fd
//     (netpoll's pollDesc has a single reader waiter, rg)
//   batches.size() <= kMaxBatches; each batch's fds are < nfds and distinct
//     (netpoll reports a ready descriptor once per call); valid paths
//   tracer.size() <= kMaxTracerOps with valid kinds; any delays
//   schedule: any bytes
// The decoder imposes no order on tracer ops or parks: a StartTrace while
// tracing, or a kParkFd on a descriptor that already has a waiter, is the
// model's to handle, as in Go.
#ifndef SCHEDFUZZ_CORE_SCENARIO_CODEC_H_
#define SCHEDFUZZ_CORE_SCENARIO_CODEC_H_

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

#include "core/scenario/scenario.h"

namespace schedfuzz::scenario {

inline constexpr uint8_t kFormatVersion = 1;
// Version 2 is version 1 with header bit kHeaderGCOps set: program op kinds
// are then read modulo kNumOpKinds (with `gc`) instead of kNumOpKindsV1.
// Encode writes it only for a scenario with a `gc` op, so every version 1
// input keeps its bytes.
inline constexpr uint8_t kFormatVersionGC = 2;
inline constexpr int kNumOpKindsV1 = 10;  // op kinds before `gc`
// Version 3 is version 2 with header bit kHeaderPctSchedule: the schedule
// bytes are PCT's priorities and change points (sim::PctByteChooser) instead
// of one byte per decision. Encode writes it only for a scenario whose
// schedule is in that form, so every version 1 and 2 input keeps its bytes.
inline constexpr uint8_t kFormatVersionPct = 3;
// The versions DecodeStrict and the CLI accept.
constexpr bool IsFormatVersion(uint8_t v) {
  return v == kFormatVersion || v == kFormatVersionGC || v == kFormatVersionPct;
}

// Bounds beyond scenario.h that only the codec and the text form need.
inline constexpr int kMaxOpPoints = 31;      // kWork/kSyscall/kSyscallBlock arg
inline constexpr int kMaxSysmonRounds = 16;  // when sysmon is on

// Byte offsets of the version 1 layout.
inline constexpr size_t kHeaderSize = 7;  // version + 6 header bytes
inline constexpr size_t kScheduleOffset = kHeaderSize;

// Section mask bits (header byte 1). A clear bit means the default section.
inline constexpr uint8_t kSectionTracer = 1 << 0;
inline constexpr uint8_t kSectionBatches = 1 << 1;
inline constexpr uint8_t kSectionGoroutines = 1 << 2;
inline constexpr uint8_t kSectionPrograms = 1 << 3;
// Header byte 1, bit 4 (version 2): the program section's op kinds include `gc`.
inline constexpr uint8_t kHeaderGCOps = 1 << 4;
// Header byte 1, bit 5 (version 3): the schedule is in PCT form.
inline constexpr uint8_t kHeaderPctSchedule = 1 << 5;

// What the empty input decodes to: a Go issue 70883 shape. Two goroutines
// parked on fds 0 and 1, two busy runnable ones, one poll batch with both fds,
// and StartTrace, two traceAdvance calls and StopTrace; empty schedule.
Scenario DefaultScenario();

// Total decoder for fuzzing: every byte string gives a valid Scenario. An
// unknown version byte is ignored (the rest decodes as version 1). `out` is
// replaced by a fresh Scenario first, so the result and the code path depend
// on the input alone (a few small allocations per input).
void Decode(std::span<const uint8_t> data, Scenario* out);

// For the CLI: like Decode, but rejects empty input and versions other than
// kFormatVersion, kFormatVersionGC and kFormatVersionPct with an InvalidArgument status whose
// message is one line without a trailing newline.
absl::StatusOr<Scenario> DecodeStrict(std::span<const uint8_t> data);

// Canonical encoding of Normalize(s): Decode(Encode(s)) == Normalize(s).
// Sections equal to DefaultScenario()'s are left implicit.
std::vector<uint8_t> Encode(const Scenario& s);

// Clamps an arbitrary Scenario to one Decode can produce; the identity on
// those. Scalars (procs, ms, runq, rounds, fds, op points) are clamped into
// range (runq rounded down to a power of two); lists are truncated; out of
// range enums and references (fds, queues, programs) are taken modulo their
// range; args an op kind ignores become 0; sysmon with 0 rounds is off; an
// empty program list gets one empty program; a goroutine parked on an fd
// that an earlier goroutine already waits on moves to the next free fd (or
// becomes runnable if none is free); repeated fds in a batch are dropped.
void Normalize(Scenario* s);

// True if Normalize(s) would not change s.
bool IsNormalized(const Scenario& s);

}  // namespace schedfuzz::scenario

#endif  // SCHEDFUZZ_CORE_SCENARIO_CODEC_H_
