// check: Go's own trace parser (repro/gocheck, golang.org/x/exp/trace pinned
// to the Go 1.22 parser) against the C++ validator, on every session of a
// run. The validator claims to reject exactly what Go rejects, with Go's
// words; this is where that claim meets the real thing.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"

#include "core/oracle/validator.h"
#include "core/scenario/run.h"
#include "core/tracefmt/wire.h"
#include "repro/cli.h"
#include "repro/export.h"
#include "repro/input.h"
#include "repro/json.h"
#include "repro/report.h"

#ifndef SF_GOCHECK_SRC
#define SF_GOCHECK_SRC ""
#endif

namespace schedfuzz::repro {

namespace {

bool IsExecutable(const std::string& path) {
  struct stat st;
  return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         ::access(path.c_str(), X_OK) == 0;
}

int64_t MTime(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_mtime) : -1;
}

// Runs argv with stdout and stderr captured in *output. Returns the exit
// status, or -1 if the program could not be started (or died of a signal).
int RunProgram(const std::vector<std::string>& argv, const std::string& dir, std::string* output) {
  int fds[2];
  if (::pipe(fds) != 0) return -1;
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return -1;
  }
  if (pid == 0) {
    ::dup2(fds[1], STDOUT_FILENO);
    ::dup2(fds[1], STDERR_FILENO);
    ::close(fds[0]);
    ::close(fds[1]);
    if (!dir.empty() && ::chdir(dir.c_str()) != 0) ::_exit(127);
    // Never let `go` fetch a toolchain or rewrite go.mod/go.sum.
    ::setenv("GOTOOLCHAIN", "local", 1);
    ::setenv("GOFLAGS", "-mod=readonly", 1);
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  output->clear();
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) output->append(buf, static_cast<size_t>(n));
  }
  ::close(fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status)) return -1;
  return WEXITSTATUS(status) == 127 && output->empty() ? -1 : WEXITSTATUS(status);
}

std::string FindGo() {
  if (const char* path = std::getenv("PATH")) {
    std::string p = path;
    size_t start = 0;
    while (start <= p.size()) {
      size_t end = p.find(':', start);
      if (end == std::string::npos) end = p.size();
      const std::string dir = p.substr(start, end - start);
      if (!dir.empty() && IsExecutable(dir + "/go")) return dir + "/go";
      start = end + 1;
    }
  }
  return IsExecutable("/usr/local/go/bin/go") ? "/usr/local/go/bin/go" : "";
}

// The checker for traces of format v: repro/gocheck (x/exp/trace pinned to
// the Go 1.22 parser) for Go 1.22 traces, repro/gocheck126 (x/exp/trace with
// go1.27's reader) for the later formats.
struct Checker {
  const char* name;
  const char* src;
};
Checker CheckerFor(tracefmt::Version v) {
  if (v == tracefmt::Version::kGo122) return {"gocheck", SF_GOCHECK_SRC};
  return {"gocheck126", SF_GOCHECK126_SRC};
}

// The checker's binary: --gocheck, else the one ctest's gocheck.build fixture
// leaves in the build tree, else one built here with `go build` into a cache
// directory beside this binary (rebuilt when its sources are newer).
bool FindGocheck(const Options& o, const Io& io, const Checker& c, std::string* path,
                 std::string* error) {
  if (!o.gocheck.empty()) {
    if (IsExecutable(o.gocheck)) {
      *path = o.gocheck;
      return true;
    }
    *error = absl::StrFormat("--gocheck=%s is not an executable file", o.gocheck);
    return false;
  }
  const std::string src = c.src;
  const std::string name = c.name;
  int64_t src_time = -1;
  for (const char* f : {"/main.go", "/go.mod", "/go.sum"})
    src_time = std::max(src_time, MTime(src + f));
  const std::string dir = io.self_dir.empty() ? "." : io.self_dir;
  for (const std::string& cand : {dir + "/" + name, dir + "/../core/tracefmt/" + name}) {
    if (IsExecutable(cand) && MTime(cand) >= src_time) {
      *path = cand;
      return true;
    }
  }
  const std::string cached = dir + "/gocheck-cache/" + name;
  if (IsExecutable(cached) && MTime(cached) >= src_time) {
    *path = cached;
    return true;
  }
  const std::string go = FindGo();
  if (go.empty()) {
    *error =
        "Go is not installed (looked on PATH and in /usr/local/go/bin); install Go >= 1.22 or pass "
        "--gocheck=PATH";
    return false;
  }
  if (src.empty() || MTime(src + "/main.go") < 0) {
    *error = absl::StrFormat("gocheck sources not found at '%s'; pass --gocheck=PATH", src);
    return false;
  }
  ::mkdir((dir + "/gocheck-cache").c_str(), 0755);
  std::fprintf(io.err, "schedfuzz: building %s: (cd %s && %s build -o %s .)\n", name.c_str(),
               src.c_str(), go.c_str(), cached.c_str());
  std::string output;
  const int rc = RunProgram({go, "build", "-o", cached, "."}, src, &output);
  if (rc != 0 || !IsExecutable(cached)) {
    const std::string first = output.substr(0, output.find('\n'));
    *error = absl::StrFormat("building %s failed (exit %d): %s", name, rc, first);
    return false;
  }
  *path = cached;
  return true;
}

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

// Go's text may carry context the validator leaves out (x/exp/trace wraps
// some errors); the verdicts agree when one first line contains the other.
bool SameError(const std::string& go, const std::string& ours) {
  const std::string a = FirstLine(go), b = FirstLine(ours);
  return !a.empty() && !b.empty() &&
         (a.find(b) != std::string::npos || b.find(a) != std::string::npos);
}

}  // namespace

int CmdCheck(const Options& o, const Io& io) {
  const absl::StatusOr<scenario::Scenario> loaded = LoadScenario(o.args[0]);
  if (!loaded.ok()) return UsageError(io, loaded.status());
  const scenario::Scenario& sc = *loaded;
  std::string error;

  scenario::Runner runner;
  const scenario::Outcome out = RunForTrace(sc, MakeRunOptions(o), runner);
  const auto traces = runner.traces();
  if (traces.empty())
    return UsageError(io,
                      o.args[0] + ": the run wrote no trace (the scenario has no tracer `start`)");
  // One release writes one format: the first session's says which checker.
  const Checker checker = CheckerFor(traces[0].version);
  std::string gocheck;
  if (!FindGocheck(o, io, checker, &gocheck, &error)) return UsageError(io, error);

  const char* tmp = std::getenv("TMPDIR");
  std::string dir = absl::StrFormat("%s/schedfuzz-check-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!::mkdtemp(dir.data()))
    return UsageError(io, absl::StrFormat("mkdtemp %s: %s", dir, std::strerror(errno)));

  oracle::Validator validator;
  bool all_agree = true;
  int checked = 0;
  for (size_t s = 0; s < traces.size(); ++s) {
    if (s + 1 == traces.size() && LastSessionIncomplete(runner)) {
      if (!o.json)
        std::fprintf(io.out,
                     "session %zu: not checked (incomplete: the run ended before StopTrace: step "
                     "budget or a model throw)\n",
                     s);
      continue;
    }
    const std::string path = SessionPath(dir + "/trace", static_cast<int>(s));
    if (absl::Status st = WriteFile(path, tracefmt::WriteWire(traces[s])); !st.ok())
      return UsageError(io, st);
    std::string go_out;
    const int rc = RunProgram({gocheck, path}, "", &go_out);
    ::unlink(path.c_str());
    while (!go_out.empty() && go_out.back() == '\n') go_out.pop_back();
    if (rc < 0 || rc == 2) {
      ::rmdir(dir.c_str());
      return UsageError(io, absl::StrFormat("running %s failed: %s", gocheck, FirstLine(go_out)));
    }
    const oracle::ValidationResult v = validator.Validate(traces[s]);
    const bool go_ok = rc == 0;
    const std::string go_error = go_out.rfind("error: ", 0) == 0 ? go_out.substr(7) : go_out;
    const bool agree = go_ok == v.ok && (go_ok || SameError(go_error, v.error));
    all_agree = all_agree && agree;
    ++checked;
    const std::string ours =
        v.ok ? absl::StrFormat("ok %d events", v.events_ordered) : "error: " + FirstLine(v.error);
    if (o.json) {
      JsonObject j;
      j.Str("file", o.args[0])
          .Int("session", s)
          .Str("go", FirstLine(go_out))
          .Str("validator", ours)
          .Bool("agree", agree);
      std::fprintf(io.out, "%s\n", j.str().c_str());
    } else {
      std::fprintf(io.out, "session %zu:\n  go:        %s\n  validator: %s\n  %s\n", s,
                   FirstLine(go_out).c_str(), ours.c_str(), agree ? "agree" : "DISAGREE");
    }
  }
  ::rmdir(dir.c_str());
  if (!o.json) {
    std::fprintf(io.out, "run verdict (%s): %s\n", oracle::OracleSetName(o.oracles),
                 VerdictText(out).c_str());
    std::fprintf(io.out, "%s on %d session%s\n",
                 all_agree ? "Go and the validator agree" : "Go and the validator DISAGREE",
                 checked, checked == 1 ? "" : "s");
  }
  return all_agree ? kExitOk : kExitViolation;
}

}  // namespace schedfuzz::repro
