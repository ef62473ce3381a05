// Which Go trace format a trace is in (internal/trace/version: Go122, Go123,
// Go125, Go126; the header is "go 1.N trace\0\0\0"). The vocabulary grows with
// the version: each version's event types are a prefix of one table
// (spec.h), cut where Go's version.Specs() cuts it.
#ifndef SCHEDFUZZ_CORE_TRACEFMT_VERSION_H_
#define SCHEDFUZZ_CORE_TRACEFMT_VERSION_H_

#include <cstdint>
#include <string_view>

namespace schedfuzz::tracefmt {

enum class Version : uint8_t {
  kGo122 = 22,  // the format this project's model writes
  kGo123 = 23,  // coroutine switches, GoStatusStack, experimental batches
  kGo125 = 25,  // Sync batches (Frequency + ClockSnapshot)
  kGo126 = 26,  // explicit EndOfGeneration
};

// The N of "go 1.N trace".
constexpr int Minor(Version v) { return static_cast<int>(v); }
// Is N a version this project reads (the v2 parser's versions)?
constexpr bool IsV2Version(uint64_t n) { return n == 22 || n == 23 || n == 25 || n == 26; }

// "go122" etc.: the spelling used on command lines (--format).
std::string_view VersionFlagName(Version v);
// Parses VersionFlagName's spelling; false if s names no version.
bool ParseVersionFlag(std::string_view s, Version* v);

}  // namespace schedfuzz::tracefmt

#endif  // SCHEDFUZZ_CORE_TRACEFMT_VERSION_H_
