// Go 1.22 StartTrace and traceAdvance (trace2.go), run by the tracer's own M.
// StartTrace writes a status for every P; traceAdvance switches the
// generation first and asks every P for its status (forEachP) afterwards.
#include "core/runtime/go122/go122.h"

namespace schedfuzz::rt {

using tracefmt::EvType;

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
bool Go122::StartTrace() {
  if (traceEnabled("StartTrace: traceEnabled") ||
      trace.shutdown.Load("StartTrace: traceShuttingDown") != 0)
    return false;  // "tracing is already enabled"
  trace.advanceSema.Lock("StartTrace: semacquire(traceAdvanceSema)");
  const uint64_t firstGen = traceNextGen(trace.lastNonZeroGen);
  openSession();
  worldsema.Lock("stopTheWorld: semacquire(worldsema)");
  stopTheWorldWithSema(stwReason::stwStartTrace);
  sched.sysmonlock.Lock("StartTrace: lock sysmonlock");
  for (int i = 0; i < gomaxprocs; i++) allp[i].trace.mSyscallID = -1;
  trace.gen.Store(firstGen, "StartTrace: store trace.gen");
  hooks.on_gen_switch(uint64_t{0}, firstGen);
  while (trace.exitingSyscall.Load("StartTrace: load exitingSyscall") != 0)
    sim::SpinWait("StartTrace: osyield");
  traceLocker tl = traceAcquire();
  tlGomaxprocs(tl);
  tlSTWStart(tl, stwReason::stwStartTrace);
  for (int i = 0; i < gomaxprocs; i++) writeProcStatusForP(tl, &allp[i], false);
  traceRelease(tl);
  sched.sysmonlock.Unlock("StartTrace: unlock sysmonlock");
  startTheWorldWithSema();
  worldsema.Unlock("startTheWorld: semrelease(worldsema)");
  trace.advanceSema.Unlock("StartTrace: semrelease(traceAdvanceSema)");
  return true;
}

// traceAdvance (trace2.go:276).
void Go122::traceAdvance(bool stopTrace) {
  trace.advanceSema.Lock("traceAdvance: semacquire(traceAdvanceSema)");
  const uint64_t gen = trace.gen.Load("traceAdvance: load trace.gen");
  if (gen == 0) {
    trace.advanceSema.Unlock("traceAdvance: semrelease(traceAdvanceSema)");
    return;
  }
  writeFrequency(gen);

  snapshotUntracedGs(gen);

  // The generation switch.
  worldsema.Lock("traceAdvance: semacquire(worldsema)");
  switchGeneration(gen, stopTrace);
  if (!stopTrace) {
    traceLocker tl = traceAcquire();
    tlGomaxprocs(tl);
    traceRelease(tl);
  }
  worldsema.Unlock("traceAdvance: semrelease(worldsema)");

  flushAllMs(gen);
  writeUntracedStatuses(gen);
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

}  // namespace schedfuzz::rt
