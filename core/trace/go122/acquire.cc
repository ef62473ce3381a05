// The Go 1.22 tracer's per-M critical section (trace2runtime.go): a seqlock
// that is odd while the M writes. It is not reentrant: Go throws if
// traceAcquire finds it odd already, and no 1.22 path in the model nests.
#include "core/runtime/go122/go122.h"

namespace schedfuzz::rt {

// traceAcquireEnabled (trace2runtime.go:186): the generation is read after
// the seqlock becomes odd, so traceAdvance can tell when this M can no
// longer write to the old generation.
traceLocker Go122::traceAcquireEnabled() {
  m* mp = curm();
  mp->locks++;
  mp->trace.seqlock.Add(1, "traceAcquire: seqlock++");
  const uint64_t gen = trace.gen.Load("traceAcquire: reload trace.gen");
  if (gen == 0) {
    mp->trace.seqlock.Add(1, "traceAcquire: seqlock++ (tracing stopped)");
    mp->locks--;
    hooks.on_acquire(mp, gen);
    return {};
  }
  hooks.on_acquire(mp, gen);
  return {mp, gen};
}

// traceRelease (trace2runtime.go:237).
void Go122::traceRelease(traceLocker tl) {
  tl.mp->trace.seqlock.Add(1, "traceRelease: seqlock++");
  hooks.on_release(tl.mp, tl.gen);
  tl.mp->locks--;
}

// traceAdvance's flush loop waits for an even seqlock (trace2.go:583).
bool Go122::mTraceWriting(m* mp) {
  return mp->trace.seqlock.Load("traceAdvance: load seqlock") % 2 != 0;
}

}  // namespace schedfuzz::rt
