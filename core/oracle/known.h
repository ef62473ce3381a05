// Known findings: runtime ordering problems the model has a canary for. A
// verdict is attributed to a finding when that finding's canary triggered, at
// a site the finding names, for the verdict's own objects, no later than the
// verdict's act (docs/findings.md, "Attribution"), so reports can say "this
// is Go issue 70883" and continuous fuzzing can stay quiet about a finding
// that is already understood. Anything else is new.
#ifndef SCHEDFUZZ_CORE_ORACLE_KNOWN_H_
#define SCHEDFUZZ_CORE_ORACLE_KNOWN_H_

#include <span>
#include <string>
#include <string_view>

#include "core/oracle/canaries.h"
#include "core/oracle/verdict.h"
#include "core/runtime/variant.h"

namespace schedfuzz::oracle {

struct KnownFinding {
  Canary canary;
  const char* id;       // "go70883"
  const char* summary;  // one line for reports
  // Fuzz targets do not stop on it unless SCHEDFUZZ_REPORT_KNOWN=1: it is
  // understood and present in the default variant.
  bool quiet;
  // The first line of Go's parser error on a trace this finding breaks, with
  // numbers written N ("" if it breaks no trace). Ends in ':' when only that
  // prefix is fixed. The real-runtime harness confirms a finding by it.
  const char* first_error;
  // The canary sites through which it is attributed (SF_KNOWN_SITES), as a
  // bitmask over CanarySite.
  uint32_t sites;
  bool Names(CanarySite s) const { return (sites >> static_cast<int>(s)) & 1u; }
};

std::span<const KnownFinding> KnownFindings();
// The known finding with this id ("go70883"), or null.
const KnownFinding* FindKnown(std::string_view id);

// Error text with every run of digits written N: the form in which the table
// states first errors, and in which reports group them.
std::string MaskDigits(std::string_view s);
// True if the first line of `message`, digits masked, is the finding's
// predicted first error (or starts with it, when the prediction ends in ':').
bool MatchesFirstError(const KnownFinding& k, std::string_view message);

// Whether the finding exists in that release's code. Each finding is
// attributed only on the releases whose code has it, so that a canary of a
// Go 1.22 ordering can never claim a verdict on Go 1.27: there the verdict is
// new until someone shows otherwise.
bool ExistsIn(const KnownFinding& k, rt::Release r);

// Whether trigger `t` explains culprit `c`: it happened no later than the
// culprit's step, and it concerns the same objects: they share a goroutine or
// a P (or, when the verdict's M is the one that acted, the M); when the
// verdict's M acted, the trigger's M is that M; and a goroutine that differs
// is linked by the same P (a P changes hands), a P that differs by the same
// goroutine.
bool TriggerExplains(const CanaryTrigger& t, const Culprit& c, bool m_acted);

// The known finding that explains `v` on release `r`, or null: of the
// triggers of a finding's canary at a site the finding names that explain one
// of the verdict's culprits, the latest one's finding. Nothing in the message
// is read.
const KnownFinding* Attribute(const Verdict& v, const CanaryLog& log, rt::Release r);

}  // namespace schedfuzz::oracle

#endif  // SCHEDFUZZ_CORE_ORACLE_KNOWN_H_
