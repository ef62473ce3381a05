// The Go 1.27 tracer's per-M critical section (traceruntime.go): a writing
// flag, set while the M is inside traceAcquire..traceRelease. It nests: a
// traceAcquire on an M that is already writing counts itself in `reentered`
// and keeps the generation the outermost traceAcquire read, so a nested
// section can never write to a newer generation than the one its enclosing
// section holds open. And writeProcStatusForP, which tells a P in a syscall
// by its goroutine's status.
#include "core/runtime/go127/go127.h"

namespace schedfuzz::rt {

using tracefmt::EvType;
using tracefmt::ProcStatus;

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

// writeProcStatusForP (tracestatus.go:50): a running P is in a syscall when
// its own M's goroutine is (there is no _Psyscall).
void Go127::writeProcStatusForP(traceLocker tl, p* pp, bool inSTW) {
  if (!pp->trace.acquireStatus(tl.gen, "writeProcStatusForP: acquireStatus")) return;
  ProcStatus status = ProcStatus::kRunning;
  switch (pp->status.Raw()) {
    case _Pidle:
    case _Pgcstop:
      status = ProcStatus::kIdle;
      if (pp->status.Raw() == _Pgcstop && inSTW) status = ProcStatus::kRunning;
      break;
    case _Prunning:
      status = ProcStatus::kRunning;
      if (tl.mp->pp == pp && tl.mp->curg &&
          (readgstatus(tl.mp->curg, "writeProcStatusForP: readgstatus") & ~_Gscan) == _Gsyscall)
        status = ProcStatus::kSyscall;
      break;
    default: throw_("attempt to trace invalid or unsupported P status");
  }
  commit(writerBuf(tl.mp, tl.gen), tl, EvType::kProcStatus, static_cast<uint64_t>(pp->id),
         static_cast<uint64_t>(status));
}

}  // namespace schedfuzz::rt
