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
//     entersyscallblock's running -> syscall before its GoSyscallBegin (Go
//     1.22's order) is a violation only under the condition in which it can
//     break a trace: a status snapshot recorded the goroutine as in a syscall
//     for the generation its GoSyscallBegin then went to (docs/findings.md,
//     "entersyscallblock").
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

#include <array>
#include <cstdint>
#include <span>

#include "absl/strings/str_format.h"

#include "core/oracle/canaries.h"
#include "core/oracle/known.h"
#include "core/oracle/verdict.h"
#include "core/runtime/runtime.h"

namespace schedfuzz::oracle {

// A violation attributed with certainty (known.h) to a quiet known finding
// is recorded and the run goes on, so the other oracles still judge it and a
// later, new violation is still caught; any other violation is recorded and
// ends the run.
class Discipline {
 public:
  // At most this many verdicts per run: quiet ones fill all but the last
  // slot (the rest are counted in dropped()), which stays free for the
  // violation that ends the run.
  static constexpr int kMaxVerdicts = 8;

  // Installs hooks on rt; call before Runtime::Setup's run starts. The
  // canaries (attached before) attribute violations as they happen.
  void Attach(rt::Runtime* rt, const Canaries* canaries);
  void Reset();
  std::span<const Verdict> verdicts() const { return {verdicts_.data(), size_t(nverdicts_)}; }
  // The known finding each verdict is attributed to, or null.
  const KnownFinding* known(int i) const { return known_[i]; }
  int dropped() const { return dropped_; }

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

  // Records a violation about `c` at `site`, and ends the run unless it is
  // attributed to a quiet known finding. The run ends by abandoning the
  // fiber's stack, so the message is formatted straight into the verdict:
  // nothing heap-owning may be alive on that stack.
  template <typename... Args>
  void Fire(const char* check, const Culprit& c, const char* site, uint64_t gen,
            const absl::FormatSpec<Args...>& format, const Args&... args) {
    Verdict& v = verdicts_[nverdicts_];
    v.message.clear();
    absl::StrAppendFormat(&v.message, format, args...);
    Record(check, c, site, gen);
  }
  // Fills in the verdict in the next slot and decides whether the run ends.
  void Record(const char* check, const Culprit& c, const char* site, uint64_t gen);
  Culprit Actor(const rt::m* mp, int64_t goid) const;
  bool InEntersyscallblockGap(const rt::g* gp) const;
  Window& W(rt::m* mp) { return win_[mp->id]; }
  int Touch(Window& w, rt::g* gp);
  bool TouchedByOpenWindow(const rt::g* gp) const;
  // Where a D2 check runs: when an M released the tracer (releaser set), or
  // at a generation switch. Formatted only if the check fires.
  struct When {
    const rt::m* releaser = nullptr;
    uint64_t old_gen = 0, new_gen = 0;
  };
  void CheckD2(rt::g* gp, const When& when);
  rt::g* G(int64_t goid);
  void Replay(const tracefmt::Event& ev, uint64_t gen, rt::m* mp);

  rt::Runtime* rt_ = nullptr;
  const Canaries* canaries_ = nullptr;
  std::array<Verdict, kMaxVerdicts> verdicts_;
  std::array<const KnownFinding*, kMaxVerdicts> known_ = {};
  int nverdicts_ = 0;
  int dropped_ = 0;
  Window win_[rt::kMaxM + 2];
  // entersyscallblock's gap per M: the goroutine changed to syscall with no
  // GoSyscallBegin yet, and the generation a snapshot recorded it as in a
  // syscall for (0: none yet).
  struct BlockGap {
    const rt::g* gp = nullptr;
    uint64_t snap_gen = 0;
    uint64_t step = 0;  // of the status change
  };
  BlockGap gap_[rt::kMaxM + 2];
  // T(g): the goroutine's status as the events so far say (0 = unknown).
  uint8_t tstate_[rt::kMaxG + 1] = {};
  uint64_t tgen_[rt::kMaxG + 1] = {};     // generation of the event that set tstate_
  uint64_t flushed_[rt::kMaxM + 2] = {};  // highest gen flushed per M
};

}  // namespace schedfuzz::oracle

#endif  // SCHEDFUZZ_CORE_ORACLE_DISCIPLINE_H_
