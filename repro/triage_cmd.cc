#include <algorithm>
#include <cstdio>
#include <map>
#include <string_view>

#include "absl/strings/str_format.h"

#include "repro/cli.h"
#include "repro/input.h"
#include "repro/report.h"
#include "repro/triage.h"

namespace schedfuzz::repro {

namespace {

std::string_view FirstLine(std::string_view s) { return s.substr(0, s.find('\n')); }

}  // namespace

std::string FindingIdentity(const scenario::Outcome& out) {
  if (!out.discarded.empty()) return "discarded: " + MaskDigits(out.discarded);
  if (!out.verdict.violation) return "ok";
  if (out.known) return out.known->id;
  // A new finding: what fired and where in the model, never which M or
  // goroutine it happened on. Go's parser has one check ("parser") for many
  // errors, so for the validator the error's first line (digits masked)
  // stands for the check.
  const oracle::Verdict& v = out.verdict;
  std::string id = absl::StrFormat("%s/%s", v.oracle, v.check);
  if (v.oracle == "validator" || v.oracle == "invariant")
    absl::StrAppendFormat(&id, ": %s", MaskDigits(FirstLine(v.message)));
  if (!v.site.empty()) absl::StrAppendFormat(&id, " @ %s", v.site);
  return id;
}

std::vector<TriageGroup> Triage(const std::vector<std::string>& paths,
                                const scenario::RunOptions& opts,
                                std::vector<std::string>* errors) {
  scenario::Runner runner;
  std::vector<TriageGroup> groups;
  std::map<std::string, size_t> index;
  for (const std::string& path : paths) {
    const absl::StatusOr<scenario::Scenario> sc = LoadScenario(path);
    if (!sc.ok()) {
      errors->push_back(std::string(sc.status().message()));
      continue;
    }
    const scenario::Outcome& out = runner.Run(*sc, opts);
    const std::string id = FindingIdentity(out);
    auto [it, added] = index.emplace(id, groups.size());
    if (added) {
      TriageGroup g;
      g.identity = id;
      g.violation = out.verdict.violation && out.discarded.empty();
      if (out.known) g.known = out.known->id;
      g.oracle = out.verdict.oracle;
      g.check = out.verdict.check;
      g.message = std::string(FirstLine(out.verdict.message));
      groups.push_back(std::move(g));
    }
    groups[it->second].inputs.push_back(path);
  }
  std::stable_sort(groups.begin(), groups.end(), [](const TriageGroup& a, const TriageGroup& b) {
    if (a.inputs.size() != b.inputs.size()) return a.inputs.size() > b.inputs.size();
    return a.identity < b.identity;
  });
  return groups;
}

int CmdTriage(const Options& o, const Io& io) {
  std::vector<std::string> errors;
  const std::vector<TriageGroup> groups = Triage(o.args, MakeRunOptions(o), &errors);
  // Unreadable inputs are reported but do not hide the others' groups.
  for (const std::string& e : errors) UsageError(io, e);
  bool violation = false;
  for (const TriageGroup& g : groups) {
    violation |= g.violation;
    if (o.json) {
      std::string files;
      for (const std::string& f : g.inputs) files += (files.empty() ? "" : ",") + JsonString(f);
      std::fprintf(io.out,
                   "{\"count\":%zu,\"identity\":%s,\"violation\":%s,\"known\":%s,\"oracle\":%s,"
                   "\"check\":%s,\"message\":%s,\"first\":%s,\"inputs\":[%s]}\n",
                   g.inputs.size(), JsonString(g.identity).c_str(), g.violation ? "true" : "false",
                   g.known.empty() ? "null" : JsonString(g.known).c_str(),
                   JsonString(g.oracle).c_str(), JsonString(g.check).c_str(),
                   JsonString(g.message).c_str(), JsonString(g.inputs.front()).c_str(),
                   files.c_str());
    } else {
      std::fprintf(io.out, "%6zu  %s  (first: %s)\n", g.inputs.size(), g.identity.c_str(),
                   g.inputs.front().c_str());
    }
  }
  if (!errors.empty()) return kExitUsage;
  return violation ? kExitViolation : kExitOk;
}

}  // namespace schedfuzz::repro
