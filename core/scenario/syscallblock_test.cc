// entersyscallblock's two trace critical sections (docs/findings.md): the
// first writes GoSyscallBegin, which puts the P in a syscall as far as the
// trace is concerned; the second, releasep's, writes ProcStop, whose event
// writer asserts an untraced P was Running. A generation switch between the
// two makes the trace contradict itself. Present in the fixed code.
#include <string>

#include "gtest/gtest.h"

#include "core/scenario/run.h"
#include "core/scenario/text.h"
#include "core/sim/script.h"

namespace schedfuzz::scenario {
namespace {

Scenario Machine() {
  const absl::StatusOr<Scenario> sc = ParseText(R"(schedfuzz scenario v1
procs 1
ms 3
sysmon off
fds 1
program 0: work 1; syscallblock 2; work 1
g 1 runnable program 0
tracer start; advance; advance delay 50
)");
  EXPECT_TRUE(sc.ok()) << sc.status();
  return sc.value_or(Scenario{});
}

std::vector<sim::ScriptStep> Script() {
  return {
      // Goroutine 1 starts running before tracing does...
      {"M1", "user: work", 1, {"tracer"}},
      // ...and StartTrace preempts it to stop the world. When the world
      // starts again, a new M (M2) picks the goroutine up.
      {"tracer", "traceAdvance: semacquire(traceAdvanceSema)", 1, {"M1", "M2", "M3"}},
      // M2 runs goroutine 1 into entersyscallblock, through its first
      // critical section (GoSyscallBegin), to releasep's traceAcquire.
      {"M2", "entersyscallblock: casgstatus", 1, {"tracer"}},
      {"M2", "traceRelease", 1, {"tracer"}},
      {"M2", "traceAcquire: load trace.gen", 1, {"tracer"}},
      // The tracer switches generations before M2 writes ProcStop.
      {"tracer", "traceAdvance: semacquire(worldsema) (forEachP)", 1, {"M2"}},
  };
}

TEST(EntersyscallblockProcStop, ValidatorRejectsWithGoText) {
  for (const char* variant : {"fixed", "go70883"}) {
    Runner r;
    sim::ScriptChooser chooser(&r.engine(), Script());
    RunOptions opts;
    opts.variant = rt::FindVariant(variant);
    opts.oracles = oracle::OracleSet::kValidator;
    const Outcome& out = r.Run(Machine(), chooser, opts);
    EXPECT_EQ(chooser.steps_done(), Script().size()) << variant;
    ASSERT_TRUE(out.verdict.violation) << variant;
    EXPECT_EQ(out.verdict.message, "inconsistent status for proc 0: old Syscall vs. new Running");
    ASSERT_NE(out.known, nullptr);
    EXPECT_STREQ(out.known->id, "entersyscallblock-procstop");
  }
}

TEST(EntersyscallblockProcStop, NoFindingWithoutTheSwitchInBetween) {
  // M1 finishes entersyscallblock before the tracer's first advance.
  std::vector<sim::ScriptStep> steps = Script();
  steps.resize(2);
  steps.push_back({"M2", "user: in syscall", 1, {"tracer"}});
  Runner r;
  sim::ScriptChooser chooser(&r.engine(), steps);
  RunOptions opts;
  opts.oracles = oracle::OracleSet::kValidator;
  const Outcome& out = r.Run(Machine(), chooser, opts);
  EXPECT_FALSE(out.verdict.violation) << DescribeVerdict(out.verdict);
  EXPECT_FALSE(r.canaries().hit(oracle::kCanaryEntersyscallblockSplit).triggered);
}

}  // namespace
}  // namespace schedfuzz::scenario
