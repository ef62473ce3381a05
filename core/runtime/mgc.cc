// The garbage collector as far as the scheduler and the tracer see it: one
// cycle of runtime.GC (mgc.go) is gcStart's stop-the-world for sweep
// termination, a mark phase, and gcMarkDone's stop-the-world for mark
// termination, run here by the goroutine that called GC. The model has no
// heap: the mark phase does nothing, and what the collector does while the
// world is stopped (finishing the sweep, flushing caches) is left out.
// docs/model.md lists every simplification.
#include "core/runtime/runtime.h"

namespace schedfuzz::rt {

const char* StwReasonString(stwReason r) {
  switch (r) {
    case stwReason::stwStartTrace: return "start trace";
    case stwReason::stwGCMarkTerm: return "GC mark termination";
    case stwReason::stwGCSweepTerm: return "GC sweep termination";
  }
  return "";
}

// GC (mgc.go:433) reduced to one cycle on the calling goroutine: gcStart,
// then gcMarkDone, where Go parks the caller in gcWaitOnMark and a mark
// worker finishes the cycle. A semaphore the cycle needs is held by someone
// else: the goroutine yields its M and tries again at its next turn
// (g.phase says how far it got).
bool Runtime::gcCycle(g* gp) {
  if (gp->phase < 2 && !gcStart(gp)) return false;
  return gcMarkDone(gp);
}

// gcStart (mgc.go:595): gcsema, then worldsema; stop the world for sweep
// termination, enter the mark phase, start the world again.
bool Runtime::gcStart(g* gp) {
  if (gp->phase == 0) {
    if (!gcsema.TryLock("gcStart: semacquire(gcsema)")) return false;
    gp->phase = 1;
  }
  if (!worldsema.TryLock("gcStart: semacquire(worldsema)")) return false;
  stopTheWorldWithSema(stwReason::stwGCSweepTerm);
  // setGCPhase(_GCmark) and the mark phase's preparation: no heap here.
  startTheWorldWithSema();
  worldsema.Unlock("gcStart: semrelease(worldsema)");
  gp->phase = 2;
  return true;
}

// gcMarkDone (mgc.go:804) once the mark phase has no work left: worldsema,
// stop the world for mark termination, gcMarkTermination.
bool Runtime::gcMarkDone(g* gp) {
  if (!worldsema.TryLock("gcMarkDone: semacquire(worldsema)")) return false;
  stopTheWorldWithSema(stwReason::stwGCMarkTerm);
  gcMarkTermination();
  return true;
}

// gcMarkTermination (mgc.go:932; go1.27.4 mgc.go:1360): with the world
// stopped, the calling goroutine goes to _Gwaiting with
// waitReasonGarbageCollection while the collector marks and sweeps on the
// system stack (nothing here) and back to _Grunning, untraced: the tracer
// reports that wait as running (goStatusToTraceGoStatus). No traceAdvance
// snapshot reads it here: the goroutine's STWBegin traced it in the current
// generation, which cannot end before worldsema is released. Go 1.27 makes
// the first change with casGToWaitingForSuspendG, whose check this reason
// passes. Then start the world and release worldsema and gcsema.
void Runtime::gcMarkTermination() {
  g* curgp = curm()->curg;
  casGToWaiting(curgp, _Grunning, waitReason::waitReasonGarbageCollection,
                "gcMarkTermination: casGToWaiting");
  // gcMark, gcSweep: no heap.
  casgstatus(curgp, _Gwaiting, _Grunning, "gcMarkTermination: casgstatus");
  startTheWorldWithSema();
  worldsema.Unlock("gcMarkTermination: semrelease(worldsema)");
  gcsema.Unlock("gcMarkTermination: semrelease(gcsema)");
}

}  // namespace schedfuzz::rt
