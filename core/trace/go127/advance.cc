// Go 1.27 StartTrace and traceAdvance (trace.go), run by the tracer's own M.
//
// What changed from Go 1.22, and why it matters to the trace's consistency:
// - StartTrace writes no status for the Ps. Each P's first event in a
//   generation carries its status (the event writer), and traceAdvance's
//   forEachP writes one for every P that had no event.
// - traceAdvance runs forEachP before it switches the generation, inside the
//   same worldsema hold, so every P's status lands in the generation that is
//   ending; Go 1.22 ran it after the switch, for the new one.
// - The trace is in the Go 1.26 format: each generation starts with a sync
//   batch (the frequency and a clock snapshot) and ends with an
//   EndOfGeneration marker, written by the trace reader once every buffer of
//   the generation has been read.
#include "core/runtime/go127/go127.h"

namespace schedfuzz::rt {

using tracefmt::EvType;

// traceSyncBatch's ClockSnapshot (tracetime.go:92): the trace time now; the
// monotonic and wall clocks are the model's (the trace time as nanoseconds).
tracefmt::ClockSnapshot Go127::clockSnapshot() {
  const uint64_t ts = traceClock();
  return {ts, ts, ts / 1000000000, ts % 1000000000};
}

// A sync batch (tracetime.go:79): the generation's frequency and a clock
// snapshot.
void Go127::appendSyncBatch(uint64_t gen, const tracefmt::ClockSnapshot& clock) {
  tracefmt::Batch& b = session_->Append();
  b.kind = tracefmt::BatchKind::kSync;
  b.gen = gen;
  b.freq = 1000000000;
  b.has_freq = true;
  b.has_clock = true;
  b.clock = clock;
}

// traceSyncBatch (tracetime.go:79): written and flushed at once.
void Go127::traceSyncBatch(uint64_t gen) { appendSyncBatch(gen, clockSnapshot()); }

// readTrace0's end of a generation (trace.go:985): once traceAdvance has
// flushed everything of gen, the reader returns the generation's buffers,
// then the EndOfGeneration marker, and only then the next generation's
// buffers, the first of which is the sync batch traceAdvance wrote for it
// right after the switch.
void Go127::traceEndOfGeneration(uint64_t gen) {
  tracefmt::Batch& e = session_->Append();
  e.kind = tracefmt::BatchKind::kEndOfGeneration;
  e.gen = gen;
  if (pending_sync_.gen != 0) {
    appendSyncBatch(pending_sync_.gen, pending_sync_.clock);
    pending_sync_.gen = 0;
  }
}

// StartTrace (trace.go:318).
//
// Why it stops the world (Go's own account, in our words): while tracing is
// off, traceAcquire does not mark the M as writing, so nothing makes
// StartTrace wait for a goroutine that is between a traceAcquire that saw
// tracing off and the status change that follows it. If a later snapshot
// read such a goroutine's old status, the change itself would go unrecorded
// and the events after it would contradict the snapshot. Stopping the world
// makes the next traceAcquire of every goroutine see tracing on; sysmon is
// excluded by sysmonlock, and goroutines exiting a syscall without a P are
// waited for through trace.exitingSyscall. An M without a P that is not in a
// syscall (findRunnable's blocking netpoll, then injectglist) is covered by
// none of these: the known finding starttrace-pless-injectglist.
bool Go127::StartTrace() {
  if (traceEnabled("StartTrace: traceEnabled") ||
      trace.shutdown.Load("StartTrace: traceShuttingDown") != 0)
    return false;  // "tracing is already enabled"
  trace.advanceSema.Lock("StartTrace: semacquire(traceAdvanceSema)");
  const uint64_t firstGen = traceNextGen(trace.lastNonZeroGen);
  openSession();
  session_->version = tracefmt::Version::kGo126;
  pending_sync_.gen = 0;
  worldsema.Lock("stopTheWorld: semacquire(worldsema)");
  stopTheWorldWithSema(stwReason::stwStartTrace);
  sched.sysmonlock.Lock("StartTrace: lock sysmonlock");
  for (int i = 0; i < gomaxprocs; i++) allp[i].trace.mSyscallID = -1;
  trace.gen.Store(firstGen, "StartTrace: store trace.gen");
  hooks.on_gen_switch(uint64_t{0}, firstGen);
  while (trace.exitingSyscall.Load("StartTrace: load exitingSyscall") != 0)
    sim::SpinWait("StartTrace: osyield");
  traceLocker tl = traceAcquire();
  traceSyncBatch(firstGen);
  tlGomaxprocs(tl);
  tlSTWStart(tl, stwReason::stwStartTrace);
  traceRelease(tl);
  sched.sysmonlock.Unlock("StartTrace: unlock sysmonlock");
  startTheWorldWithSema();
  worldsema.Unlock("startTheWorld: semrelease(worldsema)");
  trace.advanceSema.Unlock("StartTrace: semrelease(traceAdvanceSema)");
  return true;
}

// traceAdvance (trace.go:470).
void Go127::traceAdvance(bool stopTrace) {
  trace.advanceSema.Lock("traceAdvance: semacquire(traceAdvanceSema)");
  const uint64_t gen = trace.gen.Load("traceAdvance: load trace.gen");
  if (gen == 0) {
    trace.advanceSema.Unlock("traceAdvance: semrelease(traceAdvanceSema)");
    return;
  }
  snapshotUntracedGs(gen);

  // Every P's status in gen, before the switch, with stop-the-world held off.
  worldsema.Lock("traceAdvance: semacquire(worldsema)");
  forEachP();

  // The generation switch.
  switchGeneration(gen, stopTrace);
  if (!stopTrace) {
    traceLocker tl = traceAcquire();
    // traceSyncBatch(tl.gen): written now, read after gen's end.
    pending_sync_ = {tl.gen, clockSnapshot()};
    tlGomaxprocs(tl);
    traceRelease(tl);
  }
  worldsema.Unlock("traceAdvance: semrelease(worldsema)");

  flushAllMs(gen);
  writeUntracedStatuses(gen);
  writeStrings(gen);
  traceEndOfGeneration(gen);

  if (stopTrace) {
    trace.shutdown.Store(0, "traceAdvance: clear shutdown");
    session_ = nullptr;
    trace.nclosed = trace.nsessions;
  }
  trace.advanceSema.Unlock("traceAdvance: semrelease(traceAdvanceSema)");
}

}  // namespace schedfuzz::rt
