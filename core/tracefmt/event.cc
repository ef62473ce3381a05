#include "core/tracefmt/event.h"

#include <array>
#include <cstddef>

namespace schedfuzz::tracefmt {
namespace {

// One row per event type, mirroring go122.Specs(): the name and the argument
// names after "dt". Structural events (types 1-8) never sit in an ordinary
// event batch; their args are listed here only for documentation and they
// report an argument count of -1. Keeping names and counts in one table means
// DumpTrace, the exporter and the reader cannot disagree on an arity.
struct Spec {
  std::string_view name;
  bool timed;
  int nargs;
  std::array<std::string_view, 4> args;
};

constexpr std::array<Spec, kNumEvTypes> kSpecs = {{
    {"None", false, 0, {}},
    {"EventBatch", false, 0, {"gen", "m", "time", "size"}},
    {"Stacks", false, 0, {}},
    {"Stack", false, 0, {"id", "nframes"}},
    {"Strings", false, 0, {}},
    {"String", false, 0, {"id"}},
    {"CPUSamples", false, 0, {}},
    {"CPUSample", false, 0, {"time", "m", "p", "g"}},
    {"Frequency", false, 0, {"freq"}},
    {"ProcsChange", true, 2, {"procs_value", "stack"}},
    {"ProcStart", true, 2, {"p", "p_seq"}},
    {"ProcStop", true, 0, {}},
    {"ProcSteal", true, 3, {"p", "p_seq", "m"}},
    {"ProcStatus", true, 2, {"p", "pstatus"}},
    {"GoCreate", true, 3, {"new_g", "new_stack", "stack"}},
    {"GoCreateSyscall", true, 1, {"new_g"}},
    {"GoStart", true, 2, {"g", "g_seq"}},
    {"GoDestroy", true, 0, {}},
    {"GoDestroySyscall", true, 0, {}},
    {"GoStop", true, 2, {"reason_string", "stack"}},
    {"GoBlock", true, 2, {"reason_string", "stack"}},
    {"GoUnblock", true, 3, {"g", "g_seq", "stack"}},
    {"GoSyscallBegin", true, 2, {"p_seq", "stack"}},
    {"GoSyscallEnd", true, 0, {}},
    {"GoSyscallEndBlocked", true, 0, {}},
    {"GoStatus", true, 3, {"g", "m", "gstatus"}},
    {"STWBegin", true, 2, {"kind_string", "stack"}},
    {"STWEnd", true, 0, {}},
    {"GCActive", true, 1, {"gc_seq"}},
    {"GCBegin", true, 2, {"gc_seq", "stack"}},
    {"GCEnd", true, 1, {"gc_seq"}},
    {"GCSweepActive", true, 1, {"p"}},
    {"GCSweepBegin", true, 1, {"stack"}},
    {"GCSweepEnd", true, 2, {"swept_value", "reclaimed_value"}},
    {"GCMarkAssistActive", true, 1, {"g"}},
    {"GCMarkAssistBegin", true, 1, {"stack"}},
    {"GCMarkAssistEnd", true, 0, {}},
    {"HeapAlloc", true, 1, {"heapalloc_value"}},
    {"HeapGoal", true, 1, {"heapgoal_value"}},
    {"GoLabel", true, 1, {"label_string"}},
    {"UserTaskBegin", true, 4, {"task", "parent_task", "name_string", "stack"}},
    {"UserTaskEnd", true, 2, {"task", "stack"}},
    {"UserRegionBegin", true, 3, {"task", "name_string", "stack"}},
    {"UserRegionEnd", true, 3, {"task", "name_string", "stack"}},
    // UserLog has 4 args after dt (task, key, value, stack); Event::args holds
    // exactly 4, which is why the array is that size.
    {"UserLog", true, 4, {"task", "key_string", "value_string", "stack"}},
}};

// "EvType(N)" for every byte value, built at compile time so EvName can hand
// out views without allocating or locking.
struct UnknownNames {
  std::array<std::array<char, 12>, 256> text{};
  std::array<unsigned char, 256> len{};
  constexpr UnknownNames() {
    constexpr char kPrefix[] = "EvType(";
    for (int v = 0; v < 256; ++v) {
      size_t n = 0;
      for (size_t i = 0; i + 1 < sizeof(kPrefix); ++i) text[v][n++] = kPrefix[i];
      if (v >= 100) text[v][n++] = static_cast<char>('0' + v / 100);
      if (v >= 10) text[v][n++] = static_cast<char>('0' + v / 10 % 10);
      text[v][n++] = static_cast<char>('0' + v % 10);
      text[v][n++] = ')';
      len[v] = static_cast<unsigned char>(n);
    }
  }
};
constexpr UnknownNames kUnknownNames;

const Spec* SpecFor(EvType t) {
  auto i = static_cast<size_t>(t);
  return i < kSpecs.size() ? &kSpecs[i] : nullptr;
}

}  // namespace

int EvArgCount(EvType t) {
  const Spec* s = SpecFor(t);
  return s != nullptr && s->timed ? s->nargs : -1;
}

std::string_view EvName(EvType t) {
  if (const Spec* s = SpecFor(t)) return s->name;
  auto v = static_cast<size_t>(t);
  return std::string_view(kUnknownNames.text[v].data(), kUnknownNames.len[v]);
}

std::string_view EvArgName(EvType t, int i) {
  const Spec* s = SpecFor(t);
  if (s == nullptr || !s->timed || i < 0 || i >= s->nargs) return {};
  return s->args[static_cast<size_t>(i)];
}

std::string_view GoStatusName(GoStatus s) {
  switch (s) {
    case GoStatus::kRunnable: return "Runnable";
    case GoStatus::kRunning: return "Running";
    case GoStatus::kSyscall: return "Syscall";
    case GoStatus::kWaiting: return "Waiting";
    default: return "Bad";
  }
}

std::string_view ProcStatusName(ProcStatus s) {
  // go122.ProcStatus.String has no case for SyscallAbandoned, so Go prints it
  // as "Bad"; error texts built from %v depend on that.
  switch (s) {
    case ProcStatus::kRunning: return "Running";
    case ProcStatus::kIdle: return "Idle";
    case ProcStatus::kSyscall: return "Syscall";
    default: return "Bad";
  }
}

}  // namespace schedfuzz::tracefmt
