// The Runner reads a scenario's schedule in the form its header says: byte
// form with a ByteChooser, PCT form (byte format version 3) with a
// PctByteChooser.
#include <cstdint>
#include <vector>

#include "gtest/gtest.h"

#include "core/scenario/codec.h"
#include "core/scenario/run.h"
#include "core/sim/chooser.h"

namespace schedfuzz::scenario {
namespace {

std::vector<int> Threads(const Runner& r) {
  const std::span<const int> t = r.engine().decision_threads();
  return {t.begin(), t.end()};
}

TEST(ScheduleFormTest, RunnerPicksTheChooserFromTheForm) {
  Scenario sc = DefaultScenario();
  // Priorities: thread 2 first, then 0, 1, ...; change points at decisions
  // 40 and 90.
  sc.schedule = {50, 10, 200, 5, 4, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 40, 0, 90, 0};
  Runner runner;

  sc.pct_schedule = true;
  runner.Run(sc);
  const std::vector<int> pct = Threads(runner);
  sim::PctByteChooser pc(sc.schedule);
  runner.Run(sc, pc);
  EXPECT_EQ(Threads(runner), pct);
  runner.Run(sc);
  EXPECT_EQ(Threads(runner), pct) << "the same bytes, the same run";

  sc.pct_schedule = false;
  runner.Run(sc);
  const std::vector<int> bytes = Threads(runner);
  sim::ByteChooser bc(sc.schedule);
  runner.Run(sc, bc);
  EXPECT_EQ(Threads(runner), bytes);
  EXPECT_NE(bytes, pct);

  // In PCT form the highest-priority thread runs the first decision, and the
  // first change point switches away from the thread that would run there.
  ASSERT_GT(pct.size(), 90u);
  EXPECT_EQ(pct[0], 2);
  EXPECT_NE(pct[40], pct[39]);
  EXPECT_NE(pct[90], pct[89]);
}

}  // namespace
}  // namespace schedfuzz::scenario
