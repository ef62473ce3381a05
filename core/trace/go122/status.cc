// Go 1.22's mapping from a goroutine's runtime status to its traced status
// (trace2status.go).
#include "core/runtime/go122/go122.h"

namespace schedfuzz::rt {

using tracefmt::GoStatus;

// goStatusToTraceGoStatus (trace2status.go:127): a goroutine in _Gwaiting
// that is really running on the system stack, waiting only so that the GC can
// take its stack, is traced as running. Go 1.22 lists the reasons inline, and
// its && binds tighter than the ||s: only waitReasonStoppingTheWorld is tied
// to _Gwaiting, so a _Gpreempted goroutine with one of the other five reasons
// is running too (the model never makes a goroutine _Gpreempted). The list
// has no waitReasonTraceGoroutineStatus, waitReasonFlushProcCaches,
// waitReasonGarbageCollectionScan or waitReasonGCAssistMarking: those are
// traced as waiting.
GoStatus Go122::goStatusToTraceGoStatus(uint32_t status, waitReason wr) const {
  switch (status & ~_Gscan) {
    case _Grunnable: return GoStatus::kRunnable;
    case _Grunning:
    case _Gcopystack: return GoStatus::kRunning;
    case _Gsyscall: return GoStatus::kSyscall;
    case _Gwaiting:
    case _Gpreempted: {
      GoStatus tgs = GoStatus::kWaiting;
      if ((status == _Gwaiting && wr == waitReason::waitReasonStoppingTheWorld) ||
          wr == waitReason::waitReasonGCMarkTermination ||
          wr == waitReason::waitReasonGarbageCollection ||
          wr == waitReason::waitReasonTraceProcStatus ||
          wr == waitReason::waitReasonPageTraceFlush || wr == waitReason::waitReasonGCWorkerActive)
        tgs = GoStatus::kRunning;
      return tgs;
    }
  }
  return GoStatus::kBad;  // Go throws: dead or unsupported
}

}  // namespace schedfuzz::rt
