// traceAdvance on a quiet machine: what each generation must contain.
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "core/scenario/run.h"
#include "core/scenario/text.h"

namespace schedfuzz::scenario {
namespace {

using tracefmt::BatchKind;
using tracefmt::EvType;

// Two idle Ps, one goroutine asleep on a descriptor that never becomes
// ready, and the tracer starting, advancing twice and stopping.
TEST(QuietTraceTest, EveryGenerationHasItsFrequencyStatusesAndStrings) {
  const absl::StatusOr<Scenario> sc = ParseText(R"(schedfuzz scenario v1
procs 2
ms 2
sysmon off
fds 1
g 1 parked fd 0
tracer start; advance; advance; stop
)");
  ASSERT_TRUE(sc.ok()) << sc.status();
  Runner r;
  const Outcome& out = r.Run(*sc);
  EXPECT_FALSE(out.verdict.violation) << DescribeVerdict(out.verdict);
  EXPECT_EQ(out.discarded, "");
  EXPECT_EQ(out.engine.status, sim::RunStatus::kQuiescent);
  ASSERT_EQ(r.traces().size(), 1u);
  const tracefmt::Trace& t = r.traces()[0];

  struct PerGen {
    int frequency = 0, strings = 0;
    bool waiting_status_for_g1 = false;  // from the late status pass
    bool procs_change = false;
    std::vector<uint64_t> idle_procstatus;
  } gens[4];
  for (const tracefmt::Batch& b : t) {
    ASSERT_GE(b.gen, 1u);
    ASSERT_LE(b.gen, 3u);
    PerGen& pg = gens[b.gen];
    if (b.kind == BatchKind::kFrequency) pg.frequency++;
    if (b.kind == BatchKind::kStrings) pg.strings++;
    for (const tracefmt::Event& e : b.events) {
      if (e.type == EvType::kGoStatus && e.args[0] == 1 && b.m == tracefmt::kNoThread &&
          e.args[2] == static_cast<uint64_t>(tracefmt::GoStatus::kWaiting))
        pg.waiting_status_for_g1 = true;
      if (e.type == EvType::kProcsChange) pg.procs_change = true;
      if (e.type == EvType::kProcStatus &&
          e.args[1] == static_cast<uint64_t>(tracefmt::ProcStatus::kIdle))
        pg.idle_procstatus.push_back(e.args[0]);
      EXPECT_NE(e.type, EvType::kGoUnblock);  // nothing wakes up
      EXPECT_NE(e.type, EvType::kGoStart);
    }
  }
  for (int gen = 1; gen <= 3; ++gen) {
    SCOPED_TRACE(gen);
    EXPECT_EQ(gens[gen].frequency, 1);
    EXPECT_EQ(gens[gen].strings, 1);
    // Nobody runs goroutine 1, so only the late status pass describes it.
    EXPECT_TRUE(gens[gen].waiting_status_for_g1);
    EXPECT_TRUE(gens[gen].procs_change);
    // Both Ps are idle: StartTrace (gen 1) or forEachP (later) writes them.
    EXPECT_EQ(gens[gen].idle_procstatus.size(), 2u);
  }
  EXPECT_EQ(r.canaries().counts().advances, 2);
  EXPECT_EQ(r.canaries().counts().stops, 1);
}

TEST(QuietTraceTest, RestartedTracingIsASecondTraceContinuingTheGenerations) {
  const absl::StatusOr<Scenario> sc = ParseText(R"(schedfuzz scenario v1
procs 1
ms 2
sysmon off
fds 1
g 1 parked fd 0
tracer start; stop; start; advance
)");
  ASSERT_TRUE(sc.ok()) << sc.status();
  Runner r;
  const Outcome& out = r.Run(*sc);
  EXPECT_FALSE(out.verdict.violation) << DescribeVerdict(out.verdict);
  EXPECT_EQ(out.discarded, "");
  ASSERT_EQ(r.traces().size(), 2u)
      << r.canaries().counts().starts << " starts, " << r.canaries().counts().stops << " stops; "
      << out.engine.Describe(r.engine().thread_names());
  EXPECT_EQ(r.traces()[0][0].gen, 1u);
  EXPECT_EQ(r.traces()[1][0].gen, 2u);  // firstGen = lastNonZeroGen + 1
  uint64_t last = 0;
  for (const tracefmt::Batch& b : r.traces()[1]) last = b.gen;
  EXPECT_EQ(last, 3u);
}

}  // namespace
}  // namespace schedfuzz::scenario
