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

// gcMarkTermination (mgc.go:932): start the world, then release worldsema
// and gcsema.
void Runtime::gcMarkTermination() {
  startTheWorldWithSema();
  worldsema.Unlock("gcMarkTermination: semrelease(worldsema)");
  gcsema.Unlock("gcMarkTermination: semrelease(gcsema)");
}

}  // namespace schedfuzz::rt
