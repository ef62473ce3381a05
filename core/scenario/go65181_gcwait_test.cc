// Go issue 65181 at its third site: go1.22rc1 and go1.22rc2 took a P out of
// _Psyscall by CAS before their traceAcquire in exitsyscallfast, retake and
// entersyscall_gcwait; go1.22.0 moved the traceAcquire before the CAS at all
// three. The variant go65181 switches every site; here the gcwait one, which
// runs traced only while the collector stops the world: under go65181 the
// steal's probe (kSyscallPStolenBeforeAcquire, which the go65181 canary
// watches) fires there, with the M outside any trace critical section at
// the CAS; under fixed the M is inside one and the probe never fires.
#include <vector>

#include "gtest/gtest.h"

#include "core/scenario/run.h"
#include "core/scenario/text.h"
#include "core/sim/chooser.h"

namespace schedfuzz::scenario {
namespace {

Scenario Machine() {
  const absl::StatusOr<Scenario> sc = ParseText(R"(schedfuzz scenario v1
procs 2
ms 4
sysmon off
fds 1
program 0: syscall 1; syscall 1
program 1: gc
program 2: work 1; syscall 1
g 1 runnable program 0
g 2 runnable program 1
g 3 runnable program 2
tracer start delay 0; advance delay 1; stop delay 2
)");
  EXPECT_TRUE(sc.ok()) << sc.status();
  return sc.value_or(Scenario{});
}

struct Watch {
  int gcwait_probes = 0;  // kSyscallPStolenBeforeAcquire for a P it took to _Pgcstop
  int other_probes = 0;   // the same probe at the other two sites
  int in_section = 0;     // of the gcwait ones: the M was inside a critical section
  static void OnProbe(void* ctx, rt::Probe what, rt::m* mp, const rt::g*, const rt::p* pp,
                      uint64_t) {
    auto* w = static_cast<Watch*>(ctx);
    if (what != rt::Probe::kSyscallPStolenBeforeAcquire) return;
    if (pp->status.Raw() != rt::_Pgcstop) {
      ++w->other_probes;
      return;
    }
    ++w->gcwait_probes;
    if (mp->trace.seqlock.Raw() % 2 == 1) ++w->in_section;
  }
};

Watch Explore(const char* variant, int runs) {
  Runner r;
  Watch w;
  RunOptions opts;
  opts.variant = rt::FindVariant(variant);
  opts.oracles = oracle::OracleSet::kValidator;
  opts.observer_hooks.ctx = &w;
  opts.observer_hooks.on_probe = &Watch::OnProbe;
  const Scenario sc = Machine();
  for (int seed = 1; seed <= runs; ++seed) {
    sim::RandomChooser chooser(static_cast<uint64_t>(seed));
    r.Run(sc, chooser, opts);
  }
  return w;
}

TEST(Go65181Gcwait, TheVariantStealsForTheStoppingWorldBeforeItsTraceAcquire) {
  const Watch w = Explore("go65181", 3000);
  EXPECT_GT(w.gcwait_probes, 0);
  EXPECT_EQ(w.in_section, 0);
}

TEST(Go65181Gcwait, FixedAcquiresFirst) {
  for (const char* variant : {"fixed", "gcwait-procstop"}) {
    const Watch w = Explore(variant, 3000);
    EXPECT_EQ(w.gcwait_probes, 0) << variant;
    EXPECT_EQ(w.other_probes, 0) << variant;
  }
}

}  // namespace
}  // namespace schedfuzz::scenario
