#include "core/oracle/known.h"

#include <cstdlib>
#include <cstring>
#include <string>

namespace schedfuzz::oracle {

namespace {
const KnownFinding kKnown[] = {
#define SF_KNOWN_FINDING(id, canary, quiet, first_error, summary) \
  {canary, id, summary, quiet, first_error},
#include "core/oracle/known_findings.inc"
#undef SF_KNOWN_FINDING
};

// "... for goroutine 7: ..." / "... for proc 1: ..." in Go's parser errors.
int64_t NumberAfter(const std::string& msg, const char* word) {
  const size_t at = msg.find(word);
  if (at == std::string::npos) return -1;
  return std::strtoll(msg.c_str() + at + std::strlen(word), nullptr, 10);
}
}  // namespace

std::span<const KnownFinding> KnownFindings() { return kKnown; }

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

bool MatchesFirstError(const KnownFinding& k, std::string_view message) {
  const std::string line = MaskDigits(message.substr(0, message.find('\n')));
  const std::string_view predicted = k.first_error;
  if (!predicted.empty() && predicted.back() == ':') return line.starts_with(predicted);
  return line == predicted;
}

const KnownFinding* FindKnown(std::string_view id) {
  for (const KnownFinding& k : kKnown)
    if (id == k.id) return &k;
  return nullptr;
}

// For "broken trace: failed to advance", the first event stuck in the
// frontier (the dump's first "[...]"): the P (p=N) or goroutine (g=N) it is
// about.
std::string FirstFrontierEvent(const std::string& msg) {
  const size_t open = msg.find('[', msg.find("frontier:"));
  if (open == std::string::npos) return "";
  // Skip the "[gen=N]" header.
  const size_t ev = msg.find('[', open + 1);
  if (ev == std::string::npos) return "";
  return msg.substr(ev, msg.find(']', ev) - ev + 1);
}

bool ExistsIn(const KnownFinding& k, rt::Release r) {
  if (r == rt::Release::kGo122) return true;
  // Go 1.27: the one Go 1.22 finding whose code is unchanged there (and that
  // the real go1.27.4 runtime confirms). The syscall-path findings need
  // _Psyscall or a non-reentrant tracer, go70883/go38794/go65181 are older
  // code, and gen-straggler has not been seen on the Go 1.27 model.
  return std::string_view(k.id) == "starttrace-pless-injectglist";
}

const KnownFinding* Attribute(const Verdict& v, const CanaryHits& hits, rt::Release r) {
  if (!v.violation) return nullptr;
  int64_t goid = v.goid != 0 ? v.goid : NumberAfter(v.message, "goroutine ");
  int64_t proc = NumberAfter(v.message, "for proc ");
  if (v.message.rfind("broken trace: failed to advance", 0) == 0) {
    const std::string ev = FirstFrontierEvent(v.message);
    proc = NumberAfter(ev, " p=");
    goid = NumberAfter(ev, " g=");
  }
  for (const KnownFinding& k : kKnown) {
    const CanaryHit& h = hits[k.canary];
    if (!h.triggered || !ExistsIn(k, r)) continue;
    if (goid > 0 && h.Involves(goid)) return &k;
    if (proc >= 0 && proc < 32 && (h.procs & (1u << proc))) return &k;
  }
  // A frontier stuck on an event that names neither (GoSyscallEndBlocked
  // waiting for a ProcSteal that was written into the generation before, or
  // never written): ordering trouble with such a canary on record is its.
  // Errors that name no goroutine or P (a frontier stuck on an event with
  // neither, a missing context such as "expected a proc but didn't have
  // one"): the P-ownership findings produce exactly these, and so does a
  // steal whose ProcSteal was lost (go65181).
  const bool anonymous =
      (goid <= 0 && proc < 0) || v.message.rfind("broken trace: failed to advance", 0) == 0;
  if (anonymous) {
    for (Canary c : {kCanaryGenStraggler, kCanaryStartTraceExitsyscallfast, kCanaryProcStealLost}) {
      if (!hits[c].triggered) continue;
      for (const KnownFinding& k : kKnown)
        if (k.canary == c && ExistsIn(k, r)) return &k;
    }
  }
  return nullptr;
}

}  // namespace schedfuzz::oracle
