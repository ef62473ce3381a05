#include "core/tracefmt/gotext.h"

#include <string>

#include "gtest/gtest.h"

#include "core/tracefmt/trace.h"
#include "core/tracefmt/wire.h"

namespace schedfuzz::tracefmt {
namespace {

// A test case in the form of Go's go122 parser tests.
constexpr std::string_view kCase = R"(-- expect --
FAILURE ".*expected a proc but didn't have one.*"
-- trace --
Trace Go1.22
EventBatch gen=1 m=0 time=0 size=9
GoStatus dt=1 g=1 m=0 gstatus=2
GoBlock dt=1 reason_string=1 stack=2
EventBatch gen=1 m=18446744073709551615 time=0 size=5
Frequency freq=15625000
EventBatch gen=1 m=18446744073709551615 time=0 size=8
Stacks
Stack id=2 nframes=1
	pc=4 func=1 file=1 line=5
EventBatch gen=1 m=18446744073709551615 time=0 size=8
Strings
String id=1
	data="a\tb\x41"
)";

TEST(GoTestCaseTest, ReadsExpectationAndTrace) {
  absl::StatusOr<GoTestCase> tc = ParseGoTestCase(kCase);
  ASSERT_TRUE(tc.ok()) << tc.status();
  EXPECT_FALSE(tc->want_ok);
  EXPECT_EQ(tc->want_error, ".*expected a proc but didn't have one.*");
  EXPECT_TRUE(tc->trace_text.starts_with("Trace Go1.22\n"));
  EXPECT_FALSE(ParseGoTestCase("-- expect --\nMAYBE\n-- trace --\n").ok());
  EXPECT_FALSE(ParseGoTestCase("-- expect --\nSUCCESS\n").ok());
}

TEST(GoTextToWireTest, EncodesEveryKindOfLine) {
  absl::StatusOr<GoTestCase> tc = ParseGoTestCase(kCase);
  ASSERT_TRUE(tc.ok());
  absl::StatusOr<std::string> wire = GoTextToWire(tc->trace_text);
  ASSERT_TRUE(wire.ok()) << wire.status();
  Trace t;
  ASSERT_EQ(ReadWire(*wire, &t).message(), "");
  ASSERT_EQ(t.size(), 4u);
  ASSERT_EQ(t[0].events.size(), 2u);
  EXPECT_EQ(t[0].events[1].type, EvType::kGoBlock);
  EXPECT_EQ(t[0].events[1].ts, 2u);
  EXPECT_EQ(t[0].events[1].args[1], 2u);
  EXPECT_EQ(t[1].freq, 15625000u);
  ASSERT_EQ(t[2].stacks.size(), 1u);
  EXPECT_EQ(t[2].stacks[0].frames[0], (StackFrame{4, 1, 1, 5}));
  ASSERT_EQ(t[3].strings.size(), 1u);
  EXPECT_EQ(t[3].strings[0].value, "a\tbA");
}

TEST(GoTextToWireTest, KeepsTheSizesTheTextGives) {
  // A wrong size is the test case's business: it reaches the parser.
  absl::StatusOr<std::string> wire =
      GoTextToWire("Trace Go1.22\nEventBatch gen=1 m=0 time=0 size=9\nProcStop dt=1\n");
  ASSERT_TRUE(wire.ok());
  Trace t;
  EXPECT_EQ(ReadWire(*wire, &t).message(), "failed to read full batch: read 2 but wanted 9");
}

TEST(GoTextToWireTest, RejectsWhatIsNotGosTextForm) {
  EXPECT_EQ(GoTextToWire("Trace Go1.21\n").status().message(), "line 1: want `Trace Go1.22`");
  EXPECT_EQ(GoTextToWire("Trace Go1.22\nGoFly dt=1\n").status().message(),
            "line 2: unknown event GoFly");
  EXPECT_EQ(GoTextToWire("Trace Go1.22\nGoStart dt=1 g=2\n").status().message(),
            "line 2: want 3 arguments, got 2");
  EXPECT_EQ(GoTextToWire("Trace Go1.22\nGoStart dt=1 g_seq=2 g=1\n").status().message(),
            "line 2: want g=<number>, got g_seq=2");
  EXPECT_FALSE(GoTextToWire("Trace Go1.22\nString id=1\n").ok());
  EXPECT_FALSE(GoTextToWire("Trace Go1.22\nString id=1\ndata=\"\\q\"\n").ok());
  EXPECT_FALSE(
      GoTextToWire("Trace Go1.22\nStack id=1 nframes=2\npc=1 func=1 file=1 line=1\n").ok());
}

}  // namespace
}  // namespace schedfuzz::tracefmt
