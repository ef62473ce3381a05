// For tests of the CLI: run repro::Main in-process and capture what it
// writes.
#ifndef SCHEDFUZZ_REPRO_CLI_TESTING_H_
#define SCHEDFUZZ_REPRO_CLI_TESTING_H_

#include <cstdio>
#include <string>
#include <vector>

#include "repro/cli.h"

namespace schedfuzz::repro::testing {

struct CliResult {
  int rc = 0;
  std::string out, err;
};

// Reads a stream from its start, then closes it.
inline std::string Slurp(FILE* f) {
  std::string s;
  std::rewind(f);
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  std::fclose(f);
  return s;
}

// `schedfuzz ARGS...`: the exit code, stdout and stderr.
inline CliResult Cli(std::vector<std::string> args) {
  args.insert(args.begin(), "schedfuzz");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  Io io;
  io.out = std::tmpfile();
  io.err = std::tmpfile();
  CliResult r;
  r.rc = Main(static_cast<int>(argv.size()), argv.data(), io);
  r.out = Slurp(io.out);
  r.err = Slurp(io.err);
  return r;
}

}  // namespace schedfuzz::repro::testing

#endif  // SCHEDFUZZ_REPRO_CLI_TESTING_H_
