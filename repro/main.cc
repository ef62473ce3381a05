// schedfuzz: the command-line tool (commands.cc has its subcommands and
// flags). This file only connects the process to repro::Main.
#include <unistd.h>

#include <climits>
#include <string>

#include "repro/cli.h"

namespace {

// The directory of this binary, so `check` can find gocheck in the build tree
// whatever the working directory is.
std::string SelfDir(const char* argv0) {
  char buf[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  std::string path =
      n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string(argv0 ? argv0 : "");
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? "." : path.substr(0, slash);
}

}  // namespace

int main(int argc, char** argv) {
  schedfuzz::repro::Io io;
  io.out_is_tty = ::isatty(STDOUT_FILENO) != 0;
  io.self_dir = SelfDir(argc > 0 ? argv[0] : nullptr);
  const int rc = schedfuzz::repro::Main(argc, argv, io);
  if (std::fflush(stdout) != 0 && rc == 0) return schedfuzz::repro::kExitUsage;
  return rc;
}
