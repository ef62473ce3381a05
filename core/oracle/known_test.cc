#include "core/oracle/known.h"

#include <string>

#include "gtest/gtest.h"

#include "core/runtime/variant.h"

namespace schedfuzz::oracle {
namespace {

// A verdict about one object: goroutine goid (0: none), P p, M m, at `step`.
Verdict About(const char* oracle, int64_t goid, int64_t p, int64_t m, uint64_t step,
              const std::string& msg = "") {
  Verdict v;
  v.violation = true;
  v.oracle = oracle;
  v.message = msg;
  v.m_acted = std::string(oracle) == "discipline";
  Culprit c;
  c.goid = goid;
  c.p = p;
  c.m = m;
  c.step = step;
  v.AddCulprit(c);
  return v;
}

constexpr rt::Release kGo122 = rt::Release::kGo122;
constexpr rt::Release kGo127 = rt::Release::kGo127;

void Trig(CanaryLog* log, Canary c, CanarySite site, int64_t goid, int64_t p, int64_t m,
          uint64_t step) {
  log->t[log->n++] =
      CanaryTrigger{.canary = c, .site = site, .goid = goid, .p = p, .m = m, .step = step};
}

TEST(Attribute, TheTriggersGoroutineNotAnother) {
  CanaryLog log;
  Trig(&log, kCanaryGo70883, CanarySite::kTraceReleaseStillWaiting, 3, -1, 2, 40);
  const KnownFinding* k = Attribute(About("validator", 3, -1, 1, 90), log, kGo122);
  ASSERT_NE(k, nullptr);
  EXPECT_STREQ(k->id, "go70883");
  EXPECT_EQ(Attribute(About("validator", 4, -1, 1, 90), log, kGo122), nullptr);
}

// The message is never read: only the culprits count.
TEST(Attribute, NotFromTheMessage) {
  CanaryLog log;
  Trig(&log, kCanaryGo70883, CanarySite::kTraceReleaseStillWaiting, 3, -1, 2, 40);
  EXPECT_EQ(Attribute(About("validator", 4, -1, 1, 90,
                            "inconsistent status for goroutine 3: old Runnable vs. new Waiting"),
                      log, kGo122),
            nullptr);
  Verdict none;
  none.violation = true;
  none.message = "inconsistent status for goroutine 3: old Runnable vs. new Waiting";
  EXPECT_EQ(Attribute(none, log, kGo122), nullptr);
}

// A trigger after the act (for the validator: after the offending event was
// written) cannot have caused it.
TEST(Attribute, OnlyTriggersAtOrBeforeTheAct) {
  CanaryLog log;
  Trig(&log, kCanaryGo70883, CanarySite::kTraceReleaseStillWaiting, 3, -1, 2, 40);
  EXPECT_NE(Attribute(About("discipline", 3, -1, 2, 40), log, kGo122), nullptr);
  EXPECT_EQ(Attribute(About("discipline", 3, -1, 2, 39), log, kGo122), nullptr);
}

// Go issue 38794 re-created: sysmon's injectglist changes goroutine 5 with no
// lock, and a P-less scheduler M's injectglist handed goroutine 5 over earlier
// too. The D1 on sysmon is sysmon's finding, not the P-less M's: for a
// discipline verdict the M that acted must be the trigger's.
TEST(Attribute, DisciplineVerdictNeedsTheSameM) {
  CanaryLog log;
  Trig(&log, kCanaryStartTracePless, CanarySite::kInjectglistPlessAcrossStart, 5, -1, 2, 10);
  const Verdict on_sysmon = About("discipline", 5, -1, /*m=*/4, 50);
  EXPECT_EQ(Attribute(on_sysmon, log, kGo122), nullptr);
  Trig(&log, kCanarySysmonNoLock, CanarySite::kInjectglistSysmonNoLock, 5, -1, 4, 50);
  const KnownFinding* k = Attribute(on_sysmon, log, kGo122);
  ASSERT_NE(k, nullptr);
  EXPECT_STREQ(k->id, "go38794");
  // The validator's M is the writer of the offending event, not the actor:
  // both orderings touched goroutine 5, and the later one (sysmon's) set up
  // the status the parser saw.
  k = Attribute(About("validator", 5, 0, /*m=*/1, 80), log, kGo122);
  ASSERT_NE(k, nullptr);
  EXPECT_STREQ(k->id, "go38794");
  k = Attribute(About("validator", 5, 0, /*m=*/1, 30), log, kGo122);
  ASSERT_NE(k, nullptr);
  EXPECT_STREQ(k->id, "starttrace-pless-injectglist");
}

// starttrace-exitsyscallfast: goroutine 2's M took P 0 back with no event;
// goroutine 4's GoSyscallEndBlocked then waits for a steal of P 0 that the
// trace never shows. The P links the two goroutines.
TEST(Attribute, APLinksTwoGoroutines) {
  CanaryLog log;
  Trig(&log, kCanaryStartTraceExitsyscallfast, CanarySite::kExitsyscallfastAcrossStart, 2, 0, 1,
       300);
  const KnownFinding* k = Attribute(About("validator", 4, 0, 3, 733), log, kGo122);
  ASSERT_NE(k, nullptr);
  EXPECT_STREQ(k->id, "starttrace-exitsyscallfast");
  // Neither goroutine nor P shared: not its doing.
  EXPECT_EQ(Attribute(About("validator", 4, 1, 3, 733), log, kGo122), nullptr);
}

// A canary triggering at a site its finding does not name attributes
// nothing.
TEST(Attribute, OnlyAtASiteTheFindingNames) {
  CanaryLog log;
  Trig(&log, kCanaryGo70883, CanarySite::kStragglerGoStart, 3, -1, 2, 40);
  EXPECT_EQ(Attribute(About("validator", 3, -1, 1, 90), log, kGo122), nullptr);
}

// A P the verdict names must be the trigger's; one P alone is enough.
TEST(Attribute, ByProc) {
  CanaryLog log;
  Trig(&log, kCanaryStopTraceStraggler, CanarySite::kProcStealAfterStopTrace, 0, 1, 3, 70);
  const KnownFinding* k = Attribute(About("validator", 0, 1, 4, 71), log, kGo122);
  ASSERT_NE(k, nullptr);
  EXPECT_STREQ(k->id, "stoptrace-straggler");
  EXPECT_EQ(Attribute(About("validator", 0, 0, 4, 71), log, kGo122), nullptr);
  EXPECT_EQ(Attribute(About("validator", 2, 0, 4, 71), log, kGo122), nullptr);
}

// A canary of a Go 1.22 ordering never claims a verdict on Go 1.27, whose
// code does not have that ordering; the P-less injectglist is in both.
TEST(Attribute, OnlyFindingsOfTheRunsRelease) {
  CanaryLog log;
  Trig(&log, kCanaryStopTraceStraggler, CanarySite::kProcStealAfterStopTrace, 0, 1, 3, 70);
  Trig(&log, kCanaryStartTracePless, CanarySite::kInjectglistPlessAcrossStart, 2, -1, 2, 10);
  EXPECT_EQ(Attribute(About("validator", 0, 1, 4, 80), log, kGo127), nullptr);
  EXPECT_NE(Attribute(About("validator", 0, 1, 4, 80), log, kGo122), nullptr);
  const KnownFinding* k = Attribute(About("validator", 2, 0, 1, 80), log, kGo127);
  ASSERT_NE(k, nullptr);
  EXPECT_STREQ(k->id, "starttrace-pless-injectglist");
}

TEST(Attribute, NoTriggerNoAttribution) {
  CanaryLog log;
  EXPECT_EQ(Attribute(About("validator", 1, 0, 1, 80), log, kGo122), nullptr);
  Verdict ok;
  EXPECT_EQ(Attribute(ok, log, kGo122), nullptr);
}

TEST(KnownFindings, EveryFindingNamesItsSites) {
  for (const KnownFinding& k : KnownFindings()) {
    EXPECT_NE(k.sites, 0u) << k.id << " has no SF_KNOWN_SITES line";
    EXPECT_FALSE(k.Names(CanarySite::kNone)) << k.id;
  }
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
    // A variant's finding is loud, unless a release as shipped has its code
    // too: go63555's variant takes Go 1.27's fix out, and go1.22.x (Go 1.22's
    // default, fixed) never had it.
    const bool in_a_default = std::string(a.id) == "go63555";
    EXPECT_EQ(a.quiet, v == nullptr || v == &rt::DefaultVariant() || in_a_default) << a.id;
    EXPECT_STREQ(a.id, CanaryName(a.canary));
    EXPECT_EQ(FindKnown(a.id), &a);
  }
  EXPECT_EQ(FindKnown("go7088"), nullptr);
  EXPECT_EQ(FindKnown(""), nullptr);
}

}  // namespace
}  // namespace schedfuzz::oracle
