#include "core/oracle/known.h"

#include <string>
#include <string_view>

namespace schedfuzz::oracle {

namespace {
// Site names stand unqualified in the table: they are CanarySite's.
using enum CanarySite;

// The sites of each finding, by id: the SF_KNOWN_SITES lines.
struct SitesRow {
  const char* id;
  uint32_t mask;
};
template <typename... S>
constexpr uint32_t Mask(S... s) {
  return ((1u << static_cast<int>(s)) | ... | 0u);
}
constexpr SitesRow kSites[] = {
#define SF_KNOWN_FINDING(id, canary, quiet, first_error, summary)
#define SF_KNOWN_SITES(id, ...) {id, Mask(__VA_ARGS__)},
#include "core/oracle/known_findings.inc"
#undef SF_KNOWN_SITES
#undef SF_KNOWN_FINDING
};
static_assert(static_cast<int>(CanarySite::kNumSites) <= 32, "sites fit the mask");

constexpr uint32_t SitesOf(const char* id) {
  for (const SitesRow& r : kSites)
    if (std::string_view(r.id) == id) return r.mask;
  return 0;
}

const KnownFinding kKnown[] = {
#define SF_KNOWN_FINDING(id, canary, quiet, first_error, summary) \
  {canary, id, summary, quiet, first_error, SitesOf(id)},
#define SF_KNOWN_SITES(id, ...)
#include "core/oracle/known_findings.inc"
#undef SF_KNOWN_SITES
#undef SF_KNOWN_FINDING
};
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

bool ExistsIn(const KnownFinding& k, rt::Release r) {
  if (r == rt::Release::kGo122) return true;
  // Go 1.27: the one Go 1.22 finding whose code is unchanged there (and that
  // the real go1.27.4 runtime confirms). The syscall-path findings need
  // _Psyscall or a non-reentrant tracer, go70883/go38794/go65181 are older
  // code, and gen-straggler has not been seen on the Go 1.27 model. And
  // go63555, whose fix go1.27 has: its variant go63555 takes the fix out.
  return std::string_view(k.id) == "starttrace-pless-injectglist" ||
         std::string_view(k.id) == "go63555";
}

bool TriggerExplains(const CanaryTrigger& t, const Culprit& c, bool m_acted) {
  if (t.step > c.step) return false;
  const bool both_g = t.goid > 0 && c.goid > 0, both_p = t.p >= 0 && c.p >= 0;
  const bool same_g = both_g && t.goid == c.goid, same_p = both_p && t.p == c.p;
  // The M that acted is the trigger's, or it is another M's doing.
  if (m_acted && t.m >= 0 && c.m >= 0 && t.m != c.m) return false;
  // A P changes hands between goroutines (and a goroutine between Ps): a
  // mismatch on one is fine when the other links them, and not otherwise.
  if (both_g && !same_g && !same_p) return false;
  if (both_p && !same_p && !same_g) return false;
  return same_g || same_p || (m_acted && t.m >= 0 && t.m == c.m);
}

const KnownFinding* Attribute(const Verdict& v, const CanaryLog& log, rt::Release r) {
  if (!v.violation || v.nculprits == 0) return nullptr;
  // Of the triggers that explain a culprit, the latest: when two orderings
  // touched the same goroutine, the one closest before the act set up what
  // the verdict saw.
  const KnownFinding* best = nullptr;
  uint64_t best_step = 0;
  for (const CanaryTrigger& t : log.triggers()) {
    if (best && t.step <= best_step) continue;
    for (const KnownFinding& k : kKnown) {
      if (t.canary != k.canary || !k.Names(t.site) || !ExistsIn(k, r)) continue;
      for (const Culprit& c : v.Culprits()) {
        if (!TriggerExplains(t, c, v.m_acted)) continue;
        best = &k;
        best_step = t.step;
        break;
      }
      if (best == &k) break;
    }
  }
  return best;
}

}  // namespace schedfuzz::oracle
