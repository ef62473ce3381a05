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
