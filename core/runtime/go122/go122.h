// The Go 1.22 release line: the functions whose code differs from Go 1.27's
// (line numbers: go1.22.4). The P of a goroutine in a system call goes to
// _Psyscall without an M, and whoever wins a CAS out of _Psyscall owns it
// (sysmon's retake, stop-the-world, forEachP, or the goroutine itself in
// exitsyscallfast). The tracer's per-M critical section is a seqlock, not
// reentrant, and traceAdvance switches the generation before forEachP asks
// every P for its status.
#ifndef SCHEDFUZZ_CORE_RUNTIME_GO122_GO122_H_
#define SCHEDFUZZ_CORE_RUNTIME_GO122_GO122_H_

#include "core/runtime/runtime.h"

namespace schedfuzz::rt {

class Go122 final : public Runtime {
 public:
  // proc.go: parking and yielding (core/runtime/go122/proc.cc).
  bool gopark_m(g* gp, waitReason reason, ParkCommit commit, int arg) override;
  void goschedImpl(g* gp) override;
  void goyield_m(g* gp) override;

  // proc.go: syscalls (core/runtime/go122/syscall.cc).
  void entersyscall() override;
  void reentersyscall();
  void entersyscallblock() override;
  bool exitsyscall() override;
  bool exitsyscallfast(p* oldp);
  bool exitsyscallfast_pidle();
  void exitsyscall0(g* gp);
  uint32_t retake() override;

  // proc.go: stop the world, forEachP (core/runtime/go122/stw.cc).
  void stopTheWorldWithSema(stwReason reason) override;
  void forEachP() override;

  // trace2runtime.go (core/trace/go122/acquire.cc).
  traceLocker traceAcquireEnabled() override;
  void traceRelease(traceLocker tl) override;
  bool mTraceWriting(m* mp) override;

  // trace2status.go (core/trace/go122/status.cc).
  tracefmt::GoStatus goStatusToTraceGoStatus(uint32_t status, waitReason wr) const override;

  // trace2.go (core/trace/go122/advance.cc).
  bool StartTrace() override;
  void traceAdvance(bool stopTrace) override;
};

}  // namespace schedfuzz::rt

#endif  // SCHEDFUZZ_CORE_RUNTIME_GO122_GO122_H_
