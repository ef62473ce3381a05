// The Go 1.27 release line: the functions whose code differs from Go 1.22's
// (line numbers: go1.27.4). There is no _Psyscall: a goroutine in a system
// call keeps its P in _Prunning, and whoever takes the P from it (sysmon's
// retake, stop-the-world, forEachP, another goroutine's exitsyscall) first
// holds the goroutine's scan bit (setBlockOnExitSyscall), which keeps the
// goroutine from leaving _Gsyscall until the P is gone. The tracer's critical
// section is a writing flag and may nest; traceAdvance asks every P for its
// status (forEachP) before it switches the generation; StartTrace writes no
// per-P status.
#ifndef SCHEDFUZZ_CORE_RUNTIME_GO127_GO127_H_
#define SCHEDFUZZ_CORE_RUNTIME_GO127_GO127_H_

#include "core/runtime/runtime.h"

namespace schedfuzz::rt {

// isWaitingForSuspendG (runtime2.go:1358): core/trace/go127/status.cc.
bool isWaitingForSuspendG(waitReason w);

class Go127 final : public Runtime {
 public:
  Go127() { injectglist_ends_with_wakep = true; }

  // proc.go: parking and yielding (core/runtime/go127/proc.cc).
  bool gopark_m(g* gp, waitReason reason, ParkCommit commit, int arg) override;
  void goschedImpl(g* gp) override;
  void goyield_m(g* gp) override;

  // proc.go: syscalls (core/runtime/go127/syscall.cc).
  void entersyscall() override;
  void reentersyscall();
  void entersyscallHandleGCWait(traceLocker tl);
  void entersyscallblock() override;
  bool exitsyscall() override;
  p* exitsyscallTryGetP(p* oldp);
  void exitsyscallNoP(g* gp);
  uint32_t retake() override;

  // syscallingThread (proc.go:6775): a goroutine held in _Gsyscall by its
  // scan bit, with the M and P it was found on.
  struct syscallingThread {
    g* gp = nullptr;
    m* mp = nullptr;
    p* pp = nullptr;
    uint32_t status = 0;
  };
  bool setBlockOnExitSyscall(p* pp, syscallingThread* out);
  void gcstopP(const syscallingThread& s);
  void takeP(const syscallingThread& s);
  void releaseP(const syscallingThread& s, uint32_t state);
  void resume(const syscallingThread& s);

  // proc.go: stop the world, forEachP (core/runtime/go127/stw.cc).
  void stopTheWorldWithSema(stwReason reason) override;
  void forEachP() override;

  // traceruntime.go (core/trace/go127/acquire.cc).
  traceLocker traceAcquireEnabled() override;
  void traceRelease(traceLocker tl) override;
  bool mTraceWriting(m* mp) override;
  // ProcSteal (traceruntime.go:531): stealing for oneself (the M's goroutine
  // is inside a syscall, g.syscallsp set) or on the runtime's behalf.
  void tlProcSteal(traceLocker tl, p* pp) {
    Runtime::tlProcSteal(tl, pp, tl.mp->curg != nullptr && tl.mp->curg->syscallsp);
  }

  // tracestatus.go (core/trace/go127/status.cc).
  tracefmt::GoStatus goStatusToTraceGoStatus(uint32_t status, waitReason wr) const override;
  void casGToWaitingForSuspendG(g* gp, uint32_t old, waitReason reason, const char* site);

  // trace.go (core/trace/go127/advance.cc).
  bool StartTrace() override;
  void traceAdvance(bool stopTrace) override;
  void traceSyncBatch(uint64_t gen);
  tracefmt::ClockSnapshot clockSnapshot();
  void appendSyncBatch(uint64_t gen, const tracefmt::ClockSnapshot& clock);
  void traceEndOfGeneration(uint64_t gen);

 private:
  // traceAdvance's sync batch for the next generation, written at the switch
  // and read after the old generation's end (gen 0: none).
  struct {
    uint64_t gen = 0;
    tracefmt::ClockSnapshot clock;
  } pending_sync_;
};

}  // namespace schedfuzz::rt

#endif  // SCHEDFUZZ_CORE_RUNTIME_GO127_GO127_H_
