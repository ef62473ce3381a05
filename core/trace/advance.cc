// StartTrace, StopTrace and traceAdvance (trace2.go), run by the tracer's
// own M (the goroutine that calls StartTrace/StopTrace and the periodic
// advancer, reduced to one virtual thread; docs/model.md).
#include "core/runtime/runtime.h"

namespace schedfuzz::rt {

using tracefmt::EvType;

// traceNextGen (trace2.go:643).
static uint64_t traceNextGen(uint64_t gen) { return gen == ~uint64_t{0} ? 4 : gen + 1; }

void Runtime::openSession() {
  if (trace.nsessions >= kMaxSessions) throw_("trace: more sessions than the model keeps");
  session_ = &trace.sessions[trace.nsessions++];
  session_->Clear();
}

// traceFrequency (trace2time.go:70) writes its own batch; the model's clock
// ticks once per scheduling step and says it ticks 1e9 times a second.
void Runtime::writeFrequency(uint64_t gen) {
  tracefmt::Batch& b = session_->Append();
  b.kind = tracefmt::BatchKind::kFrequency;
  b.gen = gen;
  b.freq = 1000000000;
}

// stringTab.reset (trace2string.go): the generation's string table.
void Runtime::writeStrings(uint64_t gen) {
  tracefmt::Batch& b = session_->Append();
  b.kind = tracefmt::BatchKind::kStrings;
  b.gen = gen;
  b.strings.resize(kNumTraceStrings);
  for (int i = 0; i < kNumTraceStrings; ++i) {
    b.strings[i].id = static_cast<uint64_t>(i + 1);
    b.strings[i].value = kTraceStrings[i];
  }
}

// StartTrace (trace2.go:131).
//
// Why it stops the world (Go's own account, in our words): while tracing is
// off, traceAcquire leaves the seqlock alone, so nothing makes StartTrace
// wait for a goroutine that is between a traceAcquire that saw tracing off
// and the status change that follows it (the "problem window"). If the
// first generation's snapshot read such a goroutine's old status, the
// change itself would go unrecorded and every later event would contradict
// the snapshot. Stopping the world guarantees that the next traceAcquire of
// every goroutine sees tracing on. Goroutines exiting a syscall are not
// stopped by it; StartTrace waits for them through trace.exitingSyscall,
// which only exitsyscall0 raises. Two more exceptions exist in the code and
// are known findings here: an M without a P (findRunnable's blocking
// netpoll, then injectglist) is not stopped either
// (starttrace-pless-injectglist), and exitsyscallfast's window is not
// counted in exitingSyscall (starttrace-exitsyscallfast).
bool Runtime::StartTrace() {
  if (traceEnabled("StartTrace: traceEnabled") ||
      trace.shutdown.Load("StartTrace: traceShuttingDown") != 0)
    return false;  // "tracing is already enabled"
  trace.advanceSema.Lock("StartTrace: semacquire(traceAdvanceSema)");
  const uint64_t firstGen = traceNextGen(trace.lastNonZeroGen);
  openSession();
  worldsema.Lock("stopTheWorld: semacquire(worldsema)");
  stopTheWorldWithSema();
  sched.sysmonlock.Lock("StartTrace: lock sysmonlock");
  for (int i = 0; i < gomaxprocs; i++) allp[i].trace.mSyscallID = -1;
  trace.gen.Store(firstGen, "StartTrace: store trace.gen");
  hooks.on_gen_switch(uint64_t{0}, firstGen);
  while (trace.exitingSyscall.Load("StartTrace: load exitingSyscall") != 0)
    sim::SpinWait("StartTrace: osyield");
  traceLocker tl = traceAcquire();
  tlGomaxprocs(tl);
  tlSTWStart(tl);
  for (int i = 0; i < gomaxprocs; i++) writeProcStatusForP(tl, &allp[i], false);
  traceRelease(tl);
  sched.sysmonlock.Unlock("StartTrace: unlock sysmonlock");
  startTheWorldWithSema();
  worldsema.Unlock("startTheWorld: semrelease(worldsema)");
  trace.advanceSema.Unlock("StartTrace: semrelease(traceAdvanceSema)");
  return true;
}

// StopTrace (trace2.go:267).
void Runtime::StopTrace() { traceAdvance(true); }

// The forEachP function traceAdvance passes (trace2.go:552): a ProcStatus for
// every P that has none in the new generation yet.
void Runtime::safePointFn(p* pp) {
  traceLocker tl = traceAcquire();
  if (!tl.ok()) return;
  if (!pp->trace.statusWasTraced(tl.gen, "traceAdvance forEachP: statusWasTraced"))
    writeProcStatusForP(tl, pp, false);
  traceRelease(tl);
}

// traceAdvance (trace2.go:276).
void Runtime::traceAdvance(bool stopTrace) {
  trace.advanceSema.Lock("traceAdvance: semacquire(traceAdvanceSema)");
  const uint64_t gen = trace.gen.Load("traceAdvance: load trace.gen");
  if (gen == 0) {
    trace.advanceSema.Unlock("traceAdvance: semrelease(traceAdvanceSema)");
    return;
  }
  writeFrequency(gen);

  // Snapshot pass: record the status of every goroutine that has none in
  // this generation yet. Its own goroutine counts as running.
  nsnap_ = 0;
  for (int i = 0; i <= nallgs; ++i) {
    g* gp = i < nallgs ? &allgs[i] : &tracer_g;
    gp->trace.readyNextGen(gen, "traceAdvance: readyNextGen");
    if (gp->trace.statusWasTraced(gen, "traceAdvance: statusWasTraced")) continue;
    UntracedG ug;
    ug.gp = gp;
    ug.mid = -1;
    if (gp == &tracer_g) {
      ug.goid = gp->goid;
      ug.mid = tracer_m->procid;
      ug.status = _Gwaiting;
      ug.waitreason = waitReason::waitReasonTraceGoroutineStatus;
    } else {
      suspendGState s = suspendG(gp);
      if (!s.dead) {
        ug.goid = gp->goid;
        if (gp->mp) ug.mid = gp->mp->procid;
        ug.status = readgstatus(gp, "traceAdvance: readgstatus") & ~_Gscan;
        ug.waitreason = gp->waitreason;
      }
      resumeG(s);
    }
    if (ug.goid != 0) snap_[nsnap_++] = ug;
  }

  // The generation switch.
  worldsema.Lock("traceAdvance: semacquire(worldsema)");
  trace.lastNonZeroGen = gen;
  const uint64_t next = stopTrace ? 0 : traceNextGen(gen);
  if (stopTrace) {
    // shutdown goes up before gen goes to 0, under trace.lock, so that a
    // reader of "traceEnabled() || traceShuttingDown()" never finds both
    // false while the last generation is still being flushed.
    trace.lock.Lock("traceAdvance: lock trace.lock");
    trace.shutdown.Store(1, "traceAdvance: store shutdown");
    trace.gen.Store(0, "traceAdvance: store trace.gen=0");
    // The oracles look at the instant of the switch: after it, with tracing
    // off, status changes are rightly untraced.
    hooks.on_gen_switch(gen, next);
    trace.lock.Unlock("traceAdvance: unlock trace.lock");
  } else {
    trace.gen.Store(next, "traceAdvance: store trace.gen");
    hooks.on_gen_switch(gen, next);
  }
  if (!stopTrace) {
    traceLocker tl = traceAcquire();
    tlGomaxprocs(tl);
    traceRelease(tl);
  }
  worldsema.Unlock("traceAdvance: semrelease(worldsema)");

  // Flush every M's buffer for gen, waiting for Ms inside a critical
  // section (odd seqlock): once even after the switch, an M can no longer
  // write to gen.
  sched.lock.Lock("traceAdvance: lock sched (allm)");
  uint32_t toFlush = 0;
  for (int i = 0; i < nallm; ++i) toFlush |= 1u << i;
  sched.lock.Unlock("traceAdvance: unlock sched (allm)");
  while (toFlush != 0) {
    for (int i = 0; i < nallm; ++i) {
      if (!(toFlush & (1u << i))) continue;
      m* mp = &allm[i];
      if (mp->trace.seqlock.Load("traceAdvance: load seqlock") % 2 != 0) continue;
      trace.lock.Lock("traceAdvance: lock trace.lock (flush)");
      int& bufp = mp->trace.buf[gen % 2];
      if (bufp >= 0) {
        flushBuf(bufp);
        bufp = -1;
      }
      hooks.on_flush(mp, gen);
      trace.lock.Unlock("traceAdvance: unlock trace.lock (flush)");
      toFlush &= ~(1u << i);
    }
    if (toFlush != 0) sim::SpinWait("traceAdvance: osyield (M in trace critical section)");
  }

  // Late status pass: statuses of goroutines that still have none in gen.
  // Nobody can write to gen any more, so the snapshot is taken as exact.
  {
    const int w = allocBuf(gen, tracefmt::kNoThread);
    traceLocker none{nullptr, gen};
    for (int i = 0; i < nsnap_; ++i) {
      const UntracedG& ug = snap_[i];
      if (ug.gp->trace.statusWasTraced(gen, "traceAdvance: statusWasTraced (late)")) continue;
      const tracefmt::GoStatus st = goStatusToTraceGoStatus(ug.status, ug.waitreason);
      commit(w, none, EvType::kGoStatus, static_cast<uint64_t>(ug.goid),
             static_cast<uint64_t>(ug.mid), static_cast<uint64_t>(st));
    }
    flushBuf(w);
  }
  writeStrings(gen);

  if (!stopTrace) {
    worldsema.Lock("traceAdvance: semacquire(worldsema) (forEachP)");
    forEachP();
    worldsema.Unlock("traceAdvance: semrelease(worldsema) (forEachP)");
  } else {
    trace.shutdown.Store(0, "traceAdvance: clear shutdown");
    session_ = nullptr;
    trace.nclosed = trace.nsessions;
  }
  trace.advanceSema.Unlock("traceAdvance: semrelease(traceAdvanceSema)");
}

// The tracer's timeline: StartTrace / traceAdvance / StopTrace in scenario
// order, each after its delay; tracing still on at the end is stopped, so
// every session's trace is complete.
void Runtime::TracerThread(void* arg) {
  auto* rt = static_cast<Runtime*>(arg);
  for (size_t i = 0; i < rt->machine->tracer.size(); ++i) {
    const TracerOp& op = rt->machine->tracer[i];
    rt->tracer_op = static_cast<int>(i);
    sim::Delay(op.delay, "tracer: wait");
    switch (op.kind) {
      case TracerOpKind::kStart: rt->StartTrace(); break;
      case TracerOpKind::kAdvance: rt->traceAdvance(false); break;
      case TracerOpKind::kStop: rt->StopTrace(); break;
    }
  }
  if (rt->trace.gen.Raw() != 0) rt->StopTrace();
  rt->tracer_done = true;
}

}  // namespace schedfuzz::rt
