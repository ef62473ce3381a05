// What each Go event type means, as one table: Go's spec (name, argument
// names, timed or not, which arguments are stack or string ids, which begin
// event a range end or active event belongs to, after tracev2.Specs() of
// go1.27, whose first 45 entries are go122.Specs()) and the
// scheduling facts the oracles derive from an event (which goroutine or proc
// it concerns and what status it gives that goroutine). The wire reader, the
// validator, the discipline checks and explain all read this table, so they
// cannot disagree about an event.
#ifndef SCHEDFUZZ_CORE_TRACEFMT_SPEC_H_
#define SCHEDFUZZ_CORE_TRACEFMT_SPEC_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/tracefmt/event.h"

namespace schedfuzz::tracefmt {

// Which goroutine's traced status an event sets.
enum class GoSubject : uint8_t {
  kNoSubject,  // no goroutine's status
  kArg,        // the goroutine named by argument EvSpec::g_arg
  kCurrent,    // the goroutine running on the writing M (Go writes getg().m.curg)
};

struct EvSpec {
  std::string_view name;  // Go's spec name
  bool timed;             // may sit in an ordinary event batch
  int8_t nargs;           // arguments after "dt" (for untimed types: as Go's spec lists them)
  std::array<std::string_view, 5> args;
  EvType start;  // a range's end or active event: the begin event; kNone otherwise
  // Argument indexes (after "dt") that hold stack ids / string ids; -1 ends.
  std::array<int8_t, 2> stack_args;
  std::array<int8_t, 2> string_args;
  // The argument that names a goroutine / a proc, or -1.
  int8_t g_arg;
  int8_t p_arg;
  // The status the event gives its goroutine subject; GoDestroy* give kBad
  // (the goroutine is gone). GoStatus and ProcStatus carry the status they
  // report in argument status_arg.
  GoSubject g_subject;
  GoStatus g_status;
  int8_t status_arg;
};

namespace spec_detail {
constexpr std::array<int8_t, 2> kNo = {-1, -1};
constexpr std::array<int8_t, 2> A(int8_t a) { return {a, -1}; }
constexpr std::array<int8_t, 2> A(int8_t a, int8_t b) { return {a, b}; }
using enum EvType;
using enum GoSubject;
constexpr GoStatus kBad = GoStatus::kBad, kRunnable = GoStatus::kRunnable,
                   kRunning = GoStatus::kRunning, kSyscall = GoStatus::kSyscall,
                   kWaiting = GoStatus::kWaiting;
}  // namespace spec_detail

// clang-format off
inline constexpr std::array<EvSpec, kNumSpecs> kEvSpecs = [] {
  using namespace spec_detail;
  std::array<EvSpec, kNumSpecs> t{};
  // Unnamed entries (53..127) are neither timed nor known by name.
  for (EvSpec& e : t) e = {"", false, 0, {}, kNone, kNo, kNo, -1, -1, kNoSubject, kBad, -1};
  const EvSpec first[] = {
    // name                 timed n  args                                                  start            stacks    strings   g   p  subject   status    st
    {"None",                false, 0, {},                                                  kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"EventBatch",          false, 4, {"gen", "m", "time", "size"},                        kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"Stacks",              false, 0, {},                                                  kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"Stack",               false, 2, {"id", "nframes"},                                   kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"Strings",             false, 0, {},                                                  kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"String",              false, 1, {"id"},                                              kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"CPUSamples",          false, 0, {},                                                  kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"CPUSample",           false, 5, {"time", "p", "g", "m", "stack"},                     kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"Frequency",           false, 1, {"freq"},                                            kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"ProcsChange",         true,  2, {"procs_value", "stack"},                            kNone,           A(1),     kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"ProcStart",           true,  2, {"p", "p_seq"},                                      kNone,           kNo,      kNo,      -1,  0, kNoSubject, kBad,      -1},
    {"ProcStop",            true,  0, {},                                                  kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"ProcSteal",           true,  3, {"p", "p_seq", "m"},                                 kNone,           kNo,      kNo,      -1,  0, kNoSubject, kBad,      -1},
    {"ProcStatus",          true,  2, {"p", "pstatus"},                                    kNone,           kNo,      kNo,      -1,  0, kNoSubject, kBad,       1},
    {"GoCreate",            true,  3, {"new_g", "new_stack", "stack"},                     kNone,           A(2, 1),  kNo,       0, -1, kArg,     kRunnable, -1},
    {"GoCreateSyscall",     true,  1, {"new_g"},                                           kNone,           kNo,      kNo,       0, -1, kArg,     kSyscall,  -1},
    {"GoStart",             true,  2, {"g", "g_seq"},                                      kNone,           kNo,      kNo,       0, -1, kArg,     kRunning,  -1},
    {"GoDestroy",           true,  0, {},                                                  kNone,           kNo,      kNo,      -1, -1, kCurrent, kBad,      -1},
    {"GoDestroySyscall",    true,  0, {},                                                  kNone,           kNo,      kNo,      -1, -1, kCurrent, kBad,      -1},
    {"GoStop",              true,  2, {"reason_string", "stack"},                          kNone,           A(1),     A(0),     -1, -1, kCurrent, kRunnable, -1},
    {"GoBlock",             true,  2, {"reason_string", "stack"},                          kNone,           A(1),     A(0),     -1, -1, kCurrent, kWaiting,  -1},
    {"GoUnblock",           true,  3, {"g", "g_seq", "stack"},                             kNone,           A(2),     kNo,       0, -1, kArg,     kRunnable, -1},
    {"GoSyscallBegin",      true,  2, {"p_seq", "stack"},                                  kNone,           A(1),     kNo,      -1, -1, kCurrent, kSyscall,  -1},
    {"GoSyscallEnd",        true,  0, {},                                                  kGoSyscallBegin, kNo,      kNo,      -1, -1, kCurrent, kRunning,  -1},
    {"GoSyscallEndBlocked", true,  0, {},                                                  kGoSyscallBegin, kNo,      kNo,      -1, -1, kCurrent, kRunnable, -1},
    {"GoStatus",            true,  3, {"g", "m", "gstatus"},                               kNone,           kNo,      kNo,       0, -1, kArg,     kBad,       2},
    {"STWBegin",            true,  2, {"kind_string", "stack"},                            kNone,           A(1),     A(0),     -1, -1, kNoSubject, kBad,      -1},
    {"STWEnd",              true,  0, {},                                                  kSTWBegin,       kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"GCActive",            true,  1, {"gc_seq"},                                          kGCBegin,        kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"GCBegin",             true,  2, {"gc_seq", "stack"},                                 kNone,           A(1),     kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"GCEnd",               true,  1, {"gc_seq"},                                          kGCBegin,        kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"GCSweepActive",       true,  1, {"p"},                                               kGCSweepBegin,   kNo,      kNo,      -1,  0, kNoSubject, kBad,      -1},
    {"GCSweepBegin",        true,  1, {"stack"},                                           kNone,           A(0),     kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"GCSweepEnd",          true,  2, {"swept_value", "reclaimed_value"},                  kGCSweepBegin,   kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"GCMarkAssistActive",  true,  1, {"g"},                                               kGCMarkAssistBegin, kNo,   kNo,       0, -1, kNoSubject, kBad,      -1},
    {"GCMarkAssistBegin",   true,  1, {"stack"},                                           kNone,           A(0),     kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"GCMarkAssistEnd",     true,  0, {},                                                  kGCMarkAssistBegin, kNo,   kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"HeapAlloc",           true,  1, {"heapalloc_value"},                                 kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"HeapGoal",            true,  1, {"heapgoal_value"},                                  kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"GoLabel",             true,  1, {"label_string"},                                    kNone,           kNo,      A(0),     -1, -1, kNoSubject, kBad,      -1},
    {"UserTaskBegin",       true,  4, {"task", "parent_task", "name_string", "stack"},     kNone,           A(3),     A(2),     -1, -1, kNoSubject, kBad,      -1},
    {"UserTaskEnd",         true,  2, {"task", "stack"},                                   kNone,           A(1),     kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"UserRegionBegin",     true,  3, {"task", "name_string", "stack"},                    kNone,           A(2),     A(1),     -1, -1, kNoSubject, kBad,      -1},
    {"UserRegionEnd",       true,  3, {"task", "name_string", "stack"},                    kUserRegionBegin, A(2),    A(1),     -1, -1, kNoSubject, kBad,      -1},
    // UserLog has 4 args after dt, which is why Event::args holds 4.
    {"UserLog",             true,  4, {"task", "key_string", "value_string", "stack"},     kNone,           A(3),     A(1, 2),  -1, -1, kNoSubject, kBad,      -1},
    // Go 1.23. GoSwitch hands the M to g (which starts running); the switching
    // goroutine blocks (GoSwitch) or ends (GoSwitchDestroy).
    {"GoSwitch",            true,  2, {"g", "g_seq"},                                      kNone,           kNo,      kNo,       0, -1, kArg,     kRunning,  -1},
    {"GoSwitchDestroy",     true,  2, {"g", "g_seq"},                                      kNone,           kNo,      kNo,       0, -1, kArg,     kRunning,  -1},
    {"GoCreateBlocked",     true,  3, {"new_g", "new_stack", "stack"},                     kNone,           A(2, 1),  kNo,       0, -1, kArg,     kWaiting,  -1},
    {"GoStatusStack",       true,  4, {"g", "m", "gstatus", "stack"},                      kNone,           A(3),     kNo,       0, -1, kArg,     kBad,       2},
    {"ExperimentalBatch",   false, 4, {"exp", "gen", "m", "time"},                         kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    // Go 1.25.
    {"Sync",                false, 0, {},                                                  kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"ClockSnapshot",       true,  3, {"mono", "sec", "nsec"},                             kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    // Go 1.26.
    {"EndOfGeneration",     false, 0, {},                                                  kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
  };
  for (size_t i = 0; i < std::size(first); ++i) t[i] = first[i];
  // The AllocFree experiment's events (MaxEvent + 1 on).
  const EvSpec experimental[] = {
    {"Span",                true,  3, {"id", "npages_value", "kindclass"},                 kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"SpanAlloc",           true,  3, {"id", "npages_value", "kindclass"},                 kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"SpanFree",            true,  1, {"id"},                                              kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"HeapObject",          true,  2, {"id", "type"},                                      kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"HeapObjectAlloc",     true,  2, {"id", "type"},                                      kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"HeapObjectFree",      true,  1, {"id"},                                              kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"GoroutineStack",      true,  2, {"id", "order"},                                     kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"GoroutineStackAlloc", true,  2, {"id", "order"},                                     kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
    {"GoroutineStackFree",  true,  1, {"id"},                                              kNone,           kNo,      kNo,      -1, -1, kNoSubject, kBad,      -1},
  };
  for (size_t i = 0; i < std::size(experimental); ++i) t[128 + i] = experimental[i];
  return t;
}();
// clang-format on

// len(v.Specs()): the types of version v are those below it (Go's
// version.Specs() slices tracev2.Specs() at UserLog, ExperimentalBatch,
// ClockSnapshot, and not at all for Go 1.26).
constexpr size_t NumSpecs(Version v) {
  switch (v) {
    case Version::kGo122: return kNumEvTypes;
    case Version::kGo123: return static_cast<size_t>(EvType::kExperimentalBatch) + 1;
    case Version::kGo125: return static_cast<size_t>(EvType::kClockSnapshot) + 1;
    case Version::kGo126: return kNumSpecs;
  }
  return kNumEvTypes;
}
// The table a parser decodes timed events with: go1.22's reader uses
// go122.Specs(); go1.27's readTimedBaseEvent uses all of tracev2.Specs()
// whatever the trace's version.
constexpr size_t DecodeSpecs(Version v) { return v == Version::kGo122 ? kNumEvTypes : kNumSpecs; }

// The spec of a type below kNumSpecs.
constexpr const EvSpec& SpecOf(EvType t) { return kEvSpecs[static_cast<size_t>(t)]; }
// Is t one of version v's types (a spec entry, possibly unnamed)?
constexpr bool IsKnown(EvType t, Version v = Version::kGo122) {
  return static_cast<size_t>(t) < NumSpecs(v);
}

// The goroutine status ev gives its subject (SpecOf(ev.type).g_subject != kNoSubject).
inline GoStatus ImpliedGoStatus(const Event& ev) {
  const EvSpec& s = SpecOf(ev.type);
  return s.status_arg >= 0 ? static_cast<GoStatus>(static_cast<uint8_t>(ev.args[s.status_arg]))
                           : s.g_status;
}

}  // namespace schedfuzz::tracefmt

#endif  // SCHEDFUZZ_CORE_TRACEFMT_SPEC_H_
