// What every schedfuzz subcommand shares: where output goes, the exit codes,
// and the parsed command line. main.cc owns the table of subcommands; each
// subcommand lives in its own file and is declared here.
#ifndef SCHEDFUZZ_REPRO_CLI_H_
#define SCHEDFUZZ_REPRO_CLI_H_

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

#include "core/oracle/verdict.h"
#include "core/runtime/variant.h"

namespace schedfuzz::repro {

// Exit codes, the same for every subcommand (docs/cli.md).
inline constexpr int kExitOk = 0;         // no violation (check: Go and the validator agree)
inline constexpr int kExitViolation = 1;  // a violation (check: they disagree)
inline constexpr int kExitUsage = 2;      // bad usage or bad input; one error line on err

// Where a subcommand writes. The binary passes stdout/stderr; tests pass
// memory streams so that they can run the CLI in-process.
struct Io {
  FILE* out = stdout;
  FILE* err = stderr;
  bool out_is_tty = false;  // encode refuses to write raw bytes to a terminal
  // Directory of the running binary ("" if unknown): check looks for gocheck
  // beside it.
  std::string self_dir;
};

// The command line after flag parsing (flags.cc holds the table that fills
// it). Every field has the flag's default.
struct Options {
  std::string command;                        // the subcommand
  std::vector<std::string> args;              // positional arguments after it
  const rt::Variant* variant = nullptr;       // --variant (null: the release's default)
  rt::Release release = rt::kCurrentRelease;  // --go (or the --variant's release)
  bool release_set = false;
  oracle::OracleSet oracles = oracle::OracleSet::kAll;
  bool json = false;
  bool full = false;   // explain --full
  std::string output;  // -o / --output
  // hunt
  std::string strategy = "random";
  int depth = 3;
  int preemptions = 2;
  uint64_t runs = 100000;
  double seconds = 60;
  uint64_t seed = 1;
  std::string scenario;  // --scenario=FILE ("" = the default scenario)
  std::string find = "any";
  // minimize
  uint64_t max_attempts = 20000;
  std::string keep;  // --keep=tracer,machine,...
  // check
  std::string gocheck;       // --gocheck=PATH
  uint64_t step_budget = 0;  // --step-budget; 0: RunOptions' default
};

// One line on io.err, "schedfuzz: <msg>", and kExitUsage.
int UsageError(const Io& io, std::string_view msg);
int UsageError(const Io& io, const absl::Status& status);  // its message

// Subcommands. Each returns an exit code.
int CmdRun(const Options& o, const Io& io);
int CmdPrint(const Options& o, const Io& io);
int CmdEncode(const Options& o, const Io& io);
int CmdExplain(const Options& o, const Io& io);
int CmdMinimize(const Options& o, const Io& io);
int CmdHunt(const Options& o, const Io& io);
int CmdExport(const Options& o, const Io& io);
int CmdCheck(const Options& o, const Io& io);
int CmdValidate(const Options& o, const Io& io);
int CmdVariants(const Options& o, const Io& io);
int CmdCases(const Options& o, const Io& io);
int CmdTriage(const Options& o, const Io& io);

// The whole CLI: parses argv (argv[0] is the program) and runs a subcommand.
int Main(int argc, const char* const* argv, const Io& io);

}  // namespace schedfuzz::repro

#endif  // SCHEDFUZZ_REPRO_CLI_H_
