// The trace-acquire discipline oracle (docs/model.md, docs/findings.md). It
// watches the model through rt::ModelHooks and fires at the moment the
// runtime breaks the rule the tracer relies on, without waiting for the two
// generation switches Go's parser needs to notice:
//
// D1  While tracing is on, a goroutine status change that makes a new
//     snapshot-able traced status visible (Runnable, Waiting, Syscall) is
//     made by an M inside a traceAcquire..traceRelease window, and that same
//     window writes the event describing it (GoUnblock, GoBlock, GoStop,
//     GoSyscallBegin, GoSyscallEndBlocked, GoCreate). Exempt: a change out of
//     running (which no snapshot can record) into the status the trace
//     already gives the goroutine, or for a goroutine the trace has not
//     described yet in this session; nothing can contradict it (Go 1.27's
//     P-less goroutines entering a syscall across StartTrace do this).
// D2  When a window closes, at every generation switch and at the end of a
//     session, every goroutine the trace knows, whose status can be
//     snapshotted and that no open window is about to describe, has the
//     status the events so far say it has.
// D3  (Go 1.27, whose trace.go states it as invariant 5) An M never acquires a
//     P (pidleget, syscallingThread.takeP/gcstopP) inside a trace critical
//     section: a section held across the acquisition can write the P's
//     ProcStart to a generation before the ProcStop that freed it. Go 1.22's
//     design does the opposite on purpose (exitsyscallfast takes traceAcquire
//     before its CAS on _Psyscall), so D3 is not checked there.
// G1  traceAdvance never flushes an M's generation-N buffer while that M is
//     inside a gen-N window, and no event is written to a generation an M's
//     buffer was already flushed for.
#ifndef SCHEDFUZZ_CORE_ORACLE_DISCIPLINE_H_
#define SCHEDFUZZ_CORE_ORACLE_DISCIPLINE_H_

#include <cstdint>

#include "absl/strings/str_format.h"

#include "core/oracle/verdict.h"
#include "core/runtime/runtime.h"

namespace schedfuzz::oracle {

class Discipline {
 public:
  // Installs hooks on rt; call before Runtime::Setup's run starts.
  void Attach(rt::Runtime* rt);
  void Reset();
  const Verdict& verdict() const { return verdict_; }

 private:
  static constexpr int kNone = 0xff;
  // One window can touch every goroutine (injectglist readies a whole list in
  // one critical section), plus the tracer's goroutine.
  static constexpr int kWindowCap = rt::kMaxG + 1;
  struct Window {
    bool open = false;
    uint64_t gen = 0;
    int n = 0;
    rt::g* gp[kWindowCap];      // goroutines it touched (by identity: a new goroutine gets its id
                                // inside the window)
    uint8_t need[kWindowCap];   // expected event type (EvType) for a status change, or kNone
    bool changed[kWindowCap];   // the window changed this goroutine's status
    uint64_t seen[kWindowCap];  // bitmask of event types written for it
    uint16_t from[kWindowCap], to[kWindowCap];
    const char* site[kWindowCap];
  };
  static void OnStatus(void* ctx, rt::g* gp, uint32_t old, uint32_t nw, rt::m* mp,
                       const char* site);
  static void OnEvent(void* ctx, const tracefmt::Event& ev, uint64_t gen, rt::m* mp);
  static void OnAcquire(void* ctx, rt::m* mp, uint64_t gen);
  static void OnRelease(void* ctx, rt::m* mp, uint64_t gen);
  static void OnGenSwitch(void* ctx, uint64_t old_gen, uint64_t new_gen);
  static void OnFlush(void* ctx, rt::m* mp, uint64_t gen);
  static void OnProbe(void* ctx, rt::Probe what, rt::m* mp, const rt::g* gp, const rt::p* pp,
                      uint64_t gen);

  // Records the first violation and ends the run. The run ends by abandoning
  // the fiber's stack, so the message is formatted straight into the verdict:
  // nothing heap-owning may be alive on that stack.
  template <typename... Args>
  void Fire(const char* check, int64_t goid, uint64_t gen, const absl::FormatSpec<Args...>& format,
            const Args&... args) {
    if (!verdict_.violation) {
      verdict_.message.clear();
      absl::StrAppendFormat(&verdict_.message, format, args...);
      Record(check, goid, gen);
    }
    rt_->engine->Abort();
  }
  void Record(const char* check, int64_t goid, uint64_t gen);
  Window& W(rt::m* mp) { return win_[mp->id]; }
  int Touch(Window& w, rt::g* gp);
  bool TouchedByOpenWindow(const rt::g* gp) const;
  // Where a D2 check runs: when an M released the tracer (releaser set), or
  // at a generation switch. Formatted only if the check fires.
  struct When {
    const char* releaser = nullptr;
    uint64_t old_gen = 0, new_gen = 0;
  };
  void CheckD2(rt::g* gp, const When& when);
  rt::g* G(int64_t goid);
  void Replay(const tracefmt::Event& ev, uint64_t gen, rt::m* mp);

  rt::Runtime* rt_ = nullptr;
  Verdict verdict_;
  Window win_[rt::kMaxM + 2];
  // T(g): the goroutine's status as the events so far say (0 = unknown).
  uint8_t tstate_[rt::kMaxG + 1] = {};
  uint64_t tgen_[rt::kMaxG + 1] = {};     // generation of the event that set tstate_
  uint64_t flushed_[rt::kMaxM + 2] = {};  // highest gen flushed per M
};

}  // namespace schedfuzz::oracle

#endif  // SCHEDFUZZ_CORE_ORACLE_DISCIPLINE_H_
