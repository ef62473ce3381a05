#include "core/tracefmt/event.h"

#include <array>
#include <cstddef>

#include "core/tracefmt/spec.h"

namespace schedfuzz::tracefmt {
namespace {

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

}  // namespace

int EvArgCount(EvType t, Version v) {
  return IsKnown(t, v) && SpecOf(t).timed ? SpecOf(t).nargs : -1;
}

std::string_view EvName(EvType t, Version v) {
  if (IsKnown(t, v) && !SpecOf(t).name.empty()) return SpecOf(t).name;
  auto n = static_cast<size_t>(t);
  return std::string_view(kUnknownNames.text[n].data(), kUnknownNames.len[n]);
}

std::string_view EvArgName(EvType t, int i, Version v) {
  if (i < 0 || i >= EvArgCount(t, v)) return {};
  return SpecOf(t).args[static_cast<size_t>(i)];
}

std::string_view VersionFlagName(Version v) {
  switch (v) {
    case Version::kGo122: return "go122";
    case Version::kGo123: return "go123";
    case Version::kGo125: return "go125";
    case Version::kGo126: return "go126";
  }
  return "go122";
}

bool ParseVersionFlag(std::string_view s, Version* v) {
  for (Version c : {Version::kGo122, Version::kGo123, Version::kGo125, Version::kGo126}) {
    if (s == VersionFlagName(c)) {
      *v = c;
      return true;
    }
  }
  return false;
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

std::string_view ProcStatusName(ProcStatus s, Version v) {
  // go122.ProcStatus.String has no case for SyscallAbandoned, so Go 1.22
  // prints it as "Bad"; error texts built from %v depend on that.
  if (s == ProcStatus::kSyscallAbandoned && v != Version::kGo122) return "SyscallAbandoned";
  switch (s) {
    case ProcStatus::kRunning: return "Running";
    case ProcStatus::kIdle: return "Idle";
    case ProcStatus::kSyscall: return "Syscall";
    default: return "Bad";
  }
}

}  // namespace schedfuzz::tracefmt
