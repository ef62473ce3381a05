// The Go 1.27 tracer's per-M critical section (traceruntime.go): a writing
// flag, set while the M is inside traceAcquire..traceRelease. It nests: a
// traceAcquire on an M that is already writing counts itself in `reentered`
// and keeps the generation the outermost traceAcquire read, so a nested
// section can never write to a newer generation than the one its enclosing
// section holds open.
#include "core/runtime/go127/go127.h"

namespace schedfuzz::rt {

// traceAcquireEnabled (traceruntime.go:202). The watchers (hooks.h) see the
// outermost section only: a nested one is part of it.
traceLocker Go127::traceAcquireEnabled() {
  m* mp = curm();
  mp->locks++;
  if (mp->trace.writing.Load("traceAcquire: load writing") != 0) {
    mp->trace.reentered++;
    return {mp, mp->trace.entryGen};
  }
  mp->trace.writing.Store(1, "traceAcquire: store writing");
  const uint64_t gen = trace.gen.Load("traceAcquire: reload trace.gen");
  if (gen == 0) {
    mp->trace.writing.Store(0, "traceAcquire: clear writing (tracing stopped)");
    mp->locks--;
    hooks.on_acquire(mp, gen);
    return {};
  }
  mp->trace.entryGen = gen;
  hooks.on_acquire(mp, gen);
  return {mp, gen};
}

// traceRelease (traceruntime.go:259).
void Go127::traceRelease(traceLocker tl) {
  if (tl.mp->trace.reentered > 0) {
    tl.mp->trace.reentered--;
  } else {
    tl.mp->trace.writing.Store(0, "traceRelease: clear writing");
    hooks.on_release(tl.mp, tl.gen);
  }
  tl.mp->locks--;
}

// traceAdvance's flush loop skips an M that is writing (trace.go:683).
bool Go127::mTraceWriting(m* mp) {
  return mp->trace.writing.Load("traceAdvance: load writing") != 0;
}

}  // namespace schedfuzz::rt
