// Go 1.27's mapping from a goroutine's runtime status to its traced status
// (tracestatus.go), and the wait reasons it counts as running (runtime2.go).
#include "core/runtime/go127/go127.h"

namespace schedfuzz::rt {

using tracefmt::GoStatus;

// isWaitingForSuspendG (go1.27.4 runtime2.go:1358, the table at 1368): the
// goroutine is in _Gwaiting only so that suspendG (the GC, the tracer) can
// take its stack; it is running on the system stack.
bool isWaitingForSuspendG(waitReason w) {
  switch (w) {
    case waitReason::waitReasonStoppingTheWorld:
    case waitReason::waitReasonGCMarkTermination:
    case waitReason::waitReasonGarbageCollection:
    case waitReason::waitReasonGarbageCollectionScan:
    case waitReason::waitReasonTraceGoroutineStatus:
    case waitReason::waitReasonTraceProcStatus:
    case waitReason::waitReasonPageTraceFlush:
    case waitReason::waitReasonGCAssistMarking:
    case waitReason::waitReasonGCWorkerActive:
    case waitReason::waitReasonFlushProcCaches: return true;
    case waitReason::waitReasonZero:
    case waitReason::waitReasonIOWait:
    case waitReason::waitReasonChanReceive:
    case waitReason::waitReasonPreempted: return false;
  }
  return false;
}

// goStatusToTraceGoStatus (go1.27.4 tracestatus.go:114): a _Gwaiting
// goroutine whose reason isWaitingForSuspendG is traced as running; a
// _Gpreempted one is always waiting. (_Gleaked, also waiting, is not in the
// model.)
GoStatus Go127::goStatusToTraceGoStatus(uint32_t status, waitReason wr) const {
  switch (status & ~_Gscan) {
    case _Grunnable: return GoStatus::kRunnable;
    case _Grunning:
    case _Gcopystack: return GoStatus::kRunning;
    case _Gsyscall: return GoStatus::kSyscall;
    case _Gwaiting:
    case _Gpreempted: {
      GoStatus tgs = GoStatus::kWaiting;
      if (status == _Gwaiting && isWaitingForSuspendG(wr)) tgs = GoStatus::kRunning;
      return tgs;
    }
  }
  return GoStatus::kBad;  // Go throws: dead or unsupported
}

// casGToWaitingForSuspendG (go1.27.4 proc.go:1414).
void Go127::casGToWaitingForSuspendG(g* gp, uint32_t old, waitReason reason, const char* site) {
  if (!isWaitingForSuspendG(reason))
    throw_("casGToWaitingForSuspendG with non-isWaitingForSuspendG wait reason");
  casGToWaiting(gp, old, reason, site);
}

}  // namespace schedfuzz::rt
