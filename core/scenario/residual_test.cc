// A finding of the model on the fixed code (docs/findings.md): a P-less M in
// findRunnable's blocking netpoll wakes during StartTrace's stop-the-world,
// finds no idle P, and calls injectglist. Its traceAcquire sees tracing off;
// StartTrace then turns tracing on (stop-the-world does not wait for Ms
// without a P); the M changes the goroutine's status with no event, after
// the first generation's snapshot recorded it as waiting. When the goroutine
// next runs, its GoStatus says runnable: Go's parser rejects the trace.
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
ms 2
sysmon off
fds 1
program 0: work 2
g 1 parked fd 0 program 0
batch fds 0 via findrunnable-block delay 0
tracer start; advance; advance delay 200; advance
)");
  EXPECT_TRUE(sc.ok()) << sc.status();
  return sc.value_or(Scenario{});
}

std::vector<sim::ScriptStep> Script() {
  return {
      // M1 has nothing to run: it gives up its P and sleeps in netpoll.
      {"M1", "netpoll: epoll_wait(block)", 1, {"tracer", "poller"}},
      // StartTrace stops the world: the idle P is taken.
      {"tracer", "StartTrace: lock sysmonlock", 1, {"poller"}},
      // The descriptor becomes ready; M1 wakes, finds no idle P and enters
      // injectglist with tracing still off, up to its status change.
      {"poller", "", 1, {}},
      {"M1", "injectglist: casgstatus", 1, {"tracer"}},
      // Tracing starts; the first generation ends with a snapshot that reads
      // goroutine 1 as waiting.
      {"tracer", "tracer: wait", 1, {"M1"}},
      // Now M1 makes goroutine 1 runnable (no event) and M2 runs it.
      {"M1", "stopm: notesleep(m.park)", 1, {"tracer"}},
      {"M2", "user: work", 1, {"tracer"}},
  };
}

TEST(StartTracePlessInjectglist, ValidatorRejectsWithGoText) {
  for (const char* variant : {"fixed", "go70883"}) {
    Runner r;
    sim::ScriptChooser chooser(&r.engine(), Script());
    RunOptions opts;
    opts.variant = rt::FindVariant(variant);
    opts.oracles = oracle::OracleSet::kValidator;
    const Outcome& out = r.Run(Machine(), chooser, opts);
    EXPECT_EQ(chooser.steps_done(), Script().size()) << variant;
    ASSERT_TRUE(out.verdict.violation) << variant;
    EXPECT_EQ(out.verdict.message,
              "inconsistent status for goroutine 1: old Waiting vs. new Runnable");
    ASSERT_NE(out.known, nullptr);
    EXPECT_STREQ(out.known->id, "starttrace-pless-injectglist");
    EXPECT_TRUE(out.known->quiet);
  }
}

TEST(StartTracePlessInjectglist, DisciplineNamesTheCause) {
  Runner r;
  sim::ScriptChooser chooser(&r.engine(), Script());
  const Outcome& out = r.Run(Machine(), chooser, RunOptions{});
  ASSERT_TRUE(out.verdict.violation);
  EXPECT_EQ(out.verdict.check, "D1");
  EXPECT_NE(out.verdict.message.find(
                "\"injectglist: casgstatus\" on M1 outside any trace critical section"),
            std::string::npos)
      << out.verdict.message;
}

TEST(StartTracePlessInjectglist, NoFindingWhenTheStatusChangesBeforeTracingStarts) {
  // The same machine, but M1 finishes injectglist before StartTrace sets the
  // generation: nothing to report.
  std::vector<sim::ScriptStep> steps = Script();
  steps.resize(4);
  steps.push_back({"M1", "stopm: notesleep(m.park)", 1, {"tracer"}});
  Runner r;
  sim::ScriptChooser chooser(&r.engine(), steps);
  const Outcome& out = r.Run(Machine(), chooser, RunOptions{});
  EXPECT_FALSE(out.verdict.violation) << DescribeVerdict(out.verdict);
  EXPECT_TRUE(r.canaries().hit(oracle::kCanaryStartTracePless).reached);
  EXPECT_FALSE(r.canaries().hit(oracle::kCanaryStartTracePless).triggered);
}

}  // namespace
}  // namespace schedfuzz::scenario
