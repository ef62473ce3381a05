// stoptrace-straggler (docs/findings.md), as a story. M2's goroutine is in a
// syscall when sysmon retakes its P; M3 takes the P over and does a traced
// syscall round trip on it, whose GoSysExit forgets the P's syscall M. M2's
// syscall returns: exitsyscallfast takes traceAcquire (generation 1) and M2
// stalls before its CAS on the old P. StopTrace ends generation 1 and waits
// for M2 in its flush loop, but stops nobody else: M3 enters a second syscall
// untraced, putting the P back in _Psyscall. M2 wins the CAS and writes
// ProcSteal(m=-1) and ProcStart into generation 1, where the P's last word
// is Running on M3. Present in the fixed code.
#include <string>
#include <vector>

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
sysmon on rounds 8
fds 1
program 0: syscall 30
program 1: syscall 2; gosched; syscall 2
g 1 runnable program 0
g 2 runnable program 1
tracer start; stop
)");
  EXPECT_TRUE(sc.ok()) << sc.status();
  return sc.value_or(Scenario{});
}

const std::vector<std::string> kAll = {"M1", "M2", "M3", "sysmon", "tracer"};

std::vector<std::string> Others(const std::string& who) {
  std::vector<std::string> v;
  for (const std::string& t : kAll)
    if (t != who) v.push_back(t);
  return v;
}

std::vector<sim::ScriptStep> Script() {
  return {
      // Tracing starts. Its stop-the-world sends M1 to sleep, and M2 is
      // started for the P when the world restarts; M1 stays asleep.
      {"tracer", "StartTrace: semrelease(traceAdvanceSema)", 1, Others("tracer")},
      // M2 runs goroutine 1 into its syscall.
      {"M2", "user: in syscall", 1, Others("M2")},
      // sysmon retakes the P (ProcSteal m=M2) and hands it to a new M, M3.
      {"sysmon", "retake: syscalltick++", 1, Others("sysmon")},
      {"sysmon", "sysmon: usleep(delay)", 1, Others("sysmon")},
      // M3 runs goroutine 2 through a traced syscall round trip (GoSysExit
      // clears the P's syscall M) and a Gosched, and stops before running it
      // again.
      {"M3", "goschedImpl: casgstatus", 1, Others("M3")},
      {"M3", "execute: casgstatus", 1, Others("M3")},
      // M2's syscall returns: a generation-1 locker, then a stall before the
      // CAS on its old P.
      {"M2", "exitsyscallfast: load oldp status", 1, Others("M2")},
      // StopTrace: tracing off; the flush loop waits for M2.
      {"tracer", "traceAdvance: osyield (M in trace critical section)", 1, Others("tracer")},
      // M3 enters the second syscall with tracing off: the P is _Psyscall
      // again and no trace event says so.
      {"M3", "user: in syscall", 1, Others("M3")},
      // M2 wins the CAS and writes ProcSteal + ProcStart into generation 1.
      {"M2", "traceRelease", 1, Others("M2")},
  };
}

TEST(StopTraceStraggler, ValidatorRejectsWithGoText) {
  for (const char* variant : {"fixed", "go70883"}) {
    Runner r;
    sim::ScriptChooser chooser(&r.engine(), Script());
    RunOptions opts;
    opts.variant = rt::FindVariant(variant);
    opts.oracles = oracle::OracleSet::kValidator;
    const Outcome& out = r.Run(Machine(), chooser, opts);
    EXPECT_EQ(chooser.steps_done(), Script().size()) << variant;
    ASSERT_TRUE(out.verdict.violation) << variant;
    EXPECT_EQ(out.verdict.message.rfind("broken trace: failed to advance: frontier:", 0), 0u)
        << out.verdict.message;
    EXPECT_NE(out.verdict.message.find("ProcSteal"), std::string::npos) << out.verdict.message;
    ASSERT_NE(out.known, nullptr);
    EXPECT_STREQ(out.known->id, "stoptrace-straggler");
  }
}

TEST(StopTraceStraggler, NoFindingWhenTheStragglerResumesBeforeStopTrace) {
  // M2 resumes while M3 still runs on the P: its CAS fails, it hands its
  // goroutine to the scheduler (exitsyscall0), and StopTrace finds nobody
  // in a critical section.
  std::vector<sim::ScriptStep> steps = Script();
  steps.resize(7);
  steps.push_back({"M2", "stopm: notesleep(m.park)", 1, Others("M2")});
  Runner r;
  sim::ScriptChooser chooser(&r.engine(), steps);
  RunOptions opts;
  opts.oracles = oracle::OracleSet::kValidator;
  const Outcome& out = r.Run(Machine(), chooser, opts);
  EXPECT_EQ(chooser.steps_done(), steps.size());
  EXPECT_FALSE(out.verdict.violation) << DescribeVerdict(out.verdict);
  EXPECT_FALSE(r.canaries().hit(oracle::kCanaryStopTraceStraggler).triggered);
}

}  // namespace
}  // namespace schedfuzz::scenario
