// traceAcquire (trace2runtime.go:172), the event writer with its lazy
// ProcStatus/GoStatus emission (trace2event.go:111), the status flags
// (trace2status.go), buffers (trace2buf.go, reduced) and the traceLocker
// event methods the model's code paths call (trace2runtime.go): what Go 1.22
// and Go 1.27 share. The critical section itself (traceAcquireEnabled,
// traceRelease) differs: core/trace/go122/acquire.cc,
// core/trace/go127/acquire.cc.
#include "core/runtime/runtime.h"

namespace schedfuzz::rt {

using tracefmt::EvType;
using tracefmt::GoStatus;
using tracefmt::ProcStatus;

// acquireStatus (trace2status.go:184).
bool traceSchedResourceState::acquireStatus(uint64_t gen, const char* site) {
  if (!statusTraced[gen % 3].Cas(0, 1, site)) return false;
  readyNextGen(gen, site);
  return true;
}

// readyNextGen (trace2status.go:193).
void traceSchedResourceState::readyNextGen(uint64_t gen, const char* site) {
  const uint64_t next = gen + 1;
  seq[next % 2] = 0;
  statusTraced[next % 3].Store(0, site);
}

// traceAcquire (trace2runtime.go:172): nothing, not even the seqlock, while
// tracing is off.
traceLocker Runtime::traceAcquire() {
  if (!traceEnabled("traceAcquire: load trace.gen")) {
    hooks.on_acquire(curm(), uint64_t{0});
    return {};
  }
  return traceAcquireEnabled();
}

uint64_t Runtime::traceClock() {
  uint64_t ts = engine->step() + 1;
  if (ts <= trace.last_ts) ts = trace.last_ts + 1;
  trace.last_ts = ts;
  return ts;
}

SF_NO_COVERAGE int Runtime::allocBuf(uint64_t gen, uint64_t mid) {
  for (int i = 0; i < kMaxTraceBufs; ++i) {
    traceBuf& b = trace.bufs[i];
    if (b.in_use) continue;
    b.in_use = true;
    b.batch.Reset();
    b.batch.kind = tracefmt::BatchKind::kEvents;
    b.batch.gen = gen;
    b.batch.m = mid;
    return i;
  }
  throw_("trace: out of model trace buffers");
}

// traceLocker.writer (trace2buf.go:52): this M's buffer for the generation.
int Runtime::writerBuf(m* mp, uint64_t gen) {
  int& b = mp->trace.buf[gen % 2];
  if (b < 0) b = allocBuf(gen, static_cast<uint64_t>(mp->procid));
  return b;
}

// traceBufFlush (trace2buf.go:232): hand the buffer to the reader, which in
// the model appends it to the open session's output.
SF_NO_COVERAGE void Runtime::flushBuf(int buf) {
  traceBuf& b = trace.bufs[buf];
  if (session_ && !b.batch.events.empty()) {
    tracefmt::Batch& out = session_->Append();
    out.kind = b.batch.kind;
    out.gen = b.batch.gen;
    out.m = b.batch.m;
    out.events.assign(b.batch.events.begin(), b.batch.events.end());
  }
  b.in_use = false;
}

SF_NO_COVERAGE void Runtime::commit(int buf, traceLocker tl, EvType t, uint64_t a0, uint64_t a1,
                                    uint64_t a2) {
  tracefmt::Event ev;
  ev.type = t;
  ev.ts = traceClock();
  ev.args[0] = a0;
  ev.args[1] = a1;
  ev.args[2] = a2;
  trace.bufs[buf].batch.events.push_back(ev);
  trace.written.push_back({ev.ts, engine->step()});
  hooks.on_event(ev, tl.gen, tl.mp);
}

// eventWriter (trace2event.go:111): before the caller's event, write the
// status of this M's P and goroutine if nobody has in this generation yet.
// The statuses are the ones the caller says they had just before its event.
int Runtime::eventWriter(traceLocker tl, GoStatus goStatus, ProcStatus procStatus) {
  const int w = writerBuf(tl.mp, tl.gen);
  p* pp = tl.mp->pp ? tl.mp->pp : tl.mp->trace_p;
  if (pp && !pp->trace.statusWasTraced(tl.gen, "eventWriter: p statusWasTraced") &&
      pp->trace.acquireStatus(tl.gen, "eventWriter: p acquireStatus")) {
    commit(w, tl, EvType::kProcStatus, static_cast<uint64_t>(pp->id),
           static_cast<uint64_t>(procStatus));
  }
  g* gp = tl.mp->curg;
  if (gp && !gp->trace.statusWasTraced(tl.gen, "eventWriter: g statusWasTraced") &&
      gp->trace.acquireStatus(tl.gen, "eventWriter: g acquireStatus")) {
    commit(w, tl, EvType::kGoStatus, static_cast<uint64_t>(gp->goid),
           static_cast<uint64_t>(tl.mp->procid), static_cast<uint64_t>(goStatus));
  }
  return w;
}

// String ids are registered per generation (traceRegisterLabelsAndReasons);
// the model's table is fixed, so the ids are constants.
uint64_t Runtime::reasonString(waitReason r) {
  switch (r) {
    case waitReason::waitReasonIOWait: return kStrNetwork;
    case waitReason::waitReasonChanReceive: return kStrChanRecv;
    default: return kStrPreempted;
  }
}

const char* const kTraceStrings[kNumTraceStrings] = {"network", "chan receive", "runtime.Gosched",
                                                     "preempted", "start trace"};

// GoCreate (trace2runtime.go:392).
void Runtime::tlGoCreate(traceLocker tl, g* newg) {
  newg->trace.setStatusTraced(tl.gen, "GoCreate: setStatusTraced");
  const int w = eventWriter(tl, GoStatus::kRunning, ProcStatus::kRunning);
  commit(w, tl, EvType::kGoCreate, static_cast<uint64_t>(newg->goid), 0, 0);
}

// GoStart (trace2runtime.go:400).
void Runtime::tlGoStart(traceLocker tl) {
  g* gp = tl.mp->curg;
  const int w = eventWriter(tl, GoStatus::kRunnable, ProcStatus::kRunning);
  commit(w, tl, EvType::kGoStart, static_cast<uint64_t>(gp->goid), gp->trace.nextSeq(tl.gen));
}

// GoEnd (trace2runtime.go:414): the GoDestroy event.
void Runtime::tlGoEnd(traceLocker tl) {
  commit(eventWriter(tl, GoStatus::kRunning, ProcStatus::kRunning), tl, EvType::kGoDestroy);
}

// GoSched/GoPreempt -> GoStop (trace2runtime.go:419-432).
void Runtime::tlGoSched(traceLocker tl) {
  commit(eventWriter(tl, GoStatus::kRunning, ProcStatus::kRunning), tl, EvType::kGoStop,
         kStrGosched, 0);
}
void Runtime::tlGoPreempt(traceLocker tl) {
  commit(eventWriter(tl, GoStatus::kRunning, ProcStatus::kRunning), tl, EvType::kGoStop,
         kStrPreempted, 0);
}

// GoPark (trace2runtime.go:437): the GoBlock event.
void Runtime::tlGoPark(traceLocker tl, waitReason reason) {
  commit(eventWriter(tl, GoStatus::kRunning, ProcStatus::kRunning), tl, EvType::kGoBlock,
         reasonString(reason), 0);
}

// GoUnpark (trace2runtime.go:442): if gp has no status in this generation
// yet, it is asserted to have been Waiting.
void Runtime::tlGoUnpark(traceLocker tl, g* gp) {
  const int w = eventWriter(tl, GoStatus::kRunning, ProcStatus::kRunning);
  if (!gp->trace.statusWasTraced(tl.gen, "GoUnpark: statusWasTraced") &&
      gp->trace.acquireStatus(tl.gen, "GoUnpark: acquireStatus")) {
    commit(w, tl, EvType::kGoStatus, static_cast<uint64_t>(gp->goid), tracefmt::kNoThread,
           static_cast<uint64_t>(GoStatus::kWaiting));
  }
  commit(w, tl, EvType::kGoUnblock, static_cast<uint64_t>(gp->goid), gp->trace.nextSeq(tl.gen), 0);
}

// GoSysCall (trace2runtime.go:456).
void Runtime::tlGoSysCall(traceLocker tl) {
  p* pp = tl.mp->pp;
  pp->trace.mSyscallID = tl.mp->procid;
  const int w = eventWriter(tl, GoStatus::kRunning, ProcStatus::kRunning);
  commit(w, tl, EvType::kGoSyscallBegin, pp->trace.nextSeq(tl.gen), 0);
}

// GoSysExit (trace2runtime.go:487).
void Runtime::tlGoSysExit(traceLocker tl, bool lostP) {
  EvType ev = EvType::kGoSyscallEnd;
  ProcStatus procStatus = ProcStatus::kSyscall;
  if (lostP) {
    ev = EvType::kGoSyscallEndBlocked;
    procStatus = ProcStatus::kRunning;
  } else {
    tl.mp->pp->trace.mSyscallID = -1;
  }
  commit(eventWriter(tl, GoStatus::kSyscall, procStatus), tl, ev);
}

// ProcStart (trace2runtime.go:266).
void Runtime::tlProcStart(traceLocker tl) {
  p* pp = tl.mp->pp;
  const int w = eventWriter(tl, GoStatus::kSyscall, ProcStatus::kIdle);
  commit(w, tl, EvType::kProcStart, static_cast<uint64_t>(pp->id), pp->trace.nextSeq(tl.gen));
}

// ProcStop (trace2runtime.go:275).
void Runtime::tlProcStop(traceLocker tl, p* pp) {
  (void)pp;
  commit(eventWriter(tl, GoStatus::kSyscall, ProcStatus::kRunning), tl, EvType::kProcStop);
}

// ProcSteal (trace2runtime.go:504).
void Runtime::tlProcSteal(traceLocker tl, p* pp, bool inSyscall) {
  probe(Probe::kProcSteal, tl.mp, nullptr, pp, tl.gen);
  const int64_t mStolenFrom = pp->trace.mSyscallID;
  pp->trace.mSyscallID = -1;
  GoStatus goStatus = GoStatus::kRunning;
  ProcStatus procStatus = ProcStatus::kRunning;
  if (inSyscall) {
    goStatus = GoStatus::kSyscall;
    procStatus = ProcStatus::kSyscallAbandoned;
  }
  const int w = eventWriter(tl, goStatus, procStatus);
  if (!pp->trace.statusWasTraced(tl.gen, "ProcSteal: statusWasTraced") &&
      pp->trace.acquireStatus(tl.gen, "ProcSteal: acquireStatus")) {
    commit(w, tl, EvType::kProcStatus, static_cast<uint64_t>(pp->id),
           static_cast<uint64_t>(ProcStatus::kSyscallAbandoned));
  }
  commit(w, tl, EvType::kProcSteal, static_cast<uint64_t>(pp->id), pp->trace.nextSeq(tl.gen),
         static_cast<uint64_t>(mStolenFrom));
}

// Gomaxprocs (trace2runtime.go:259): the ProcsChange event.
void Runtime::tlGomaxprocs(traceLocker tl) {
  commit(eventWriter(tl, GoStatus::kRunning, ProcStatus::kRunning), tl, EvType::kProcsChange,
         static_cast<uint64_t>(gomaxprocs), 0);
}

// STWStart/STWDone (trace2runtime.go:315-322).
void Runtime::tlSTWStart(traceLocker tl, stwReason reason) {
  uint64_t str = kStrStartTrace;
  if (reason == stwReason::stwGCMarkTerm) {
    str = kStrGCMarkTerm;
    trace.gcStrings[tl.gen % 2] |= 1;
  } else if (reason == stwReason::stwGCSweepTerm) {
    str = kStrGCSweepTerm;
    trace.gcStrings[tl.gen % 2] |= 2;
  }
  commit(eventWriter(tl, GoStatus::kRunning, ProcStatus::kRunning), tl, EvType::kSTWBegin, str, 0);
}
void Runtime::tlSTWDone(traceLocker tl) {
  commit(eventWriter(tl, GoStatus::kRunning, ProcStatus::kRunning), tl, EvType::kSTWEnd);
}

// writeProcStatusForP (trace2status.go:57; go1.27.4 tracestatus.go:50). A
// running P is in a syscall when its own M's goroutine is. Go 1.22 also has
// _Psyscall, a P left by a goroutine in a syscall; Go 1.27 has no such
// status (it throws here), and nothing in its model sets it. The Go 1.22
// development tree before Go issue 64318's fix (in go1.22rc1) had no such
// check: variant go64318.
void Runtime::writeProcStatusForP(traceLocker tl, p* pp, bool inSTW) {
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
      if (!variant->procstatus_running_in_syscall && tl.mp->pp == pp && tl.mp->curg &&
          (readgstatus(tl.mp->curg, "writeProcStatusForP: readgstatus") & ~_Gscan) == _Gsyscall)
        status = ProcStatus::kSyscall;
      break;
    case _Psyscall: status = ProcStatus::kSyscall; break;
    default: throw_("attempt to trace invalid or unsupported P status");
  }
  commit(writerBuf(tl.mp, tl.gen), tl, EvType::kProcStatus, static_cast<uint64_t>(pp->id),
         static_cast<uint64_t>(status));
}

}  // namespace schedfuzz::rt
