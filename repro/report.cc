#include "repro/report.h"

#include <vector>

#include "absl/strings/str_format.h"

namespace schedfuzz::repro {

scenario::RunOptions MakeRunOptions(const Options& o) {
  scenario::RunOptions r;
  r.variant = &VariantOf(o);
  r.oracles = o.oracles;
  if (o.step_budget != 0) r.step_budget = o.step_budget;
  return r;
}

const rt::Variant& VariantOf(const Options& o) {
  return o.variant ? *o.variant : rt::DefaultVariant(o.release);
}

std::string VerdictText(const scenario::Outcome& out) {
  if (!out.discarded.empty()) return "discarded: " + out.discarded;
  if (!out.verdict.violation) return "ok";
  std::string s = "violation: " + scenario::DescribeVerdict(out.verdict);
  if (out.known) s += absl::StrFormat(" [known: %s]", out.known->id);
  return s;
}

std::string VerdictKey(const scenario::Outcome& out) {
  if (!out.discarded.empty()) return "discarded";
  if (!out.verdict.violation) return "ok";
  const oracle::Verdict& v = out.verdict;
  return absl::StrFormat("%s/%s: %s [%s]", v.oracle, v.check, MaskDigits(v.message),
                         out.known ? out.known->id : "");
}

int CountContextSwitches(std::span<const int> threads) {
  int n = 0;
  for (size_t i = 1; i < threads.size(); ++i)
    if (threads[i] != threads[i - 1]) ++n;
  return n;
}

namespace {
// One verdict's structured fields.
void AddVerdictJson(const oracle::Verdict& v, const oracle::KnownFinding* known, JsonObject* j) {
  j->Str("oracle", v.oracle)
      .Str("check", v.check)
      .Str("message", v.message)
      .Str("site", v.site)
      .Int("step", v.step)
      .Int("goroutine", v.goid)
      .Int("session", v.session)
      .Int("gen", v.gen);
  std::vector<JsonObject> culprits;
  for (const oracle::Culprit& c : v.Culprits()) {
    JsonObject o;
    o.Int("goroutine", c.goid).Int("p", c.p).Int("m", c.m);
    if (c.step != UINT64_MAX) {
      o.Int("step", c.step);
    } else {
      o.Null("step");
    }
    if (c.batch >= 0) o.Int("batch", c.batch).Int("event", c.event);
    culprits.push_back(std::move(o));
  }
  j->Objects("culprits", culprits);
  if (known) {
    j->Str("known", known->id);
  } else {
    j->Null("known");
  }
}
}  // namespace

void AddOutcomeJson(const scenario::Outcome& out, JsonObject* j) {
  const oracle::Verdict& v = out.verdict;
  j->Str("verdict", !out.discarded.empty() ? "discarded" : v.violation ? "violation" : "ok");
  if (!out.discarded.empty()) j->Str("discarded", out.discarded);
  if (v.violation) {
    AddVerdictJson(v, out.known, j);
    // Every verdict of the run (the primary is one of them).
    std::vector<JsonObject> all;
    for (int i = 0; i < out.nverdicts; ++i) {
      JsonObject o;
      AddVerdictJson(out.verdicts[i], out.knowns[i], &o);
      all.push_back(std::move(o));
    }
    j->Objects("verdicts", all);
    if (out.dropped > 0) j->Int("verdicts_dropped", out.dropped);
  }
  j->Str("run_end", sim::RunStatusName(out.engine.status))
      .Int("steps", out.engine.steps)
      .Int("decisions", out.engine.decisions)
      .Int("sessions", out.sessions)
      .Int("events", out.events);
}

std::string VerdictLines(const scenario::Outcome& out) {
  std::string s;
  if (!out.discarded.empty() || !out.verdict.violation) return s;
  for (int i = 0; i < out.nverdicts; ++i) {
    const oracle::Verdict& v = out.verdicts[i];
    s += absl::StrFormat(
        "  %s %s%s\n    %s\n", out.nverdicts > 1 ? "verdict" : "details",
        scenario::DescribeVerdict(v),
        out.knowns[i] ? absl::StrFormat(" [known: %s]", out.knowns[i]->id) : std::string(" [new]"),
        scenario::DescribeVerdictDetails(v));
  }
  if (out.dropped > 0)
    s += absl::StrFormat("  (%d more quiet known verdicts not kept)\n", out.dropped);
  return s;
}

}  // namespace schedfuzz::repro
