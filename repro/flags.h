// Command-line parsing driven by two tables (libFuzzer style): the
// subcommands and the flags, each entry with its help text, so that the
// parser, `schedfuzz help` and the docs read the same data and cannot drift.
// The tables themselves live in commands.cc.
#ifndef SCHEDFUZZ_REPRO_FLAGS_H_
#define SCHEDFUZZ_REPRO_FLAGS_H_

#include <span>
#include <string>
#include <string_view>

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

struct FlagSpec {
  const char* name;      // "variant" for --variant; a one-letter name is also -x
  const char* value;     // "NAME" for --variant=NAME; null for a boolean flag
  const char* commands;  // the subcommands it applies to, space separated
  const char* help;      // one line
  // Stores the value; false with *error set (no "schedfuzz:" prefix) if it
  // does not parse. Boolean flags get "1" or "0".
  bool (*set)(Options* o, std::string_view value, std::string* error);
};

// argv[0] is the program. Accepts --name=value, --name value, -o value,
// -o=value, boolean --name and --name=true|false, "--" to end the flags,
// flags before or after the subcommand. `help CMD`, `CMD --help` and bare
// `--help` set o->command to "help" with the topic in o->args.
bool ParseCommandLine(int argc, const char* const* argv, std::span<const CommandSpec> commands,
                      std::span<const FlagSpec> flags, Options* o, std::string* error);

// `schedfuzz help`: every subcommand on one line, then every flag.
std::string HelpText(std::span<const CommandSpec> commands, std::span<const FlagSpec> flags);
// `schedfuzz help CMD`: its synopsis, details and flags.
std::string CommandHelp(const CommandSpec& c, std::span<const FlagSpec> flags);

// Value parsers shared by the flag setters.
bool ParseUint(std::string_view s, uint64_t* out);
bool ParseDouble(std::string_view s, double* out);

}  // namespace schedfuzz::repro

#endif  // SCHEDFUZZ_REPRO_FLAGS_H_
