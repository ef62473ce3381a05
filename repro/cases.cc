#include "repro/cases.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

#include "core/scenario/run.h"
#include "repro/cli.h"
#include "repro/input.h"
#include "repro/json.h"
#include "repro/report.h"

namespace schedfuzz::repro {

namespace {

std::string_view Trim(std::string_view s) {
  const size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string_view::npos) return {};
  const size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

// Case files named on the command line, or the *.txt files of a directory
// in byte-wise name order (stable across machines).
bool CollectCases(const std::vector<std::string>& args, std::vector<std::string>* files,
                  std::string* error) {
  namespace fs = std::filesystem;
  const std::vector<std::string> roots =
      args.empty() ? std::vector<std::string>{"repro/cases"} : args;
  for (const std::string& root : roots) {
    std::error_code ec;
    if (args.empty() && !fs::exists(root, ec)) {
      *error =
          "no case files named and ./repro/cases does not exist (run from the source tree, or name "
          "them)";
      return false;
    }
    if (!fs::is_directory(root, ec)) {
      files->push_back(root);
      continue;
    }
    std::vector<std::string> found;
    for (const fs::directory_entry& e : fs::directory_iterator(root, ec)) {
      if (e.path().extension() == ".txt") found.push_back(e.path().string());
    }
    if (ec) {
      *error = absl::StrFormat("%s: %s", root, ec.message());
      return false;
    }
    std::sort(found.begin(), found.end());
    if (found.empty()) {
      *error = absl::StrFormat("%s: no *.txt cases", root);
      return false;
    }
    files->insert(files->end(), found.begin(), found.end());
  }
  return true;
}

// The PATH of a "# input PATH" line, or "".
std::string InputLine(std::string_view text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = Trim(text.substr(pos, end - pos));
    pos = end + 1;
    if (line.substr(0, 8) == "# input ") return std::string(Trim(line.substr(8)));
  }
  return "";
}

}  // namespace

bool ParseExpectations(std::string_view text, std::vector<Expectation>* out, std::string* error) {
  out->clear();
  int lineno = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = Trim(text.substr(pos, end - pos));
    pos = end + 1;
    ++lineno;
    if (line.empty() || line[0] != '#') continue;
    line = Trim(line.substr(1));
    if (line.substr(0, 7) != "expect ") continue;
    line = Trim(line.substr(7));
    const size_t colon = line.find(": ");
    if (colon == std::string_view::npos) {
      *error = absl::StrFormat("line %d: want `# expect VARIANT[/ORACLES]: VERDICT`", lineno);
      return false;
    }
    Expectation e;
    e.line = lineno;
    e.label = std::string(line.substr(0, colon));
    e.want = std::string(Trim(line.substr(colon + 2)));
    const std::string_view label = e.label;
    const size_t slash = label.find('/');
    const std::string_view variant = label.substr(0, slash);
    e.variant = rt::FindVariant(variant);
    if (!e.variant) {
      *error = absl::StrFormat("line %d: unknown variant '%s'", lineno, std::string(variant));
      return false;
    }
    if (slash != std::string_view::npos &&
        !oracle::ParseOracleSet(label.substr(slash + 1), &e.oracles)) {
      *error = absl::StrFormat("line %d: unknown oracle set '%s'", lineno,
                               std::string(label.substr(slash + 1)));
      return false;
    }
    out->push_back(std::move(e));
  }
  if (out->empty()) {
    *error = "no `# expect VARIANT[/ORACLES]: VERDICT` lines";
    return false;
  }
  return true;
}

int CmdCases(const Options& o, const Io& io) {
  std::vector<std::string> files;
  std::string error;
  if (!CollectCases(o.args, &files, &error)) return UsageError(io, error);
  scenario::Runner runner;
  int failed = 0, passed = 0;
  for (const std::string& path : files) {
    const absl::StatusOr<std::vector<uint8_t>> data = ReadFile(path);
    if (!data.ok()) return UsageError(io, data.status());
    const std::string_view text(reinterpret_cast<const char*>(data->data()), data->size());
    std::vector<Expectation> expect;
    if (!ParseExpectations(text, &expect, &error)) return UsageError(io, path + ": " + error);
    // A case may name its input instead of holding it ("# input PATH",
    // relative to the case file): a committed corpus input with the verdicts
    // it must give.
    absl::StatusOr<scenario::Scenario> sc;
    if (const std::string input = InputLine(text); !input.empty()) {
      const std::string ipath =
          (std::filesystem::path(path).parent_path() / input).lexically_normal().string();
      const absl::StatusOr<std::vector<uint8_t>> idata = ReadFile(ipath);
      if (!idata.ok()) return UsageError(io, absl::StrCat(path, ": ", idata.status().message()));
      sc = ParseInput(*idata);
    } else {
      sc = ParseInput(*data);
    }
    if (!sc.ok()) return UsageError(io, absl::StrCat(path, ": ", sc.status().message()));
    for (const Expectation& e : expect) {
      scenario::RunOptions opts;
      opts.variant = e.variant;
      opts.oracles = e.oracles;
      if (o.step_budget != 0) opts.step_budget = o.step_budget;
      const std::string got = VerdictText(runner.Run(*sc, opts));
      const bool ok = got == e.want;
      ok ? ++passed : ++failed;
      if (o.json) {
        JsonObject j;
        j.Str("case", path)
            .Int("line", e.line)
            .Str("label", e.label)
            .Str("want", e.want)
            .Str("got", got)
            .Bool("pass", ok);
        std::fprintf(io.out, "%s\n", j.str().c_str());
      } else if (ok) {
        std::fprintf(io.out, "PASS %s [%s]: %s\n", path.c_str(), e.label.c_str(), got.c_str());
      } else {
        std::fprintf(io.out, "FAIL %s:%d [%s]\n  want: %s\n  got:  %s\n", path.c_str(), e.line,
                     e.label.c_str(), e.want.c_str(), got.c_str());
      }
    }
  }
  if (!o.json) {
    std::fprintf(io.out, "%d of %d expectations in %zu case%s hold\n", passed, passed + failed,
                 files.size(), files.size() == 1 ? "" : "s");
  }
  return failed ? kExitViolation : kExitOk;
}

}  // namespace schedfuzz::repro
