#include "core/tracefmt/tables.h"

#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "core/tracefmt/id_map.h"

namespace schedfuzz::tracefmt {
namespace {

TEST(IdMapTest, FindsWhatWasInsertedThroughGrowthAndClear) {
  IdMap<uint64_t> m;
  // Keys that share low bits, in descending order, past several growths.
  for (uint64_t k = 4000; k > 0; --k) {
    auto [v, inserted] = m.emplace(k << 20, k);
    ASSERT_TRUE(inserted);
    EXPECT_EQ(*v, k);
  }
  EXPECT_EQ(m.size(), 4000u);
  for (uint64_t k = 1; k <= 4000; ++k) ASSERT_EQ(*m.find(k << 20), k);
  EXPECT_EQ(m.find(1), nullptr);
  EXPECT_FALSE(m.emplace(7u << 20, 99).second);
  EXPECT_EQ(*m.find(7u << 20), 7u);
  m.clear();
  EXPECT_EQ(m.size(), 0u);
  EXPECT_EQ(m.find(7u << 20), nullptr);
  EXPECT_TRUE(m.emplace(7u << 20, 1).second);
  EXPECT_EQ(*m.find(7u << 20), 1u);
}

TEST(IdMapTest, ManyClearsLeaveNothingBehind) {
  IdMap<int> m;
  for (int round = 0; round < 70000; ++round) {
    m.clear();
    ASSERT_EQ(m.find(5), nullptr) << round;
    m.emplace(5, round);
  }
  EXPECT_EQ(*m.find(5), 69999);
}

TEST(GenTablesTest, StringsFollowGoDataTable) {
  GenTables t;
  EXPECT_TRUE(t.HasString(0));  // the empty string is always there
  ASSERT_TRUE(t.AddString(1, "a").ok());
  EXPECT_EQ(t.String(1), "a");
  EXPECT_EQ(t.AddString(1, "b").message(),
            "multiple strings with the same ID: id=1, new=b, existing=a");
  EXPECT_EQ(t.AddString(0, "c").message(),
            "multiple strings with the same ID: id=0, new=c, existing=");
  EXPECT_EQ(t.AddString(2, std::string(1025, 'x')).message(),
            "invalid string size 1025, maximum is 1024");
  t.Clear();
  EXPECT_FALSE(t.HasString(1));
}

TEST(GenTablesTest, StacksAndTheirNames) {
  GenTables t;
  const std::vector<StackFrame> f = {{0x10, 1, 2, 3}, {0x20, 1, 3, 4}};
  ASSERT_TRUE(t.AddStack(5, f.data(), f.size()).ok());
  EXPECT_TRUE(t.HasStack(5));
  EXPECT_TRUE(t.HasStack(0));
  EXPECT_FALSE(t.HasStack(6));
  EXPECT_EQ(
      t.AddStack(5, f.data(), 1).message(),
      "multiple trace.stacks with the same ID: id=5, new=\t0x10\n, existing=\t0x10\n\t0x20\n");
  // Names are checked once the generation is read: file 3 is missing.
  ASSERT_TRUE(t.AddString(1, "main").ok());
  ASSERT_TRUE(t.AddString(2, "a.go").ok());
  EXPECT_EQ(t.ValidateStackStrings().message(), "found invalid file string ID 3 for stack 5");
  ASSERT_TRUE(t.AddString(3, "b.go").ok());
  EXPECT_TRUE(t.ValidateStackStrings().ok());
  EXPECT_EQ(GenTables::CheckStackSize(129).message(), "invalid stack size 129, maximum is 128");
  EXPECT_TRUE(GenTables::CheckStackSize(128).ok());
}

TEST(GenTablesTest, FramesAreKeptPerPcFirstOneWins) {
  // The parser this models resolves a frame by pc, from the first stack that
  // named it: stack 2's own (bad) func id for pc 0x10 is never looked at.
  GenTables t;
  ASSERT_TRUE(t.AddString(1, "f").ok());
  const std::vector<StackFrame> a = {{0x10, 1, 1, 1}};
  const std::vector<StackFrame> b = {{0x10, 9, 9, 1}};
  ASSERT_TRUE(t.AddStack(1, a.data(), a.size()).ok());
  ASSERT_TRUE(t.AddStack(2, b.data(), b.size()).ok());
  EXPECT_TRUE(t.ValidateStackStrings().ok());
}

}  // namespace
}  // namespace schedfuzz::tracefmt
