// What Go 1.22's and Go 1.27's StartTrace, StopTrace and traceAdvance
// (trace2.go / trace.go) share, run by the tracer's own M (the goroutine that
// calls StartTrace/StopTrace and the periodic advancer, reduced to one virtual
// thread; docs/model.md). Each release's StartTrace and traceAdvance are in
// core/trace/go122/advance.cc and core/trace/go127/advance.cc.
#include "core/runtime/runtime.h"

namespace schedfuzz::rt {

using tracefmt::EvType;

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

// stringTab.reset (trace2string.go): the generation's string table, with the
// garbage collector's STW reasons in the generations that used them. The
// table is sized once and filled by index: this batch's vector is reused
// across runs, and a push_back would branch on the capacity an earlier run
// left it (an AFL++-unstable edge, docs/fuzzing.md section 5).
void Runtime::writeStrings(uint64_t gen) {
  tracefmt::Batch& b = session_->Append();
  b.kind = tracefmt::BatchKind::kStrings;
  b.gen = gen;
  uint8_t& used = trace.gcStrings[gen % 2];
  const int n = kNumTraceStrings + ((used & 1) ? 1 : 0) + ((used & 2) ? 1 : 0);
  b.strings.resize(n);
  for (int i = 0; i < kNumTraceStrings; ++i) {
    b.strings[i].id = static_cast<uint64_t>(i + 1);
    b.strings[i].value = kTraceStrings[i];
  }
  int i = kNumTraceStrings;
  if (used & 1) {
    b.strings[i].id = kStrGCMarkTerm;
    b.strings[i++].value = StwReasonString(stwReason::stwGCMarkTerm);
  }
  if (used & 2) {
    b.strings[i].id = kStrGCSweepTerm;
    b.strings[i].value = StwReasonString(stwReason::stwGCSweepTerm);
  }
  used = 0;
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

// traceAdvance's snapshot pass (trace2.go:293): record the status of every
// goroutine that has none in this generation yet, each suspended (suspendG)
// while it is read. The tracer's own goroutine counts as running.
void Runtime::snapshotUntracedGs(uint64_t gen) {
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
        // go1.22rc1 wrote m.id here (Go issue 65196), where the events name
        // the thread (procid). In a process the two never meet: m.id counts
        // from 0, thread ids are the kernel's. The model's thread ids are
        // small, so its m.id is offset into a range no thread id uses.
        if (gp->mp)
          ug.mid = variant->snapshot_mid_is_m_id ? kMIdAsThreadBase + gp->mp->id : gp->mp->procid;
        ug.status = readgstatus(gp, "traceAdvance: readgstatus") & ~_Gscan;
        ug.waitreason = gp->waitreason;
        probe(Probe::kStatusSnapshot, gp->mp, gp, nullptr, static_cast<uint64_t>(ug.mid));
      }
      resumeG(s);
    }
    if (ug.goid != 0) snap_[nsnap_++] = ug;
  }
}

// traceAdvance's generation switch (trace2.go:368; go1.27.4 trace.go:589).
void Runtime::switchGeneration(uint64_t gen, bool stopTrace) {
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
}

// traceAdvance's flush (trace2.go:576): every M's buffer for gen, waiting for
// Ms inside a critical section; once outside after the switch, an M can no
// longer write to gen.
void Runtime::flushAllMs(uint64_t gen) {
  sched.lock.Lock("traceAdvance: lock sched (allm)");
  uint32_t toFlush = 0;
  for (int i = 0; i < nallm; ++i) toFlush |= 1u << i;
  sched.lock.Unlock("traceAdvance: unlock sched (allm)");
  while (toFlush != 0) {
    for (int i = 0; i < nallm; ++i) {
      if (!(toFlush & (1u << i))) continue;
      m* mp = &allm[i];
      if (mTraceWriting(mp)) continue;
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
}

// traceAdvance's late status pass (trace2.go:616): statuses of goroutines
// that still have none in gen. Nobody can write to gen any more, so the
// snapshot is taken as exact.
void Runtime::writeUntracedStatuses(uint64_t gen) {
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
