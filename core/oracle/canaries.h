// Canaries (in the manner of Magma's bug canaries): a watcher that notes
// when a run reaches the exact condition of a known runtime ordering
// problem, so a verdict can be attributed to it (known.h) and benchmarks can
// count how often each was reached and triggered. It watches the model
// through its hooks (core/runtime/hooks.h) and keeps all of its own state;
// the model's functions carry none of it.
#ifndef SCHEDFUZZ_CORE_ORACLE_CANARIES_H_
#define SCHEDFUZZ_CORE_ORACLE_CANARIES_H_

#include <array>
#include <bitset>
#include <cstdint>
#include <span>

#include "core/runtime/runtime.h"

namespace schedfuzz::oracle {

enum Canary : uint8_t {
  // go1.22.4 injectglist: the tracer was released after a GoUnblock while
  // the goroutine was still waiting (Go issue 70883). Checked at every
  // traceRelease, for every GoUnblock its critical section wrote.
  kCanaryGo70883 = 0,
  // A P-less M's injectglist (findRunnable's blocking netpoll path) took its
  // traceAcquire while tracing was off and changed a goroutine's status
  // after StartTrace turned tracing on: StartTrace's stop-the-world does not
  // stop Ms without a P. Reached when such an M's injectglist runs with a
  // locker that is not ok. sysmon's M, also P-less, is the next canary's.
  kCanaryStartTracePless = 1,
  // entersyscallblock changed a goroutine from running to syscall with
  // tracing on, before (and outside) the critical section that writes its
  // GoSyscallBegin, and a traceAdvance in that gap snapshotted the goroutine
  // as in a syscall for the very generation the GoSyscallBegin then went to:
  // that generation says "syscall" before an event that needs "running".
  // Reached at every such status change; triggered only at the
  // GoSyscallBegin that completes the contradiction.
  kCanaryEntersyscallblock = 2,
  // entersyscallblock_handoff writes GoSyscallBegin (the P goes to Syscall in
  // the trace) and then, in a second critical section, releasep's ProcStop.
  // If a generation switch falls between them and nothing traced the P's
  // status in the new generation, ProcStop's event writer asserts the P was
  // Running: the trace contradicts itself.
  kCanaryEntersyscallblockSplit = 3,
  // A straggler: an M whose traceAcquire read generation N takes the next
  // sequence number of a G or P (GoStart, GoUnblock, GoSyscallBegin,
  // ProcStart, ProcSteal) after tracing moved past N and the resource's
  // generation N+1 status was acquired, which reset the counter the
  // straggler uses (readyNextGen(N+1) clears slot N%2). The parser orders all
  // of N before N+1, so the event lands before things that happened first.
  kCanaryGenStraggler = 4,
  // exitsyscallfast took its traceAcquire while tracing was off and won the
  // CAS on its old P after StartTrace turned tracing on: the P changes hands
  // with no ProcSteal/ProcStart. StartTrace's exitingSyscall counter covers
  // only exitsyscall0, not this fast path.
  kCanaryStartTraceExitsyscallfast = 5,
  // A straggler whose generation StopTrace ended steals a P (ProcSteal) that
  // the trace shows Running in that generation: after StopTrace the P went
  // back into a syscall untraced, so the ProcSteal names no syscall M (-1)
  // and contradicts the P's last traced state.
  kCanaryStopTraceStraggler = 6,
  // sysmon's injectglist (its netpoll result) took its traceAcquire while
  // tracing was off and changed a goroutine's status after StartTrace turned
  // tracing on, sysmon not holding sched.sysmonlock (Go issue 38794: before
  // its fix sysmon took no lock StartTrace takes). Reached when sysmon's
  // injectglist changes a status without the lock and with a locker that is
  // not ok.
  kCanarySysmonNoLock = 7,
  // go1.22rc1's order (Go issue 65181): a CAS stole a P out of _Psyscall
  // while tracing was on, and the traceAcquire for its ProcSteal, which came
  // after the CAS, read another generation (0: StopTrace came between, and
  // the steal is never traced; later: the ProcSteal lands in a generation
  // after the one that saw the P in its syscall).
  kCanaryProcStealLost = 8,
  // The Go 1.22 development tree before Go issue 64318's fix: a trace
  // critical section that writes only a ProcStatus (writeProcStatusForP, from
  // traceAdvance's forEachP function) says Running for the writing M's own P
  // while that M's goroutine is in _Gsyscall, so its GoSyscallBegin is in the
  // trace (reentersyscall runs the safe-point function after it, before the P
  // goes to _Psyscall). Reached by every such section, whatever status it
  // wrote; triggered when it wrote Running.
  kCanaryProcStatusInSyscall = 9,
  // go1.22rc1, before Go issue 65196's fix: traceAdvance's status snapshot
  // names the M of a goroutine sitting in a syscall by the runtime's m.id
  // instead of the thread id (m.procid) every other event uses, so the
  // GoStatus binds the syscall to another thread. Reached by every snapshot
  // GoStatus of a goroutine in a syscall on an M; triggered when the M it
  // names is not that M's thread.
  kCanarySnapshotSyscallM = 10,
  // The Go 1.22 development tree before b6b72c77: entersyscall_gcwait took
  // its old P out of _Psyscall for a stopping world and traced ProcStop, as
  // if this M still held the P, where go1.22rc1 traces ProcSteal. Reached by
  // every ProcStop a Go 1.22 M writes from a syscall without a P (only
  // entersyscall_gcwait does); triggered when the P was lost since the M
  // put it in _Psyscall (its syscalltick moved on: a retake, a
  // stop-the-world or forEachP stole it, and another M may have brought it
  // back to _Psyscall), so the trace no longer has the P on this M.
  kCanaryGcwaitProcStop = 11,
  // injectglist without Go issue 63555's fix (go1.22.x; the Go 1.27 line's
  // variant go63555): its with-a-P path ends without wakep, so the
  // goroutines it left on its P's run queue can wait while a P that went
  // idle after its load of sched.npidle stays idle. Reached by every
  // injectglist that queued goroutines; triggered when it returns leaving one
  // of them on a run queue with a P idle, no M spinning and none woken
  // (oracle::FindStranded, the liveness invariant R1 at that moment).
  kCanaryInjectglistNoWakep = 12,
  kNumCanaries = 13,
};
const char* CanaryName(Canary c);

// Where in the model a canary saw its bad ordering: one value per place,
// stable across runs and releases. A known finding names the sites its canary
// may trigger at (SF_KNOWN_SITES in known_findings.inc), and a verdict is
// attributed to it only through a trigger at one of them.
enum class CanarySite : uint8_t {
  kNone = 0,
  kTraceReleaseStillWaiting,        // traceRelease after GoUnblock, goroutine still waiting
  kInjectglistPlessAcrossStart,     // P-less M's injectglist casgstatus, locker taken before
                                    // StartTrace
  kInjectglistSysmonNoLock,         // sysmon's injectglist casgstatus without sched.sysmonlock
  kEntersyscallblockSnapshotInGap,  // GoSyscallBegin after a same-generation snapshot said syscall
  kReleasepProcStopNextGen,     // releasep's ProcStop a generation after handoff's GoSyscallBegin
  kStragglerGoStart,            // a straggler's GoStart
  kStragglerGoUnblock,          // a straggler's GoUnblock
  kStragglerGoSyscallBegin,     // a straggler's GoSyscallBegin
  kStragglerProcStart,          // a straggler's ProcStart
  kStragglerProcSteal,          // a straggler's ProcSteal
  kExitsyscallfastAcrossStart,  // exitsyscallfast took its P back across StartTrace
  kProcStealAfterStopTrace,     // ProcSteal of a P whose syscall entry went untraced
  kProcStealAcquireOtherGen,    // go65181: ProcSteal's traceAcquire after the CAS, another gen
  kProcStatusRunningInSyscall,  // go64318: writeProcStatusForP's Running for a P whose M's
                                // goroutine is in _Gsyscall
  kSnapshotSyscallOtherM,       // go65196: a snapshot GoStatus names the wrong thread
  kGcwaitProcStopLostP,         // gcwait-procstop: entersyscall_gcwait's ProcStop for a P
                                // the M lost during its syscall
  kInjectglistLeftIdleP,        // go63555: injectglist returned, its goroutine queued, a P idle
                                // and no M spinning or woken
  kNumSites,
};
const char* CanarySiteName(CanarySite s);

// One trigger: which canary, where, about which objects (goroutine id, P id,
// M's trace thread id; 0/-1 when the moment concerns none) and when.
struct CanaryTrigger {
  Canary canary = kNumCanaries;
  CanarySite site = CanarySite::kNone;
  int64_t goid = 0;
  int64_t p = -1;
  int64_t m = -1;
  uint64_t step = 0;
};

// Every trigger of a run, in order. Bounded: triggers past kMax are counted
// in `dropped` and cannot attribute anything (a verdict they would explain
// stays new), so the log never allocates.
struct CanaryLog {
  static constexpr int kMax = 256;
  std::array<CanaryTrigger, kMax> t;
  int n = 0;
  int dropped = 0;
  std::span<const CanaryTrigger> triggers() const { return {t.data(), size_t(n)}; }
};

struct CanaryHit {
  bool reached = false;    // the code path ran with tracing in play
  bool triggered = false;  // the bad ordering happened
  int64_t goid = 0;        // first goroutine it happened to
  uint64_t step = 0;       // engine step of the first trigger
  // Every goroutine it happened to (an injectglist can hand over a whole
  // list): goids below kMaxGoidTracked, which every goroutine of a run has
  // (at most kMaxG initial ones plus kMaxGoCreates created).
  static constexpr int kMaxGoidTracked = 256;
  std::bitset<kMaxGoidTracked> goids;
  uint32_t procs = 0;  // bitmask of the Ps it happened to
  bool Involves(int64_t id) const { return id > 0 && id < kMaxGoidTracked && goids[id]; }
};
static_assert(rt::kMaxG + rt::kMaxGoCreates < CanaryHit::kMaxGoidTracked,
              "every goid fits the canary's set");

using CanaryHits = std::array<CanaryHit, kNumCanaries>;

// Counts of the tracer's timeline in a run, for tests and reports.
struct TraceCounts {
  int starts = 0;
  int advances = 0;
  int stops = 0;
};

class Canaries {
 public:
  // Installs the hooks on rt (after the report hooks, before the oracles').
  void Attach(rt::Runtime* rt);
  void Reset();
  const CanaryHit& hit(Canary c) const { return hits_[c]; }
  const CanaryHits& hits() const { return hits_; }
  const CanaryLog& log() const { return log_; }
  const TraceCounts& counts() const { return counts_; }

 private:
  static constexpr int kMaxMs = rt::kMaxM + 2;  // scheduler Ms, sysmon, the tracer
  struct PerM {
    uint64_t acquired_gen = 0;  // this M's last traceAcquire's generation (0: not ok)
    // entersyscallblock's progress: 1 after its status change (the next
    // traceAcquire is entersyscallblock_handoff's), 2 after that acquire (the
    // next is releasep's).
    uint8_t syscallblock = 0;
    uint64_t handoff_gen = 0;
    // A P stolen out of _Psyscall whose ProcSteal's traceAcquire is next
    // (variant go65181), and the generation tracing had at the steal.
    const rt::p* stolen = nullptr;
    uint64_t stolen_gen = 0;
    uint64_t stolen_step = 0;
    // entersyscallblock's gap: the goroutine whose running -> syscall change
    // has no GoSyscallBegin yet (null: none), and the generation a
    // traceAdvance snapshot recorded it as in a syscall for (0: none).
    const rt::g* block_g = nullptr;
    uint64_t block_snap_gen = 0;
    // The last event of this M's open critical section, when it is a
    // ProcStatus for the M's own P written while the M's goroutine is in
    // _Gsyscall (go64318): that P, the status written and the step.
    const rt::p* sys_procstatus_p = nullptr;
    uint64_t sys_procstatus = 0;
    uint64_t sys_procstatus_step = 0;
    // Goroutines this M's open critical section wrote GoUnblock for.
    int nunblocked = 0;
    int64_t unblocked[rt::kMaxG + 1];
    // Goroutines this M's injectglist made runnable since its last
    // kSubmitted probe.
    int ninjected = 0;
    const rt::g* injected[rt::kMaxG];
  };
  static void OnStatus(void* ctx, rt::g* gp, uint32_t old, uint32_t nw, rt::m* mp,
                       const char* site);
  static void OnEvent(void* ctx, const tracefmt::Event& ev, uint64_t gen, rt::m* mp);
  static void OnAcquire(void* ctx, rt::m* mp, uint64_t gen);
  static void OnRelease(void* ctx, rt::m* mp, uint64_t gen);
  static void OnGenSwitch(void* ctx, uint64_t old_gen, uint64_t new_gen);
  static void OnProbe(void* ctx, rt::Probe what, rt::m* mp, const rt::g* gp, const rt::p* pp,
                      uint64_t gen);
  // The one call a canary makes when its bad ordering happens: the canary,
  // the site, and the goroutine, P and M it happened to (any may be null).
  // `since`: the step at which the ordering began, when the canary can tell
  // it was bad only later (default: now).
  void Trigger(Canary c, CanarySite site, const rt::g* gp, const rt::p* pp, const rt::m* mp,
               uint64_t since = UINT64_MAX);
  void CheckStraggler(const rt::traceSchedResourceState& st, uint64_t gen, CanarySite site,
                      const rt::g* gp, const rt::p* pp, const rt::m* mp);
  const rt::g* G(int64_t goid) const;
  const rt::p* P(uint64_t id) const;

  rt::Runtime* rt_ = nullptr;
  CanaryHits hits_;
  CanaryLog log_;
  TraceCounts counts_;
  PerM m_[kMaxMs];
  uint64_t rechecking_ = 0;  // bit i: M i is in findRunnable's recheck (go63555)
};

}  // namespace schedfuzz::oracle

#endif  // SCHEDFUZZ_CORE_ORACLE_CANARIES_H_
