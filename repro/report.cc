#include "repro/report.h"

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

void AddOutcomeJson(const scenario::Outcome& out, JsonObject* j) {
  const oracle::Verdict& v = out.verdict;
  j->Str("verdict", !out.discarded.empty() ? "discarded" : v.violation ? "violation" : "ok");
  if (!out.discarded.empty()) j->Str("discarded", out.discarded);
  if (v.violation) {
    j->Str("oracle", v.oracle)
        .Str("check", v.check)
        .Str("message", v.message)
        .Int("step", v.step)
        .Int("goroutine", v.goid)
        .Int("session", v.session)
        .Int("gen", v.gen);
    if (out.known) {
      j->Str("known", out.known->id);
    } else {
      j->Null("known");
    }
  }
  j->Str("run_end", sim::RunStatusName(out.engine.status))
      .Int("steps", out.engine.steps)
      .Int("decisions", out.engine.decisions)
      .Int("sessions", out.sessions)
      .Int("events", out.events);
}

}  // namespace schedfuzz::repro
