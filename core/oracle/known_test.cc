#include "core/oracle/known.h"

#include <string>

#include "gtest/gtest.h"

#include "core/runtime/variant.h"

namespace schedfuzz::oracle {
namespace {

Verdict ValidatorVerdict(const std::string& msg) {
  Verdict v;
  v.violation = true;
  v.oracle = "validator";
  v.message = msg;
  return v;
}

constexpr rt::Release kGo122 = rt::Release::kGo122;
constexpr rt::Release kGo127 = rt::Release::kGo127;

void Hit(CanaryHits* stats, Canary c, int64_t goid, int proc = -1) {
  CanaryHit& h = (*stats)[c];
  h.reached = h.triggered = true;
  if (goid > 0) h.goids.set(goid);
  if (proc >= 0) h.procs |= 1u << proc;
}

TEST(Attribute, NamesTheCanaryOfTheGoroutineInTheMessage) {
  CanaryHits stats;
  Hit(&stats, kCanaryGo70883, 3);
  const KnownFinding* k = Attribute(
      ValidatorVerdict("inconsistent status for goroutine 3: old Runnable vs. new Waiting"), stats,
      kGo122);
  ASSERT_NE(k, nullptr);
  EXPECT_STREQ(k->id, "go70883");
  EXPECT_EQ(Attribute(ValidatorVerdict(
                          "inconsistent status for goroutine 4: old Runnable vs. new Waiting"),
                      stats, kGo122),
            nullptr);
}

// A P-less injectglist hands a whole list over outside the critical
// section; the validator may complain about any goroutine on it, not just
// the first few (a campaign on `fixed` reported goroutine 35 of such a list
// as a new finding while the canary remembered only eight goroutines).
TEST(Attribute, EveryGoroutineOfALongListCounts) {
  CanaryHits stats;
  for (int64_t g = 1; g <= 40; ++g) Hit(&stats, kCanaryStartTracePless, g);
  const KnownFinding* k = Attribute(
      ValidatorVerdict("inconsistent status for goroutine 35: old Waiting vs. new Runnable"), stats,
      kGo122);
  ASSERT_NE(k, nullptr);
  EXPECT_STREQ(k->id, "starttrace-pless-injectglist");
  EXPECT_TRUE(k->quiet);
}

TEST(Attribute, FrontierEventNamesTheProc) {
  CanaryHits stats;
  Hit(&stats, kCanaryStopTraceStraggler, 0, /*proc=*/1);
  const std::string msg =
      "broken trace: failed to advance: frontier:\n[gen=2]\n\nM 4 [ProcSteal time=9326 p=1 "
      "p_seq=29 "
      "m=18446744073709551615]\n";
  const KnownFinding* k = Attribute(ValidatorVerdict(msg), stats, kGo122);
  ASSERT_NE(k, nullptr);
  EXPECT_STREQ(k->id, "stoptrace-straggler");
}

// A canary of a Go 1.22 ordering never claims a verdict on Go 1.27, whose
// code does not have that ordering; the P-less injectglist is in both.
TEST(Attribute, OnlyFindingsOfTheRunsRelease) {
  CanaryHits stats;
  Hit(&stats, kCanaryStopTraceStraggler, 0, /*proc=*/1);
  Hit(&stats, kCanaryStartTracePless, 2);
  const std::string frontier =
      "broken trace: failed to advance: frontier:\n[gen=2]\n\nM 4 [ProcSteal time=9326 p=1 "
      "p_seq=29 m=18446744073709551615]\n";
  EXPECT_EQ(Attribute(ValidatorVerdict(frontier), stats, kGo127), nullptr);
  ASSERT_NE(Attribute(ValidatorVerdict(frontier), stats, kGo122), nullptr);
  const KnownFinding* k = Attribute(
      ValidatorVerdict("inconsistent status for goroutine 2: old Waiting vs. new Runnable"), stats,
      kGo127);
  ASSERT_NE(k, nullptr);
  EXPECT_STREQ(k->id, "starttrace-pless-injectglist");
}

TEST(Attribute, NoCanaryNoAttribution) {
  CanaryHits stats;
  EXPECT_EQ(Attribute(ValidatorVerdict(
                          "inconsistent status for goroutine 1: old Waiting vs. new Runnable"),
                      stats, kGo122),
            nullptr);
  Verdict ok;
  EXPECT_EQ(Attribute(ok, stats, kGo122), nullptr);
}

// A finding is loud exactly when it belongs to a historical variant (one of
// the same name that is not the default): the fixed code's are quiet.
TEST(KnownFindings, FirstErrorsMatchWithDigitsMasked) {
  const KnownFinding* pless = FindKnown("starttrace-pless-injectglist");
  ASSERT_NE(pless, nullptr);
  EXPECT_TRUE(MatchesFirstError(
      *pless, "inconsistent status for goroutine 17: old Waiting vs. new Runnable\nmore"));
  EXPECT_FALSE(MatchesFirstError(
      *pless, "inconsistent status for goroutine 17: old Runnable vs. new Waiting"));
  // A prediction ending in ':' is a prefix: the frontier dump follows it.
  const KnownFinding* straggler = FindKnown("gen-straggler");
  ASSERT_NE(straggler, nullptr);
  EXPECT_TRUE(MatchesFirstError(*straggler, "broken trace: failed to advance: frontier:\n[gen=2]"));
  // Other predictions must match the whole line, not a prefix of it.
  const KnownFinding* noproc = FindKnown("starttrace-exitsyscallfast");
  ASSERT_NE(noproc, nullptr);
  EXPECT_FALSE(MatchesFirstError(*noproc, "expected a proc but didn't have one, or more"));
}

TEST(KnownFindings, IdsAreUniqueAndOnlyVariantFindingsAreLoud) {
  for (const KnownFinding& a : KnownFindings()) {
    int same = 0;
    for (const KnownFinding& b : KnownFindings()) same += std::string(a.id) == b.id;
    EXPECT_EQ(same, 1) << a.id;
    const rt::Variant* v = rt::FindVariant(a.id);
    EXPECT_EQ(a.quiet, v == nullptr || v == &rt::DefaultVariant()) << a.id;
    EXPECT_STREQ(a.id, CanaryName(a.canary));
    EXPECT_EQ(FindKnown(a.id), &a);
  }
  EXPECT_EQ(FindKnown("go7088"), nullptr);
  EXPECT_EQ(FindKnown(""), nullptr);
}

}  // namespace
}  // namespace schedfuzz::oracle
