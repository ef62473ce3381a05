#include "repro/report.h"

#include "absl/strings/str_format.h"

namespace schedfuzz::repro {

scenario::RunOptions MakeRunOptions(const Options& o) {
  scenario::RunOptions r;
  r.variant = o.variant;
  r.oracles = o.oracles;
  if (o.step_budget != 0) r.step_budget = o.step_budget;
  return r;
}

const rt::Variant& VariantOf(const Options& o) {
  return o.variant ? *o.variant : rt::DefaultVariant();
}

std::string VerdictText(const scenario::Outcome& out) {
  if (!out.discarded.empty()) return "discarded: " + out.discarded;
  if (!out.verdict.violation) return "ok";
  std::string s = "violation: " + scenario::DescribeVerdict(out.verdict);
  if (out.known) s += absl::StrFormat(" [known: %s]", out.known->id);
  return s;
}

std::string MaskDigits(std::string_view s) {
  std::string r;
  r.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] >= '0' && s[i] <= '9') {
      r.push_back('N');
      while (i + 1 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '9') ++i;
    } else {
      r.push_back(s[i]);
    }
  }
  return r;
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

std::string JsonString(std::string_view s) {
  std::string r = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': r += "\\\""; break;
      case '\\': r += "\\\\"; break;
      case '\n': r += "\\n"; break;
      case '\r': r += "\\r"; break;
      case '\t': r += "\\t"; break;
      default:
        if (c < 0x20) {
          r += absl::StrFormat("\\u%04x", c);
        } else {
          r.push_back(static_cast<char>(c));
        }
    }
  }
  r += "\"";
  return r;
}

std::string OutcomeJsonFields(const scenario::Outcome& out) {
  const oracle::Verdict& v = out.verdict;
  const char* verdict = !out.discarded.empty() ? "discarded" : v.violation ? "violation" : "ok";
  std::string s = absl::StrFormat("\"verdict\":%s", JsonString(verdict));
  if (!out.discarded.empty()) s += absl::StrFormat(",\"discarded\":%s", JsonString(out.discarded));
  if (v.violation) {
    s += absl::StrFormat(
        ",\"oracle\":%s,\"check\":%s,\"message\":%s,\"step\":%d,\"goroutine\":%d,\"session\":%d,"
        "\"gen\":%d,\"known\":%s",
        JsonString(v.oracle), JsonString(v.check), JsonString(v.message), v.step, v.goid, v.session,
        v.gen, out.known ? JsonString(out.known->id) : "null");
  }
  s +=
      absl::StrFormat(",\"run_end\":%s,\"steps\":%d,\"decisions\":%d,\"sessions\":%d,\"events\":%d",
                      JsonString(sim::RunStatusName(out.engine.status)), out.engine.steps,
                      out.engine.decisions, out.sessions, out.events);
  return s;
}

}  // namespace schedfuzz::repro
