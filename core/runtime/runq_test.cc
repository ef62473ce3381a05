// Run queues: the local ring with runnext, its overflow to the global queue,
// stealing half, and the global queue's fair share.
#include <vector>

#include "gtest/gtest.h"

#include "core/runtime/test_harness.h"

namespace schedfuzz::rt {
namespace {

std::vector<int64_t> Ring(const Runtime& rt, const p* pp) {
  std::vector<int64_t> ids;
  for (uint32_t i = pp->runqhead.Raw(); i != pp->runqtail.Raw(); ++i)
    ids.push_back(pp->runq[i % rt.runq_size]->goid);
  return ids;
}
std::vector<int64_t> Global(const Runtime& rt) {
  std::vector<int64_t> ids;
  for (const g* gp = rt.sched.runq.head; gp; gp = gp->schedlink) ids.push_back(gp->goid);
  return ids;
}

TEST(RunqTest, FullRingMovesHalfPlusOneToTheGlobalQueue) {
  Harness h(/*nprocs=*/1, /*runq=*/4, /*goroutines=*/5);
  h.OnM(0, [&] {
    for (int i = 0; i < 5; ++i) h.rt.runqput(h.P(0), h.G(i), false);
  });
  EXPECT_EQ(h.Run().status, sim::RunStatus::kCompleted);
  EXPECT_EQ(Ring(h.rt, h.P(0)), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(Global(h.rt), (std::vector<int64_t>{1, 2, 5}));
  EXPECT_EQ(h.rt.sched.runqsize, 3);
}

TEST(RunqTest, RunnextKicksTheOldOneToTheTail) {
  Harness h(1, 256, 3);
  g* got[3] = {};
  bool inherit[3] = {};
  h.OnM(0, [&] {
    h.rt.runqput(h.P(0), h.G(0), true);
    h.rt.runqput(h.P(0), h.G(1), true);
    h.rt.runqput(h.P(0), h.G(2), false);
    for (int i = 0; i < 3; ++i) got[i] = h.rt.runqget(h.P(0), &inherit[i]);
  });
  h.Run();
  EXPECT_EQ(got[0], h.G(1));  // runnext first, inheriting the time slice
  EXPECT_TRUE(inherit[0]);
  EXPECT_EQ(got[1], h.G(0));  // the kicked one, at the head of the ring
  EXPECT_FALSE(inherit[1]);
  EXPECT_EQ(got[2], h.G(2));
}

TEST(RunqTest, StealTakesHalfRoundedUp) {
  Harness h(2, 256, 5);
  g* stolen = nullptr;
  h.OnM(1, [&] {
    for (int i = 0; i < 5; ++i) h.rt.runqput(h.P(1), h.G(i), false);
  });
  h.OnM(0, [&] { stolen = h.rt.runqsteal(h.P(0), h.P(1), false); });
  sim::ReplayChooser serial;  // M2 (thread 0) fills its ring, then M1 steals
  h.Run(serial);
  // n - n/2 = 3 grabbed: two stay on the thief's ring, the last is returned.
  EXPECT_EQ(stolen, h.G(2));
  EXPECT_EQ(Ring(h.rt, h.P(0)), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(Ring(h.rt, h.P(1)), (std::vector<int64_t>{4, 5}));
}

TEST(RunqTest, RunnextIsStolenOnlyWhenAllowed) {
  Harness h(2, 256, 1);
  g* first = h.G(0);
  g* second = nullptr;
  h.OnM(1, [&] { h.rt.runqput(h.P(1), h.G(0), true); });
  h.OnM(0, [&] {
    first = h.rt.runqsteal(h.P(0), h.P(1), false);
    second = h.rt.runqsteal(h.P(0), h.P(1), true);
  });
  sim::ReplayChooser serial;
  h.Run(serial);
  EXPECT_EQ(first, nullptr);
  EXPECT_EQ(second, h.G(0));
  EXPECT_EQ(h.P(1)->runnext.Raw(), nullptr);
}

TEST(RunqTest, GlobalQueueGivesAFairShare) {
  Harness h(2, 256, 5);
  g* got = nullptr;
  h.OnM(0, [&] {
    h.rt.sched.lock.Lock("test: lock");
    for (int i = 0; i < 5; ++i) h.rt.globrunqput(h.G(i));
    got = h.rt.globrunqget(h.P(0), 0);  // 5/2+1 = 3: one returned, two to the ring
    h.rt.sched.lock.Unlock("test: unlock");
  });
  h.Run();
  EXPECT_EQ(got, h.G(0));
  EXPECT_EQ(Ring(h.rt, h.P(0)), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(Global(h.rt), (std::vector<int64_t>{4, 5}));
  EXPECT_EQ(h.rt.sched.runqsize, 2);
}

TEST(RunqTest, ConcurrentPutAndStealLoseNothing) {
  // Under every interleaving of an owner putting 6 goroutines and a thief
  // stealing twice (bounded to 2 preemptions), each goroutine ends up in
  // exactly one place.
  int runs = 0;
  sim::DfsChooser dfs(/*max_preemptions=*/2);
  do {
    Harness h(2, 4, 6);
    g* stolen[2] = {};
    h.OnM(1, [&] {
      for (int i = 0; i < 6; ++i) h.rt.runqput(h.P(1), h.G(i), false);
    });
    h.OnM(0, [&] {
      for (auto& s : stolen) s = h.rt.runqsteal(h.P(0), h.P(1), false);
    });
    ASSERT_EQ(h.Run(dfs).status, sim::RunStatus::kCompleted);
    std::vector<int> seen(7, 0);
    for (int64_t id : Ring(h.rt, h.P(0))) seen[id]++;
    for (int64_t id : Ring(h.rt, h.P(1))) seen[id]++;
    for (int64_t id : Global(h.rt)) seen[id]++;
    for (g* s : stolen)
      if (s) seen[s->goid]++;
    for (int id = 1; id <= 6; ++id)
      ASSERT_EQ(seen[id], 1) << "goroutine " << id << " after " << runs << " runs";
    ++runs;
  } while (dfs.Advance() && runs < 3000);
  EXPECT_GT(runs, 50);
}

}  // namespace
}  // namespace schedfuzz::rt
