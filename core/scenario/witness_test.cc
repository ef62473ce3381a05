// The go70883 interleaving (docs/findings.md) as a test story:
// a scripted schedule stated the way a person would describe it, run on the
// pre-fix and the fixed injectglist.
#include <string>

#include "gtest/gtest.h"

#include "core/scenario/run.h"
#include "core/scenario/text.h"
#include "core/sim/script.h"
#include "core/tracefmt/trace.h"
#include "core/tracefmt/wire.h"

namespace schedfuzz::scenario {
namespace {

using tracefmt::EvType;

// One P kept busy by goroutine 3, goroutines 1 and 2 parked on descriptors,
// one poll batch readying both that only sysmon's netpoll takes, and a tracer
// that starts and advances once (then stops: the StopTrace form), or twice.
Scenario Machine(const char* tracer) {
  const std::string text = std::string(R"(schedfuzz scenario v1
procs 1
ms 2
sysmon on rounds 2
fds 2
program 0: work 1
program 1: work 8
g 1 parked fd 0 program 0
g 2 parked fd 1 program 0
g 3 runnable program 1
batch fds 0 1 via sysmon delay 0
)") + tracer + "\n";
  const absl::StatusOr<Scenario> sc = ParseText(text);
  EXPECT_TRUE(sc.ok()) << sc.status();
  return sc.value_or(Scenario{});
}

// Start tracing; let the kernel ready both descriptors; run sysmon until it
// is about to change the first goroutine's status in injectglist; then run
// the tracer to the end (its advances and the final StopTrace) with sysmon
// held back; then let everything finish.
std::vector<sim::ScriptStep> Witness() {
  return {
      {"tracer", "traceAdvance: semacquire(traceAdvanceSema)", 1, {"sysmon"}},
      {"poller", "", 1, {"sysmon"}},
      {"sysmon", "injectglist: casgstatus", 1, {}},
      {"tracer", "", 1, {"sysmon"}},
  };
}

struct Found {
  uint64_t unblock_gen = 0;       // generation of the GoUnblock for goroutine 1
  uint64_t late_waiting_gen = 0;  // a later M-less GoStatus(1, Waiting)
};

Found Look(const tracefmt::Trace& t) {
  Found f;
  for (const tracefmt::Batch& b : t) {
    for (const tracefmt::Event& e : b.events) {
      if (e.type == EvType::kGoUnblock && e.args[0] == 1 && f.unblock_gen == 0)
        f.unblock_gen = b.gen;
      if (e.type == EvType::kGoStatus && e.args[0] == 1 && b.m == tracefmt::kNoThread &&
          e.args[2] == static_cast<uint64_t>(tracefmt::GoStatus::kWaiting) && f.unblock_gen != 0 &&
          b.gen > f.unblock_gen && f.late_waiting_gen == 0)
        f.late_waiting_gen = b.gen;
    }
  }
  return f;
}

struct Result {
  Outcome out;
  std::string wire;
  size_t script_steps = 0;
};

Result RunWitness(const Scenario& sc, const char* variant, oracle::OracleSet oracles) {
  Runner r;
  sim::ScriptChooser chooser(&r.engine(), Witness());
  RunOptions opts;
  opts.variant = rt::FindVariant(variant);
  opts.oracles = oracles;
  Result res;
  res.out = r.Run(sc, chooser, opts);
  res.script_steps = chooser.steps_done();
  for (const tracefmt::Trace& t : r.traces()) res.wire += tracefmt::WriteWire(t);
  if (!r.traces().empty()) {
    const Found f = Look(r.traces()[0]);
    res.out.events = f.unblock_gen * 1000 + f.late_waiting_gen;  // packed for the tests below
  }
  return res;
}

TEST(Go70883Witness, PreFixStopTraceFormIsRejectedByTheValidator) {
  const Scenario sc = Machine("tracer start; advance");
  const Result r = RunWitness(sc, "go70883", oracle::OracleSet::kValidator);
  EXPECT_EQ(r.script_steps, 4u);
  ASSERT_TRUE(r.out.verdict.violation);
  EXPECT_EQ(r.out.verdict.oracle, "validator");
  EXPECT_TRUE(r.out.verdict.message ==
                  "inconsistent status for goroutine 1: old Runnable vs. new Waiting" ||
              r.out.verdict.message ==
                  "inconsistent status for goroutine 2: old Runnable vs. new Waiting")
      << r.out.verdict.message;
  ASSERT_NE(r.out.known, nullptr);
  EXPECT_STREQ(r.out.known->id, "go70883");
  // GoUnblock for goroutine 1 in generation N, the stale GoStatus Waiting in N+1.
  EXPECT_EQ(r.out.events, 1 * 1000 + 2u);
}

TEST(Go70883Witness, PreFixPeriodicFormIsRejectedByTheValidator) {
  const Scenario sc = Machine("tracer start; advance; advance");
  const Result r = RunWitness(sc, "go70883", oracle::OracleSet::kValidator);
  ASSERT_TRUE(r.out.verdict.violation);
  EXPECT_NE(r.out.verdict.message.find("old Runnable vs. new Waiting"), std::string::npos)
      << r.out.verdict.message;
  EXPECT_EQ(r.out.events, 1 * 1000 + 2u);
}

TEST(Go70883Witness, DisciplineCatchesItAtTheFirstGenerationSwitch) {
  const Scenario sc = Machine("tracer start; advance");
  const Result r = RunWitness(sc, "go70883", oracle::OracleSet::kAll);
  ASSERT_TRUE(r.out.verdict.violation);
  EXPECT_EQ(r.out.verdict.oracle, "discipline");
  EXPECT_EQ(r.out.verdict.check, "D2");
  EXPECT_NE(r.out.verdict.message.find("at the generation switch 1 -> 2"), std::string::npos)
      << r.out.verdict.message;
  EXPECT_NE(r.out.verdict.message.find("is Runnable but its status is Waiting"), std::string::npos);
}

TEST(Go70883Witness, FixedInjectglistPassesTheSameScript) {
  for (const char* tracer : {"tracer start; advance", "tracer start; advance; advance"}) {
    const Scenario sc = Machine(tracer);
    const Result r = RunWitness(sc, "fixed", oracle::OracleSet::kAll);
    EXPECT_FALSE(r.out.verdict.violation) << tracer << ": " << DescribeVerdict(r.out.verdict);
    // The script ran to its end: sysmon stopped inside its critical section,
    // so traceAdvance had to wait for it rather than read a stale status.
    EXPECT_EQ(r.script_steps, 4u);
    EXPECT_EQ(r.out.events % 1000, 0u) << "no stale GoStatus after the GoUnblock";
  }
}

TEST(Go70883Witness, SameScheduleSameBytes) {
  for (const char* variant : {"go70883", "fixed"}) {
    const Scenario sc = Machine("tracer start; advance; advance");
    const Result a = RunWitness(sc, variant, oracle::OracleSet::kValidator);
    const Result b = RunWitness(sc, variant, oracle::OracleSet::kValidator);
    EXPECT_FALSE(a.wire.empty());
    EXPECT_EQ(a.wire, b.wire) << variant;
    EXPECT_EQ(DescribeVerdict(a.out.verdict), DescribeVerdict(b.out.verdict));
  }
}

TEST(Go70883Witness, DisciplineFiresAtTheFirstCasAfterTheRelease) {
  // The same start, but sysmon goes on right away: no generation switch
  // between its traceRelease and its casgstatus. D1 fires at that CAS.
  Scenario sc = Machine("tracer start; advance");
  Runner r;
  std::vector<sim::ScriptStep> steps = Witness();
  steps.resize(3);
  steps.push_back({"sysmon", "sysmon: unlock sysmonlock", 1, {"tracer"}});
  sim::ScriptChooser chooser(&r.engine(), steps);
  RunOptions opts;
  opts.variant = rt::FindVariant("go70883");
  const Outcome& out = r.Run(sc, chooser, opts);
  ASSERT_TRUE(out.verdict.violation) << DescribeVerdict(out.verdict);
  EXPECT_EQ(out.verdict.check, "D1");
  EXPECT_NE(out.verdict.message.find(
                "\"injectglist: casgstatus\" on sysmon outside any trace critical section"),
            std::string::npos)
      << out.verdict.message;
  ASSERT_NE(out.known, nullptr);
  EXPECT_STREQ(out.known->id, "go70883");
}

}  // namespace
}  // namespace schedfuzz::scenario
