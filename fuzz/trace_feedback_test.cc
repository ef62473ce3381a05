// The tracer-state feedback: it observes a run without changing it, the same
// run gives the same features, and it tells interleavings of one scenario
// apart that take the same code paths.
#include "fuzz/trace_feedback.h"

#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

#include "core/runtime/variant.h"
#include "core/scenario/run.h"
#include "core/scenario/text.h"

namespace schedfuzz::fuzz {
namespace {

scenario::Scenario Load(const std::string& path) {
  std::ifstream f(path);
  std::stringstream ss;
  ss << f.rdbuf();
  absl::StatusOr<scenario::Scenario> sc = scenario::ParseText(ss.str());
  EXPECT_TRUE(sc.ok()) << path << ": " << sc.status();
  return sc.value_or(scenario::Scenario{});
}

struct Features {
  std::set<size_t> hit;
  bool violation = false;
  std::string verdict;
  uint64_t steps = 0;
};

Features RunWith(scenario::Runner& runner, const scenario::Scenario& sc, const char* variant,
                 bool feedback) {
  TraceFeedbackClearCounters();
  scenario::RunOptions opts;
  opts.variant = rt::FindVariant(variant);
  if (feedback) {
    TraceFeedbackReset();
    opts.observer_hooks = TraceFeedbackHooks();
  }
  const scenario::Outcome& out = runner.Run(sc, opts);
  Features f;
  for (size_t i = 0; i < kTraceFeedbackCounters; ++i)
    if (TraceFeedbackCounters()[i]) f.hit.insert(i);
  f.violation = out.verdict.violation;
  f.verdict = scenario::DescribeVerdict(out.verdict);
  f.steps = out.engine.steps;
  return f;
}

const std::string kCase = SF_SOURCE_DIR "/repro/cases/go70883-stoptrace.txt";

TEST(TraceFeedback, ObservesWithoutChangingTheRun) {
  scenario::Runner runner;
  const scenario::Scenario sc = Load(kCase);
  const Features off = RunWith(runner, sc, "go70883", false);
  const Features on = RunWith(runner, sc, "go70883", true);
  EXPECT_TRUE(off.hit.empty());
  EXPECT_GT(on.hit.size(), 20u);
  EXPECT_EQ(on.verdict, off.verdict);
  EXPECT_EQ(on.steps, off.steps);
  EXPECT_TRUE(on.violation);
}

TEST(TraceFeedback, SameRunSameFeatures) {
  scenario::Runner runner;
  const scenario::Scenario sc = Load(kCase);
  const Features a = RunWith(runner, sc, "go70883", true);
  RunWith(runner, Load(SF_SOURCE_DIR "/repro/cases/clean-syscalls.txt"), "fixed", true);
  const Features b = RunWith(runner, sc, "go70883", true);
  EXPECT_EQ(a.hit, b.hit);
}

// The go70883 witness and the same machine under the default schedule run
// the same model code (one variant, one scenario); the witness's
// interleaving (statuses changed after the tracer moved on) shows as
// features the default schedule never reaches.
TEST(TraceFeedback, TellsInterleavingsApart) {
  scenario::Runner runner;
  const scenario::Scenario witness = Load(kCase);
  scenario::Scenario plain = witness;
  plain.schedule.clear();
  const Features bad = RunWith(runner, witness, "go70883", true);
  const Features good = RunWith(runner, plain, "go70883", true);
  ASSERT_TRUE(bad.violation);
  ASSERT_FALSE(good.violation) << good.verdict;
  size_t only_bad = 0;
  for (size_t i : bad.hit) only_bad += good.hit.count(i) == 0;
  EXPECT_GT(only_bad, 0u);
}

}  // namespace
}  // namespace schedfuzz::fuzz
