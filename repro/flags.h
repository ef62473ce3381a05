// Command-line parsing driven by two tables (libFuzzer style): the
// subcommands and the flags, each entry with its help text, so that the
// parser, `schedfuzz help` and the docs read the same data and cannot drift.
// The tables themselves live in commands.cc.
#ifndef SCHEDFUZZ_REPRO_FLAGS_H_
#define SCHEDFUZZ_REPRO_FLAGS_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "repro/cli.h"

namespace schedfuzz::repro {

struct CommandSpec {
  const char* name;      // "run"
  const char* synopsis;  // "FILE..."
  const char* summary;   // one line for `schedfuzz help`
  const char* details;   // more lines for `schedfuzz help run` ("" if none)
  int min_args;          // positional arguments accepted
  int max_args;          // -1: any number
  int (*run)(const Options& o, const Io& io);
};

// What the parser and the help text need to know of a flag.
struct FlagInfo {
  const char* name;      // "variant" for --variant; a one-letter name is also -x
  const char* value;     // "NAME" for --variant=NAME; null for a boolean flag
  const char* commands;  // the subcommands it applies to, space separated
  const char* help;      // one line
};

// A flag of a program whose parsed command line is an O (schedfuzz's
// Options, or another tool's own struct).
template <typename O>
struct BasicFlagSpec : FlagInfo {
  // Stores the value; false with *error set (no program prefix) if it does
  // not parse. Boolean flags get "1" or "0".
  bool (*set)(O* o, std::string_view value, std::string* error);
};
using FlagSpec = BasicFlagSpec<Options>;

// argv[1..] split into flags and positional arguments. Accepts --name=value,
// --name value, -o value, -o=value, boolean --name and --name=true|false,
// and "--" to end the flags; flags may stand anywhere. --help, -help and -h
// set `help`.
struct ScannedArgs {
  struct Flag {
    const FlagInfo* info;
    std::string spelled;  // as the user wrote it, for messages
    std::string value;
  };
  std::vector<Flag> flags;
  std::vector<std::string> positional;
  bool help = false;
};
// `find` returns the flag of that name, or null. Errors are one line:
// NotFound for "unknown flag --x", InvalidArgument for a missing or bad
// value ("flag --n needs a value (-n N)").
absl::StatusOr<ScannedArgs> ScanArgs(int argc, const char* const* argv,
                                     absl::FunctionRef<const FlagInfo*(std::string_view)> find);

template <typename O>
const FlagInfo* FindFlag(std::span<const BasicFlagSpec<O>> flags, std::string_view name) {
  for (const BasicFlagSpec<O>& f : flags)
    if (name == f.name) return &f;
  return nullptr;
}

// "bad value for --n: <why>".
absl::Status BadFlagValue(const ScannedArgs::Flag& f, std::string_view why);

// Stores a scanned flag of a table of BasicFlagSpec<O> into *o; the error is
// BadFlagValue with the setter's reason.
template <typename O>
absl::Status ApplyFlag(const ScannedArgs::Flag& f, O* o) {
  std::string why;
  if (static_cast<const BasicFlagSpec<O>*>(f.info)->set(o, f.value, &why)) return absl::OkStatus();
  return BadFlagValue(f, why);
}

// "--variant=NAME", "-o PATH", "--json".
std::string FlagUsage(const FlagInfo& f);

// argv[0] is the program. ScanArgs, then the subcommand: `help CMD`, `CMD
// --help` and bare `--help` set o->command to "help" with the topic in
// o->args; flags must apply to the subcommand.
bool ParseCommandLine(int argc, const char* const* argv, std::span<const CommandSpec> commands,
                      std::span<const FlagSpec> flags, Options* o, std::string* error);

// `schedfuzz help`: every subcommand on one line, then every flag.
std::string HelpText(std::span<const CommandSpec> commands, std::span<const FlagSpec> flags);
// `schedfuzz help CMD`: its synopsis, details and flags.
std::string CommandHelp(const CommandSpec& c, std::span<const FlagSpec> flags);

// Value parsers shared by the flag setters. ParseUint: decimal digits only
// (no sign, no spaces), at most 2^64-1. ParseDouble: a non-negative number
// as absl::SimpleAtod reads it ("1.5", "+2", "1e3", "inf"), without
// surrounding spaces; not NaN, not negative.
bool ParseUint(std::string_view s, uint64_t* out);
bool ParseDouble(std::string_view s, double* out);

}  // namespace schedfuzz::repro

#endif  // SCHEDFUZZ_REPRO_FLAGS_H_
