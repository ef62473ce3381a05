#include "core/oracle/known.h"

#include <cstdlib>
#include <string>

namespace schedfuzz::oracle {

namespace {
const KnownFinding kKnown[] = {
    {rt::kCanaryGo70883, "go70883",
     "Go issue 70883 (fixed by f025d19e / ae9996f9): injectglist wrote GoUnpark for the whole list, released the "
     "tracer, then changed each goroutine from waiting to runnable outside the tracer's critical section",
     false},
    {rt::kCanaryStartTracePless, "starttrace-pless-injectglist",
     "a P-less M (findRunnable's blocking netpoll during StartTrace's stop-the-world) took traceAcquire while tracing was off and changed a goroutine's "
     "status after StartTrace turned tracing on; StartTrace's stop-the-world does not stop Ms without a P "
     "(present in the fixed Go 1.22 code; see docs/findings.md)",
     true},
};

// "... for goroutine 7: ..." in Go's parser errors.
int64_t GoroutineInMessage(const std::string& msg) {
  const size_t at = msg.find("goroutine ");
  if (at == std::string::npos) return 0;
  return std::strtoll(msg.c_str() + at + 10, nullptr, 10);
}
}  // namespace

std::span<const KnownFinding> KnownFindings() { return kKnown; }

const KnownFinding* Attribute(const Verdict& v, const rt::RunStats& stats) {
  if (!v.violation) return nullptr;
  const int64_t goid = v.goid != 0 ? v.goid : GoroutineInMessage(v.message);
  if (goid == 0) return nullptr;
  for (const KnownFinding& k : kKnown) {
    const rt::CanaryHit& h = stats.canary[k.canary];
    if (h.triggered && h.Involves(goid)) return &k;
  }
  return nullptr;
}

}  // namespace schedfuzz::oracle
