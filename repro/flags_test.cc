#include "repro/flags.h"

#include <cstdint>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace schedfuzz::repro {
namespace {

TEST(ParseUint, DigitsOnlyUpTo64Bits) {
  uint64_t v = 7;
  EXPECT_TRUE(ParseUint("0", &v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(ParseUint("007", &v));
  EXPECT_EQ(v, 7u);
  EXPECT_TRUE(ParseUint("18446744073709551615", &v));
  EXPECT_EQ(v, UINT64_MAX);
  v = 7;
  for (const char* bad : {"", "18446744073709551616", "99999999999999999999", "+1", "-1", " 1",
                          "1 ", "1x", "0x10", "1.0", "1e3"}) {
    EXPECT_FALSE(ParseUint(bad, &v)) << bad;
    EXPECT_EQ(v, 7u) << bad;  // untouched on failure
  }
}

TEST(ParseDouble, NonNegativeNumbers) {
  double v = -1;
  EXPECT_TRUE(ParseDouble("0", &v));
  EXPECT_EQ(v, 0);
  EXPECT_TRUE(ParseDouble("2.5", &v));
  EXPECT_EQ(v, 2.5);
  EXPECT_TRUE(ParseDouble("+2", &v));
  EXPECT_EQ(v, 2);
  EXPECT_TRUE(ParseDouble("1e3", &v));
  EXPECT_EQ(v, 1000);
  EXPECT_TRUE(ParseDouble(".5", &v));
  EXPECT_EQ(v, 0.5);
  EXPECT_TRUE(ParseDouble("-0", &v));
  EXPECT_EQ(v, 0);
  v = 9;
  for (const char* bad :
       {"", "-1", "-0.5", "-1e-3", "nan", "abc", "1.5x", "1,5", " 1", "1 ", "--1", "+-1"}) {
    EXPECT_FALSE(ParseDouble(bad, &v)) << bad;
    EXPECT_EQ(v, 9) << bad;
  }
}

// A tool's own options parsed with the same machinery as schedfuzz's.
struct ToolOptions {
  uint64_t n = 1;
  bool tied = false;
  std::vector<std::string> extra;
};

const BasicFlagSpec<ToolOptions> kToolFlags[] = {
    {"n", "N", "tool", "how many",
     [](ToolOptions* o, std::string_view v, std::string* e) {
       if (ParseUint(v, &o->n)) return true;
       *e = "not a number";
       return false;
     }},
    {"tied", nullptr, "tool", "a switch",
     [](ToolOptions* o, std::string_view v, std::string*) {
       o->tied = v == "1";
       return true;
     }},
    {"extra", "PATH", "tool", "repeatable",
     [](ToolOptions* o, std::string_view v, std::string*) {
       o->extra.emplace_back(v);
       return true;
     }},
};

absl::StatusOr<ToolOptions> ParseTool(std::vector<const char*> args) {
  args.insert(args.begin(), "tool");
  absl::StatusOr<ScannedArgs> s =
      ScanArgs(static_cast<int>(args.size()), args.data(),
               [](std::string_view name) { return FindFlag<ToolOptions>(kToolFlags, name); });
  if (!s.ok()) return s.status();
  ToolOptions o;
  for (const ScannedArgs::Flag& f : s->flags) {
    if (absl::Status st = ApplyFlag(f, &o); !st.ok()) return st;
  }
  return o;
}

TEST(ScanArgs, ServesAnyOptionsStruct) {
  absl::StatusOr<ToolOptions> o =
      ParseTool({"--n=5", "--tied", "--extra", "a", "-extra=b", "--tied=false"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->n, 5u);
  EXPECT_FALSE(o->tied);
  EXPECT_EQ(o->extra, (std::vector<std::string>{"a", "b"}));

  EXPECT_EQ(ParseTool({"--m=1"}).status(), absl::NotFoundError("unknown flag --m=1"));
  EXPECT_EQ(ParseTool({"--n"}).status().message(), "flag --n needs a value (-n N)");
  EXPECT_EQ(ParseTool({"--n", "x"}).status().message(), "bad value for --n: not a number");
  EXPECT_EQ(ParseTool({"--tied=2"}).status().message(),
            "flag --tied takes no value (or =true/=false), got '2'");
}

TEST(ScanArgs, PositionalsHelpAndDoubleDash) {
  const char* argv[] = {"tool", "a", "--help", "--", "--n=1"};
  absl::StatusOr<ScannedArgs> s = ScanArgs(
      5, argv, [](std::string_view name) { return FindFlag<ToolOptions>(kToolFlags, name); });
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_TRUE(s->help);
  EXPECT_TRUE(s->flags.empty());
  EXPECT_EQ(s->positional, (std::vector<std::string>{"a", "--n=1"}));
}

}  // namespace
}  // namespace schedfuzz::repro
