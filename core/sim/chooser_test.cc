#include "core/sim/chooser.h"

#include <vector>

#include "gtest/gtest.h"

namespace schedfuzz::sim {
namespace {

TEST(ChooserTest, DefaultKeepsCurrentElseNextInOrder) {
  const int r[] = {0, 2, 5};
  EXPECT_EQ(DefaultChoice({r, 2, 0, 0}), 2);
  EXPECT_EQ(DefaultChoice({r, 3, 0, 0}), 5);  // current 3 not runnable: next above
  EXPECT_EQ(DefaultChoice({r, 5, 0, 0}), 5);
  EXPECT_EQ(DefaultChoice({r, 7, 0, 0}), 0);  // wraps
}

TEST(ChooserTest, ByteChooserLowBitsPickHighBitsHold) {
  const int r[] = {1, 3, 4};
  const uint8_t bytes[] = {0x21, 0x00};  // pick index 1, then hold for 2 more decisions
  ByteChooser ch(bytes);
  ch.Begin();
  EXPECT_EQ(ch.Choose({r, 1, 0, 0}), 3);
  EXPECT_EQ(ch.Choose({r, 3, 0, 1}), 3);
  EXPECT_EQ(ch.Choose({r, 3, 0, 2}), 3);
  EXPECT_EQ(ch.consumed(), 1u);
  EXPECT_EQ(ch.Choose({r, 3, 0, 3}), 1);  // byte 0x00: index 0
  EXPECT_EQ(ch.consumed(), 2u);
  EXPECT_EQ(ch.Choose({r, 1, 0, 4}), 1);  // exhausted: default keeps current
}

TEST(ChooserTest, ByteChooserHoldEndsWhenThreadBlocks) {
  const int r1[] = {0, 1, 2};
  const int r2[] = {0, 2};
  const uint8_t bytes[] = {0xf1, 0x01};
  ByteChooser ch(bytes);
  ch.Begin();
  EXPECT_EQ(ch.Choose({r1, 0, 0, 0}), 1);
  EXPECT_EQ(ch.Choose({r2, -1, 0, 1}), 2);  // thread 1 blocked: next byte
}

TEST(ChooserTest, SplitMixSequenceIsStable) {
  // Reference values of SplitMix64 seeded with 0 (Vigna's reference code).
  SplitMix64 r(0);
  EXPECT_EQ(r.Next(), 0xe220a8397b1dcdafull);
  EXPECT_EQ(r.Next(), 0x6e789e6aa1b965f4ull);
  EXPECT_EQ(r.Next(), 0x06c45d188009454full);
}

TEST(ChooserTest, RandomChooserCoversAllAndRepeatsPerSeed) {
  const int r[] = {0, 1, 2, 3};
  RandomChooser a(7), b(7);
  a.Begin();
  b.Begin();
  int hits[4] = {};
  for (int i = 0; i < 400; ++i) {
    const int x = a.Choose({r, 0, 0, uint64_t(i)});
    EXPECT_EQ(x, b.Choose({r, 0, 0, uint64_t(i)}));
    ++hits[x];
  }
  for (int h : hits) EXPECT_GT(h, 50);
}

TEST(ChooserTest, PctRunsHighestPriorityUntilChangePoint) {
  const int r[] = {0, 1};
  PctChooser p(3, /*depth=*/1, 100);
  p.Begin();
  const int first = p.Choose({r, -1, 0, 0});
  for (int i = 1; i < 50; ++i) EXPECT_EQ(p.Choose({r, first, 0, uint64_t(i)}), first);
}

// PCT-form bytes: 16 priority bytes, then change points (2 bytes each).
std::vector<uint8_t> PctBytes(std::vector<uint8_t> priorities, std::vector<uint16_t> changes) {
  priorities.resize(PctByteChooser::kPriorityBytes, 0);
  for (uint16_t c : changes) {
    priorities.push_back(static_cast<uint8_t>(c & 0xff));
    priorities.push_back(static_cast<uint8_t>(c >> 8));
  }
  return priorities;
}

// The choices of decisions 0..n-1, all threads in r runnable, current the
// previous choice.
std::vector<int> PctChoices(std::span<const uint8_t> bytes, std::span<const int> r, int n) {
  PctByteChooser ch(bytes);
  ch.Begin();
  std::vector<int> out;
  int cur = -1;
  for (int i = 0; i < n; ++i) {
    cur = ch.Choose({r, cur, 0, uint64_t(i)});
    out.push_back(cur);
  }
  return out;
}

TEST(ChooserTest, PctBytesHighestPriorityRunnableRuns) {
  const std::vector<uint8_t> b = PctBytes({10, 200, 50}, {});
  PctByteChooser ch(b);
  ch.Begin();
  EXPECT_EQ(ch.change_points(), 0);
  const int all[] = {0, 1, 2};
  const int no1[] = {0, 2};
  const int only01[] = {0, 1};
  EXPECT_EQ(ch.Choose({all, -1, 0, 0}), 1);
  EXPECT_EQ(ch.Choose({no1, -1, 0, 1}), 2);  // 1 blocked: the next priority
  EXPECT_EQ(ch.Choose({only01, 0, 0, 2}), 1);
  // Equal bytes (and the empty schedule: every byte missing, read as 0): the
  // lower id runs first.
  const std::vector<uint8_t> tie = PctBytes({7, 7, 7}, {});
  EXPECT_EQ(PctChoices(tie, no1, 3), (std::vector<int>{0, 0, 0}));
  EXPECT_EQ(PctChoices({}, no1, 3), (std::vector<int>{0, 0, 0}));
}

TEST(ChooserTest, PctBytesChangePointDemotesTheThreadThatWouldRun) {
  const int r[] = {0, 1, 2};
  // Priorities 1 > 2 > 0; change points at decisions 3 and 5.
  const std::vector<uint8_t> b = PctBytes({10, 200, 50}, {3, 5});
  EXPECT_EQ(PctChoices(b, r, 8), (std::vector<int>{1, 1, 1, 2, 2, 0, 0, 0}));
  PctByteChooser ch(b);
  ch.Begin();
  ASSERT_EQ(ch.change_points(), 2);
  for (int i = 0; i < 6; ++i) ch.Choose({r, -1, 0, uint64_t(i)});
  // Change point 0 gave thread 1 priority 1, change point 1 thread 2 priority
  // 2: below every initial priority, the earlier listed one lowest.
  EXPECT_EQ(ch.priority(1), 1);
  EXPECT_EQ(ch.priority(2), 2);
  EXPECT_GT(ch.priority(0), PctByteChooser::kMaxChangePoints);
  // Listed in the other order, change point 0 (decision 5) gives thread 2
  // the lowest priority: thread 1 outranks it again once 0 is gone.
  const std::vector<uint8_t> swapped = PctBytes({10, 200, 50}, {5, 3});
  const int no0[] = {1, 2};
  PctByteChooser sw(swapped);
  sw.Begin();
  for (int i = 0; i < 6; ++i) sw.Choose({r, -1, 0, uint64_t(i)});
  EXPECT_EQ(sw.Choose({no0, -1, 0, 6}), 1);
  PctByteChooser in(b);
  in.Begin();
  for (int i = 0; i < 6; ++i) in.Choose({r, -1, 0, uint64_t(i)});
  EXPECT_EQ(in.Choose({no0, -1, 0, 6}), 2);
}

TEST(ChooserTest, PctBytesSameBytesSameChoices) {
  SplitMix64 rng(11);
  std::vector<uint8_t> b(30);
  for (uint8_t& x : b) x = static_cast<uint8_t>(rng.Next());
  PctByteChooser x(b), y(b);
  for (int round = 0; round < 2; ++round) {  // Begin restarts
    x.Begin();
    y.Begin();
    int cur = -1;
    for (int i = 0; i < 2000; ++i) {
      int r[kMaxThreads];
      int n = 0;
      const uint32_t mask = static_cast<uint32_t>(rng.Next()) & 0x3f;
      for (int t = 0; t < 6; ++t)
        if (mask >> t & 1) r[n++] = t;
      if (n < 2) continue;
      const ChoicePoint p{std::span<const int>(r, n), cur, 0, uint64_t(i)};
      const int a = x.Choose(p);
      EXPECT_EQ(a, y.Choose(p));
      cur = a;
    }
  }
}

TEST(ChooserTest, PctBytesPositionsAreLittleEndianModuloHorizon) {
  // 0x0405 = 1029 = kHorizon + 5.
  std::vector<uint8_t> b = PctBytes({}, {0x0405, 0xffff});
  b.push_back(0x2a);  // an odd last byte: high byte missing, reads as 0
  PctByteChooser ch(b);
  ch.Begin();
  ASSERT_EQ(ch.change_points(), 3);
  EXPECT_EQ(ch.change_point(0), 5u);
  EXPECT_EQ(ch.change_point(1), 0xffffu % PctByteChooser::kHorizon);
  EXPECT_EQ(ch.change_point(2), 0x2au);
  // At most kMaxChangePoints; later bytes are ignored.
  const std::vector<uint8_t> many = PctBytes({}, std::vector<uint16_t>(20, 9));
  PctByteChooser m(many);
  m.Begin();
  EXPECT_EQ(m.change_points(), PctByteChooser::kMaxChangePoints);
}

TEST(ChooserTest, PctBytesOneByteMovesOneChangePoint) {
  const int r[] = {0, 1, 2, 3};
  const std::vector<uint8_t> a = PctBytes({1, 2, 3, 4}, {10, 20, 30});
  std::vector<uint8_t> b = a;
  b[PctByteChooser::kPriorityBytes + 2] = 25;  // change point 1: decision 20 -> 25
  PctByteChooser ca(a), cb(b);
  ca.Begin();
  cb.Begin();
  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(ca.change_point(i) == cb.change_point(i), i != 1) << "change point " << i;
  // The runs agree up to decision 20 and from decision 30 on, where both have
  // made all three demotions (in a different order of decisions, to the same
  // priorities).
  const std::vector<int> ra = PctChoices(a, r, 40), rb = PctChoices(b, r, 40);
  for (int i = 0; i < 40; ++i) {
    if (i < 20 || i >= 30) {
      EXPECT_EQ(ra[i], rb[i]) << "decision " << i;
    }
  }
  EXPECT_NE(ra[20], rb[20]);  // a switches at 20, b keeps running until 25
  EXPECT_EQ(rb[20], rb[19]);
  EXPECT_NE(rb[25], rb[24]);
  // A priority byte moves one thread's rank: thread 0 now first.
  std::vector<uint8_t> c = a;
  c[0] = 99;
  EXPECT_EQ(PctChoices(c, r, 1)[0], 0);
  EXPECT_EQ(PctChoices(a, r, 1)[0], 3);
}

TEST(ChooserTest, ReplayFallsBackAndReportsDivergence) {
  const int r[] = {0, 2};
  const int log[] = {2, 1};
  ReplayChooser ch(log);
  ch.Begin();
  EXPECT_EQ(ch.Choose({r, 0, 0, 0}), 2);
  EXPECT_FALSE(ch.diverged());
  EXPECT_EQ(ch.Choose({r, 0, 0, 1}), 0);  // 1 is not runnable
  EXPECT_TRUE(ch.diverged());
}

}  // namespace
}  // namespace schedfuzz::sim
