#include "core/scenario/text.h"

#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "core/scenario/codec.h"

namespace schedfuzz::scenario {
namespace {

using Bytes = std::vector<uint8_t>;

constexpr char kDefaultText[] =
    "schedfuzz scenario v1\n"
    "procs 2\n"
    "ms 3\n"
    "runq 256\n"
    "sysmon on rounds 4\n"
    "fds 2\n"
    "program 0: work 1\n"
    "program 1: work 4; gosched; work 4; yield; work 4\n"
    "g 1 parked fd 0 program 0\n"
    "g 2 parked fd 1 program 0\n"
    "g 3 runnable program 1\n"
    "g 4 runnable program 1\n"
    "batch fds 0 1 via any delay 2\n"
    "tracer start delay 0; advance delay 4; advance delay 4; stop delay 4\n";

Scenario Parsed(std::string_view text) {
  const absl::StatusOr<Scenario> s = ParseText(text);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.value_or(Scenario{});
}

std::string ParseError(std::string_view text) {
  const absl::StatusOr<Scenario> s = ParseText(text);
  EXPECT_FALSE(s.ok()) << text;
  return std::string(s.status().message());
}

// Normalized scenarios from random bytes (every mask bit pattern occurs).
Scenario RandomScenario(std::mt19937* rng) {
  Bytes b(1 + (*rng)() % 500);
  for (uint8_t& x : b) x = (*rng)() % 3 ? (*rng)() & 0xff : (*rng)() % 8;
  Scenario s;
  Decode(b, &s);
  return s;
}

TEST(TextTest, PrintsTheDefaultScenario) {
  EXPECT_EQ(PrintText(DefaultScenario()), kDefaultText);
  EXPECT_EQ(Parsed(kDefaultText), DefaultScenario());
}

// The example in docs/format.md section 4.
TEST(TextTest, WorkedExampleFromFormatDoc) {
  const Bytes bytes = {0x01, 0x03, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x0a, 0x1b, 0xff, 0x01, 0x00,
                       0x02, 0x03, 0x01, 0x01, 0x02, 0x02, 0x05, 0x01, 0x00, 0x00, 0x03};
  const char* text =
      "schedfuzz scenario v1\n"
      "procs 2\n"
      "ms 3\n"
      "runq 256\n"
      "sysmon off\n"
      "fds 2\n"
      "program 0: work 1\n"
      "program 1: work 4; gosched; work 4; yield; work 4\n"
      "g 1 parked fd 0 program 0\n"
      "g 2 parked fd 1 program 0\n"
      "g 3 runnable program 1\n"
      "g 4 runnable program 1\n"
      "batch fds 0 1 via findrunnable delay 3\n"
      "tracer start delay 0; advance delay 5; stop delay 2\n"
      "schedule 0a 1b ff\n";
  Scenario s;
  Decode(bytes, &s);
  EXPECT_EQ(PrintText(s), text);
  EXPECT_EQ(Encode(Parsed(text)), bytes);
}

TEST(TextTest, RoundTrip) {
  std::mt19937 rng(11);
  for (int i = 0; i < 2000; ++i) {
    const Scenario s = RandomScenario(&rng);
    const std::string text = PrintText(s);
    const absl::StatusOr<Scenario> back = ParseText(text);
    ASSERT_TRUE(back.ok()) << back.status() << "\n" << text;
    ASSERT_EQ(*back, s) << text;
    ASSERT_TRUE(IsNormalized(*back));
  }
}

TEST(TextTest, PrintNormalizes) {
  Scenario x;
  x.nprocs = 9;
  x.runq_size = 3;
  x.programs = {};
  Scenario n = x;
  Normalize(&n);
  EXPECT_EQ(Parsed(PrintText(x)), n);
}

TEST(TextTest, HandWrittenTextAndItsCanonicalForm) {
  const char* text = R"(
# A hand-written scenario: comments, blank lines, any order for scalars,
# optional "via"/"delay"/"program"/"rounds", and schedules over several lines.

schedfuzz scenario v1   # header
fds 3
procs 3                 # ms defaults to procs + 1
sysmon on
program 0: parkfd 2; exit;
program 1:
program 2 : go 0 ; readychan 3;work 0
g 1 parked fd 2 program 2
g 2 parked chan 1
g 3 runnable program 1
batch fds 2 0 delay 7 via sysmon
batch fds none
tracer start
tracer advance delay 9; stop delay 1
schedule 00 01 0a
schedule FF1b2C
schedule
)";
  const Scenario s = Parsed(text);
  EXPECT_EQ(s.nprocs, 3);
  EXPECT_EQ(s.nms, 4);
  EXPECT_EQ(s.schedule, (Bytes{0x00, 0x01, 0x0a, 0xff, 0x1b, 0x2c}));
  EXPECT_TRUE(IsNormalized(s));
  const char* canonical =
      "schedfuzz scenario v1\n"
      "procs 3\n"
      "ms 4\n"
      "runq 256\n"
      "sysmon on rounds 4\n"
      "fds 3\n"
      "program 0: parkfd 2; exit\n"
      "program 1:\n"
      "program 2: go 0; readychan 3; work 0\n"
      "g 1 parked fd 2 program 2\n"
      "g 2 parked chan 1 program 0\n"
      "g 3 runnable program 1\n"
      "batch fds 2 0 via sysmon delay 7\n"
      "batch fds none via any delay 0\n"
      "tracer start delay 0; advance delay 9; stop delay 1\n"
      "schedule 00 01 0a ff 1b 2c\n";
  EXPECT_EQ(PrintText(s), canonical);
  EXPECT_EQ(Parsed(canonical), s);
}

TEST(TextTest, MinimalTextUsesDefaults) {
  const Scenario s = Parsed("schedfuzz scenario v1\n");
  EXPECT_EQ(s.nprocs, 2);
  EXPECT_EQ(s.nms, 3);
  EXPECT_EQ(s.runq_size, 256);
  EXPECT_TRUE(s.sysmon);
  EXPECT_EQ(s.sysmon_rounds, 4);
  EXPECT_EQ(s.nfds, 2);
  EXPECT_EQ(s.programs, (std::vector<std::vector<Op>>{{}}));
  EXPECT_TRUE(s.goroutines.empty());
  EXPECT_TRUE(s.batches.empty());
  EXPECT_TRUE(s.tracer.empty());
  EXPECT_TRUE(s.schedule.empty());
}

TEST(TextTest, ScheduleWrapsAt32BytesPerLine) {
  Scenario s = DefaultScenario();
  for (int i = 0; i < 70; ++i) s.schedule.push_back(i);
  const std::string text = PrintText(s);
  size_t lines = 0;
  for (size_t p = text.find("schedule "); p != std::string::npos;
       p = text.find("schedule ", p + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, 3u);
  EXPECT_EQ(Parsed(text), s);
}

// A PCT-form schedule (byte format version 3) says so on a line of its own;
// a byte-form one prints no such line, so earlier texts print as before.
TEST(TextTest, PctScheduleForm) {
  Scenario s = DefaultScenario();
  s.schedule = {0x0a, 0xff, 0x03};
  EXPECT_EQ(PrintText(s).find("schedule-form"), std::string::npos);
  s.pct_schedule = true;
  const std::string text = PrintText(s);
  EXPECT_NE(text.find("schedule-form pct\nschedule 0a ff 03\n"), std::string::npos) << text;
  EXPECT_EQ(Parsed(text), s);
  EXPECT_EQ(Encode(Parsed(text))[0], kFormatVersionPct);
  EXPECT_FALSE(Parsed(std::string(kDefaultText) + "schedule-form bytes\n").pct_schedule);
}

TEST(TextTest, EveryValueHasADistinctName) {
  std::set<std::string_view> ops, paths, tracer;
  for (int k = 0; k < kNumOpKinds; ++k) {
    ops.insert(OpKindName(static_cast<OpKind>(k)));
  }
  for (int p = 0; p < kNumPollPaths; ++p) {
    paths.insert(PollPathName(static_cast<PollPath>(p)));
  }
  for (int k = 0; k < 3; ++k) {
    tracer.insert(TracerOpKindName(static_cast<TracerOpKind>(k)));
  }
  EXPECT_EQ(ops.size(), static_cast<size_t>(kNumOpKinds));
  EXPECT_EQ(paths.size(), static_cast<size_t>(kNumPollPaths));
  EXPECT_EQ(tracer.size(), 3u);
  EXPECT_FALSE(ops.count(""));
  EXPECT_FALSE(paths.count(""));
  EXPECT_FALSE(tracer.count(""));
  EXPECT_EQ(OpKindName(static_cast<OpKind>(200)), "");
}

TEST(TextTest, ErrorIsInvalidArgumentWithOneLine) {
  const absl::StatusOr<Scenario> s = ParseText("schedfuzz scenario v1\nprocs 9\n");
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.status().message(), "line 2: procs 9 out of range (1..4)");
}

struct ErrorCase {
  const char* body;  // after the header line (line 1)
  const char* error;
};

TEST(TextTest, ErrorMessages) {
  const ErrorCase cases[] = {
      {"procs 5", "line 2: procs 5 out of range (1..4)"},
      {"procs", "line 2: procs needs a number (1..4)"},
      {"procs two", "line 2: expected a number after procs, got \"two\""},
      {"procs -1", "line 2: expected a number after procs, got \"-1\""},
      {"procs +1", "line 2: expected a number after procs, got \"+1\""},
      {"procs 0x1", "line 2: expected a number after procs, got \"0x1\""},
      {"fds 1000000000", "line 2: expected a number after fds, got \"1000000000\""},
      {"procs 2 3", "line 2: unexpected \"3\""},
      {"procs 2\nprocs 3", "line 3: duplicate \"procs\" (first on line 2)"},
      {"ms 9", "line 2: ms 9 out of range (1..8)"},
      {"ms 2\nprocs 3", "line 2: ms 2 is less than procs 3"},
      {"runq 100", "line 2: runq 100 is not a power of two in 2..256"},
      {"runq 512", "line 2: runq 512 is not a power of two in 2..256"},
      {"sysmon maybe", "line 2: expected \"on\" or \"off\" after sysmon, got \"maybe\""},
      {"sysmon", "line 2: expected \"on\" or \"off\" after sysmon, got end of line"},
      {"sysmon on rounds 0",
       "line 2: sysmon rounds 0 out of range (1..16; \"sysmon off\" disables "
       "it)"},
      {"sysmon off rounds 3", "line 2: unexpected \"rounds\""},
      {"fds 0", "line 2: fds 0 out of range (1..64)"},
      {"fds 65", "line 2: fds 65 out of range (1..64)"},
      {"bogus 1",
       "line 2: unknown keyword \"bogus\" (keywords: procs, ms, runq, sysmon, "
       "fds, program, g, batch, tracer, schedule, schedule-form)"},
      {"schedule-form seed",
       "line 2: expected \"bytes\" or \"pct\" after schedule-form, got \"seed\""},
      {"schedule-form pct\nschedule-form pct",
       "line 3: duplicate \"schedule-form\" (first on line 2)"},
      {"program 0: work 2; prk 0; exit",
       "line 2: unknown op \"prk\" (ops: work, parkfd, parkchan, readychan, "
       "go, gosched, yield, syscall, syscallblock, exit, gc)"},
      {"program 1: exit",
       "line 2: expected program 0, got program 1 (programs are numbered 0, "
       "1, ... in order)"},
      {"program 0 exit", "line 2: expected \":\" after program 0"},
      {"program 0: work", "line 2: work needs a number (0..31)"},
      {"program 0: work; exit", "line 2: work needs a number (0..31)"},
      {"program 0: work 32", "line 2: work 32 out of range (0..31)"},
      {"program 0: syscallblock 99", "line 2: syscallblock 99 out of range (0..31)"},
      {"program 0: parkchan 4", "line 2: parkchan 4 out of range (0..3)"},
      {"program 0: exit 1", "line 2: op exit takes no argument"},
      {"program 0: work 1 exit",
       "line 2: unexpected \"exit\" after op work (separate ops with \";\")"},
      {"program 0: work 1; work 1; work 1; work 1; work 1; work 1; work 1; "
       "work 1; work 1; work 1; work 1; work 1; work 1; work 1; work 1; work "
       "1; work 1",
       "line 2: program 0 has more than 16 ops"},
      {"program 0: parkfd 2", "line 2: fd 2 out of range (fds 2: 0..1)"},
      {"program 0: go 1", "line 2: program 1 is not defined (programs: 0..0)"},
      {"program 0:\nprogram 1:\nprogram 2:\nprogram 3:\nprogram 4:\nprogram "
       "5:\nprogram 6:\nprogram 7:\nprogram 8:",
       "line 10: too many programs (at most 8)"},
      {"g 2 runnable",
       "line 2: expected g 1, got g 2 (goroutines are numbered 1, 2, ... in "
       "order)"},
      {"g 1",
       "line 2: expected a goroutine state (runnable, parked fd N, parked "
       "chan N), got end of line"},
      {"g 1 sleeping",
       "line 2: expected a goroutine state (runnable, parked fd N, parked "
       "chan N), got \"sleeping\""},
      {"g 1 parked on 3", "line 2: expected \"fd\" or \"chan\" after \"parked\", got \"on\""},
      {"g 1 parked fd 0\ng 2 parked fd 0",
       "line 3: fd 0 already has a parked goroutine (g 1); a descriptor has "
       "one waiter"},
      {"g 1 parked fd 5\nfds 4", "line 2: fd 5 out of range (fds 4: 0..3)"},
      {"g 1 parked chan 4", "line 2: chan 4 out of range (0..3)"},
      {"g 1 runnable program 2\nprogram 0:\nprogram 1:",
       "line 2: program 2 is not defined (programs: 0..1)"},
      {"g 1 runnable program", "line 2: program needs a number"},
      {"batch 0 1", "line 2: expected \"fds\" after batch, got \"0\""},
      {"batch fds",
       "line 2: expected fd numbers or \"none\" after \"batch fds\", got end "
       "of line"},
      {"batch fds 0 0", "line 2: fd 0 listed twice in one batch"},
      {"batch fds 0 via poller",
       "line 2: unknown poll path \"poller\" (paths: any, findrunnable, "
       "findrunnable-block, sysmon, starttheworld)"},
      {"batch fds 0 delay 256", "line 2: delay 256 out of range (0..255)"},
      {"batch fds 0 via any via sysmon", "line 2: unexpected \"via\" in batch"},
      {"batch fds 1\nbatch fds 7\nfds 2", "line 3: fd 7 out of range (fds 2: 0..1)"},
      {"tracer", "line 2: tracer needs ops (start, advance, stop)"},
      {"tracer start; pause",
       "line 2: unknown tracer op \"pause\" (tracer ops: start, advance, "
       "stop)"},
      {"tracer start 3",
       "line 2: unexpected \"3\" after tracer op start (separate ops with "
       "\";\")"},
      {"tracer start; advance; advance; advance; advance; advance\n"
       "tracer advance; advance; advance; advance; advance; advance; stop",
       "line 3: too many tracer ops (at most 12)"},
      {"schedule 0a 1",
       "line 2: bad schedule byte \"1\" (expected hex bytes "
       "such as 0a ff)"},
      {"schedule 0g", "line 2: bad schedule byte \"0g\" (expected hex bytes such as 0a ff)"},
      {"schedule +a", "line 2: bad schedule byte \"+a\" (expected hex bytes such as 0a ff)"},
      {"schedule 0x", "line 2: bad schedule byte \"0x\" (expected hex bytes such as 0a ff)"},
  };
  for (const ErrorCase& c : cases) {
    EXPECT_EQ(ParseError(std::string("schedfuzz scenario v1\n") + c.body), c.error) << c.body;
  }
}

TEST(TextTest, FdOutOfRangeIsReportedAtItsLine) {
  // Line 2 refers to fd 1 (fine with fds 2), line 3 to fd 7.
  EXPECT_EQ(ParseError("schedfuzz scenario v1\nbatch fds 1\nbatch fds 7\n"),
            "line 3: fd 7 out of range (fds 2: 0..1)");
}

TEST(TextTest, TooManyGoroutines) {
  std::string text = "schedfuzz scenario v1\n";
  for (int i = 1; i <= kMaxGoroutines + 1; ++i) {
    text += "g " + std::to_string(i) + " runnable\n";
  }
  EXPECT_EQ(ParseError(text), "line 66: too many goroutines (at most 64)");
}

TEST(TextTest, TooManyBatches) {
  std::string text = "schedfuzz scenario v1\n";
  for (int i = 0; i <= kMaxBatches; ++i) text += "batch fds none\n";
  EXPECT_EQ(ParseError(text), "line 10: too many batches (at most 8)");
}

TEST(TextTest, NumbersAndHexBytes) {
  const Scenario s =
      Parsed("schedfuzz scenario v1\nprocs 003\nfds 000000064\nschedule AB 0f\nschedule 7fFe\n");
  EXPECT_EQ(s.nprocs, 3);
  EXPECT_EQ(s.nfds, 64);
  EXPECT_EQ(s.schedule, (std::vector<uint8_t>{0xab, 0x0f, 0x7f, 0xfe}));
}

TEST(TextTest, HeaderErrors) {
  EXPECT_EQ(ParseError(""), "line 1: expected \"schedfuzz scenario v1\", got end of text");
  EXPECT_EQ(ParseError("\n"), "line 1: expected \"schedfuzz scenario v1\", got end of text");
  EXPECT_EQ(ParseError("\n\n"), "line 2: expected \"schedfuzz scenario v1\", got end of text");
  EXPECT_EQ(ParseError("# only a comment\n\n"),
            "line 2: expected \"schedfuzz scenario v1\", got end of text");
  EXPECT_EQ(ParseError("procs 2\n"),
            "line 1: expected \"schedfuzz scenario v1\" first, got \"procs\"");
  EXPECT_EQ(ParseError("\n# comment\nschedfuzz scenario v2\n"),
            "line 3: unknown text format version 2 (this build reads version "
            "1)");
}

TEST(TextTest, CrLfLineEndings) {
  EXPECT_EQ(Parsed("schedfuzz scenario v1\r\nprocs 3\r\nms 3\r\n").nprocs, 3);
}

}  // namespace
}  // namespace schedfuzz::scenario
