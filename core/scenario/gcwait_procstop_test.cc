// The finding gcwait-procstop (docs/findings.md): before b6b72c77, Go 1.22's
// entersyscall_gcwait traced ProcStop for the P it took out of _Psyscall for
// a stopping world. Scripted here: M1's goroutine enters a syscall and M1
// stops right after storing _Psyscall; the collector's first stop-the-world
// steals the P (ProcSteal), the world starts again and M3 runs another
// goroutine on that P; the collector's second stop-the-world finds the P
// running and waits; M3's goroutine enters a syscall (the P is in _Psyscall
// again, now M3's) and M1, resuming, wins the CAS in entersyscall_gcwait.
#include <string>

#include "gtest/gtest.h"

#include "core/scenario/run.h"
#include "core/scenario/text.h"
#include "core/sim/script.h"

namespace schedfuzz::scenario {
namespace {

Scenario Machine() {
  const absl::StatusOr<Scenario> sc = ParseText(R"(schedfuzz scenario v1
procs 2
ms 4
sysmon off
fds 1
program 0: syscall 1
program 1: gc
program 2: work 1; syscall 1
g 1 runnable program 0
g 2 runnable program 1
g 3 runnable program 2
tracer start delay 0
)");
  EXPECT_TRUE(sc.ok()) << sc.status();
  return sc.value_or(Scenario{});
}

// M3 runs goroutine 1 into its syscall, M1 runs the collector (goroutine
// 2), M4 is the M startTheWorld starts for P0 and runs goroutine 3.
std::vector<sim::ScriptStep> Script() {
  return {
      // Tracing on first.
      {"tracer", "StartTrace: semrelease(traceAdvanceSema)", 1, {"M1", "M2", "M3", "M4"}},
      {"M1", "gcStart: semacquire(gcsema)", 1, {"tracer"}},
      // M3 stores _Psyscall for P0 and stops before it reads gcwaiting.
      {"M3", "reentersyscall: load gcwaiting", 1, {"tracer", "M1"}},
      // Sweep termination steals P0 (ProcSteal from M3); the world starts.
      {"M1", "gcMarkDone: semacquire(worldsema)", 1, {"M3", "M4", "tracer"}},
      // M4 gets P0 and runs goroutine 3 up to its store of _Psyscall.
      {"M4", "reentersyscall: store Psyscall", 1, {"M1", "M3", "tracer"}},
      // Mark termination finds P0 running and waits.
      {"M1", "stopTheWorld: notetsleep(stopnote)", 1, {"M3", "M4", "tracer"}},
      // P0 is in _Psyscall again, M4's now; M4 sees gcwaiting.
      {"M4", "entersyscall_gcwait: lock sched", 1, {"M3", "tracer"}},
      // M3 resumes, sees gcwaiting and wins the CAS.
      {"M3", "entersyscall_gcwait: unlock sched", 1, {"M4", "tracer"}},
  };
}

TEST(GcwaitProcStop, ProcStopForAStolenPBreaksTheTrace) {
  Runner r;
  sim::ScriptChooser chooser(&r.engine(), Script());
  RunOptions opts;
  opts.variant = rt::FindVariant("gcwait-procstop");
  opts.oracles = oracle::OracleSet::kValidator;
  const Outcome& out = r.Run(Machine(), chooser, opts);
  EXPECT_EQ(chooser.steps_done(), Script().size());
  ASSERT_TRUE(out.verdict.violation);
  EXPECT_EQ(out.verdict.message, "event ProcStop for proc (-1) that doesn't exist");
  ASSERT_NE(out.known, nullptr);
  EXPECT_STREQ(out.known->id, "gcwait-procstop");
  EXPECT_TRUE(r.canaries().hit(oracle::kCanaryGcwaitProcStop).triggered);
}

TEST(GcwaitProcStop, FixedStealsTheP) {
  // go1.22rc1 and later: the same interleaving traces ProcSteal(P0) from M4's
  // syscall, and the trace is valid.
  for (const char* variant : {"fixed", "go70883"}) {
    Runner r;
    sim::ScriptChooser chooser(&r.engine(), Script());
    RunOptions opts;
    opts.variant = rt::FindVariant(variant);
    const Outcome& out = r.Run(Machine(), chooser, opts);
    EXPECT_EQ(chooser.steps_done(), Script().size()) << variant;
    EXPECT_FALSE(out.verdict.violation) << variant << ": " << DescribeVerdict(out.verdict);
    EXPECT_FALSE(r.canaries().hit(oracle::kCanaryGcwaitProcStop).reached) << variant;
  }
}

TEST(GcwaitProcStop, ProcStopForItsOwnPIsValid) {
  // The variant's ProcStop is right when the P stayed the M's: M3's
  // goroutine enters its syscall after sweep termination's loop found P0
  // running, so M3 takes its own P to the stopping world.
  const std::vector<sim::ScriptStep> steps = {
      {"tracer", "StartTrace: semrelease(traceAdvanceSema)", 1, {"M1", "M2", "M3", "M4"}},
      {"M1", "gcStart: semacquire(gcsema)", 1, {"tracer"}},
      {"M3", "reentersyscall: store Psyscall", 1, {"tracer", "M1"}},
      {"M1", "stopTheWorld: notetsleep(stopnote)", 1, {"M3", "tracer"}},
      {"M3", "entersyscall_gcwait: unlock sched", 1, {"tracer"}},
  };
  Runner r;
  sim::ScriptChooser chooser(&r.engine(), steps);
  RunOptions opts;
  opts.variant = rt::FindVariant("gcwait-procstop");
  const Outcome& out = r.Run(Machine(), chooser, opts);
  EXPECT_EQ(chooser.steps_done(), steps.size());
  EXPECT_FALSE(out.verdict.violation) << DescribeVerdict(out.verdict);
  EXPECT_TRUE(r.canaries().hit(oracle::kCanaryGcwaitProcStop).reached);
  EXPECT_FALSE(r.canaries().hit(oracle::kCanaryGcwaitProcStop).triggered);
}

}  // namespace
}  // namespace schedfuzz::scenario
