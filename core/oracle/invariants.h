// Scheduler invariants, checked on the model's state when a run ends without
// being cut short: every goroutine is in exactly one place that fits its
// status (a run queue for a runnable one, a wait queue or a descriptor for a
// waiting one, nowhere for a dead one), no runnable goroutine is left while
// every M sleeps, run queues hold what their counters say, and each P's
// status agrees with its M and the idle list.
//
// And one checked during the run, the liveness of submitted work (R1): when
// a submitter (ready, newproc, injectglist) has queued goroutines and done
// its part of Go's parking protocol (proc.go, "Worker thread
// parking/unparking": submit the work, then check sched.nmspinning and wake
// an M if a P is idle and none spins), each goroutine it queued that still
// waits on a run queue has a thread coming for it: no P is idle, or an M
// spins (nmspinning > 0), or the world is stopping (gcwaiting: starting it
// hands every P with work an M, and ends with wakep), or some other
// scheduler M will look at the run queues before it sleeps: one handed a P
// it has not started on yet (startm's m.nextp), one holding a P between
// goroutines (schedule/findRunnable, resetspinning's wakep; it may be a
// non-spinning M about to drop its P without a recheck, so this can only
// hide a violation), or one in findRunnable's recheck after it dropped its P
// and nmspinning (Probe::kSpinningRecheck). An M past that recheck (on its
// way to stopm, in a blocking netpoll), in a syscall or in exitsyscall0 does
// not count. The submitter itself does not count either: it goes on running
// its goroutine (ready, newproc) or the one findRunnable's netpoll returned
// (injectglist).
#ifndef SCHEDFUZZ_CORE_ORACLE_INVARIANTS_H_
#define SCHEDFUZZ_CORE_ORACLE_INVARIANTS_H_

#include <span>
#include <string>

#include "core/oracle/verdict.h"
#include "core/runtime/runtime.h"
#include "core/sim/engine.h"

namespace schedfuzz::oracle {

// "" if the invariants hold (or the run was cut short: a deadlock, the step
// budget), else the first one broken, in words.
std::string CheckSchedulerInvariants(const rt::Runtime& r, sim::RunStatus status);

// R1's subject: a goroutine a submission queued that waits with no thread
// coming for it.
struct Stranded {
  const rt::g* gp = nullptr;
  const rt::p* on = nullptr;    // the P whose run queue holds it; null: the global queue
  const rt::p* idle = nullptr;  // a P that is idle meanwhile
};
// R1 at the end of a submission by `submitter` that queued `queued`: true
// (and *out filled) if one of them is stranded. Reads the model's state
// without scheduling points or allocation.
// `rechecking`: bit i set while M i is in findRunnable's recheck.
bool FindStranded(const rt::Runtime& r, const rt::m* submitter,
                  std::span<const rt::g* const> queued, uint64_t rechecking, Stranded* out);
// The invariant's message for s; `by` names the submitter ("injectglist").
// Its digits masked, it is the go63555 known finding's predicted first error
// (known_findings.inc) when s.on is a P.
std::string DescribeStranded(const Stranded& s, const char* by);

// R1 during a run: watches the model through its hooks (after the canaries)
// and keeps the first violation; the run goes on (the other oracles still
// judge it).
class LivenessWatch {
 public:
  void Attach(rt::Runtime* r);
  void Reset();
  // The first violation (violation == false if none); culprit: the
  // stranded goroutine, the P that holds it, the submitter's M.
  const Verdict& verdict() const { return v_; }

 private:
  static void OnStatus(void* ctx, rt::g* gp, uint32_t old, uint32_t nw, rt::m* mp,
                       const char* site);
  static void OnProbe(void* ctx, rt::Probe what, rt::m* mp, const rt::g* gp, const rt::p* pp,
                      uint64_t gen);
  static constexpr int kMaxMs = rt::kMaxM + 2;
  // The goroutines each M's injectglist made runnable since its last
  // kSubmitted probe.
  struct PerM {
    int n = 0;
    const rt::g* queued[rt::kMaxG];
  };
  rt::Runtime* rt_ = nullptr;
  PerM m_[kMaxMs];
  uint64_t rechecking_ = 0;  // bit i: M i is in findRunnable's recheck
  Verdict v_;
};

}  // namespace schedfuzz::oracle

#endif  // SCHEDFUZZ_CORE_ORACLE_INVARIANTS_H_
