// Plain replay driver, linked into every fuzz target when SCHEDFUZZ_ENGINE=replay
// (see sf_fuzzer in cmake/schedfuzz.cmake). No fuzzing engine is involved: it runs
// LLVMFuzzerTestOneInput once on every input named on the command line, so corpora
// become regression tests under any compiler and sanitizer.
//
//   <target> [-flag ...] PATH...
//
// * LLVMFuzzerInitialize(&argc, &argv) runs first if the target defines it.
// * A PATH that is a directory is walked recursively, entries in byte-wise sorted
//   order, so every run replays the same inputs in the same order. Entries whose
//   name starts with '.' are skipped; so are sockets, FIFOs and devices inside
//   directories. A PATH named explicitly is read whatever its type.
// * Arguments starting with '-' are ignored, so libFuzzer-style flags
//   (-runs=0, -seed=1, ...) are harmless.
// * Each input is read fully, then passed in a heap buffer of exactly its size,
//   so ASan reports any read past the end.
// * Prints "replayed N inputs" on stdout and exits 0. A path that does not exist
//   or cannot be read: one error line on stderr, exit 2. Nothing is replayed if
//   any named path is missing.
// * SCHEDFUZZ_REPLAY_VERBOSE=1 prints "Running: PATH" before every input. If a
//   sanitizer report or a crash ends the process, the input being run is named
//   on stderr.

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);
// Provided by the ASan/UBSan runtimes; null in an unsanitized build.
extern "C" __attribute__((weak)) void __sanitizer_set_death_callback(void (*callback)(void));

namespace {

namespace fs = std::filesystem;

// The input being run, for the crash message. Set before each input.
const char* g_current_input = nullptr;

void WriteStderr(const char* s) {
  size_t len = std::strlen(s);
  while (len > 0) {
    ssize_t n = ::write(STDERR_FILENO, s, len);
    if (n <= 0) return;
    s += n;
    len -= static_cast<size_t>(n);
  }
}

void ReportCurrentInput() {
  if (g_current_input == nullptr) return;
  WriteStderr("replay: the process died while running input: ");
  WriteStderr(g_current_input);
  WriteStderr("\n");
}

void OnSanitizerDeath() { ReportCurrentInput(); }

void OnFatalSignal(int sig) {
  ReportCurrentInput();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void InstallCrashReporters() {
  if (__sanitizer_set_death_callback != nullptr) {
    // Leave the sanitizers' own signal handlers alone: they print the report.
    __sanitizer_set_death_callback(&OnSanitizerDeath);
    return;
  }
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT}) std::signal(sig, &OnFatalSignal);
}

[[noreturn]] void Fail(const std::string& message) {
  std::fflush(stdout);
  std::fprintf(stderr, "replay: error: %s\n", message.c_str());
  std::exit(2);
}

// Reads the whole file; exits with status 2 if it cannot.
std::vector<uint8_t> ReadFile(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) Fail("cannot open '" + path + "': " + std::strerror(errno));
  std::vector<uint8_t> bytes;
  uint8_t chunk[1 << 16];
  for (;;) {
    size_t n = std::fread(chunk, 1, sizeof(chunk), f);
    bytes.insert(bytes.end(), chunk, chunk + n);
    if (n < sizeof(chunk)) break;
  }
  bool failed = std::ferror(f) != 0;
  int saved_errno = errno;
  std::fclose(f);
  if (failed) Fail("cannot read '" + path + "': " + std::strerror(saved_errno));
  return bytes;
}

class Replayer {
 public:
  explicit Replayer(bool verbose) : verbose_(verbose) {}

  // Replays PATH: a file, or a directory walked in sorted order.
  void Replay(const std::string& path, bool named_explicitly) {
    std::error_code ec;
    fs::file_status st = fs::status(path, ec);  // follows symlinks
    if (ec || !fs::exists(st)) {
      Fail("cannot access '" + path + "': " + (ec ? ec.message() : "No such file or directory"));
    }
    if (fs::is_directory(st)) {
      ReplayDirectory(path);
    } else if (named_explicitly || fs::is_regular_file(st)) {
      RunFile(path);
    }
  }

  size_t count() const { return count_; }

 private:
  void ReplayDirectory(const std::string& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    fs::directory_iterator it(dir, ec), end;
    if (ec) Fail("cannot list directory '" + dir + "': " + ec.message());
    for (; it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (!name.empty() && name[0] != '.') names.push_back(std::move(name));
    }
    if (ec) Fail("cannot list directory '" + dir + "': " + ec.message());
    std::sort(names.begin(), names.end());  // byte-wise: locale independent
    for (const std::string& name : names) {
      std::string child = dir;
      if (child.empty() || child.back() != '/') child += '/';
      child += name;
      Replay(child, /*named_explicitly=*/false);
    }
  }

  void RunFile(const std::string& path) {
    std::vector<uint8_t> bytes = ReadFile(path);
    // Exactly-sized heap copy: the vector's capacity may exceed its size, and
    // libstdc++ does not tell ASan about the slack.
    std::unique_ptr<uint8_t[]> data(new uint8_t[bytes.size()]);
    if (!bytes.empty()) std::memcpy(data.get(), bytes.data(), bytes.size());
    if (verbose_) {
      std::fprintf(stderr, "Running: %s\n", path.c_str());
      std::fflush(stderr);
    }
    g_current_input = path.c_str();
    LLVMFuzzerTestOneInput(data.get(), bytes.size());
    g_current_input = nullptr;
    ++count_;
  }

  bool verbose_;
  size_t count_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) LLVMFuzzerInitialize(&argc, &argv);

  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    if (argv[i] == nullptr || argv[i][0] == '-') continue;  // engine flags: ignored
    paths.emplace_back(argv[i]);
  }
  // Check every named path before running anything.
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::exists(fs::status(path, ec))) {
      Fail("cannot access '" + path + "': " + (ec ? ec.message() : "No such file or directory"));
    }
  }
  if (paths.empty()) {
    std::fprintf(stderr, "usage: %s [-flag ...] FILE_OR_DIR...  (replays inputs; flags ignored)\n",
                 argc > 0 ? argv[0] : "replay");
  }

  const char* verbose_env = std::getenv("SCHEDFUZZ_REPLAY_VERBOSE");
  Replayer replayer(verbose_env != nullptr && verbose_env[0] != '\0' &&
                    std::strcmp(verbose_env, "0") != 0);
  InstallCrashReporters();
  for (const std::string& path : paths) replayer.Replay(path, /*named_explicitly=*/true);

  std::printf("replayed %zu inputs\n", replayer.count());
  std::fflush(stdout);
  return 0;
}
