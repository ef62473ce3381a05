// Tests of `schedfuzz triage`: the identity of a finding, and raw crash files
// grouped by it with their counts, in text and JSON.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "core/oracle/known.h"
#include "core/scenario/codec.h"
#include "repro/cli.h"
#include "repro/cli_testing.h"
#include "repro/input.h"
#include "repro/triage.h"

#ifndef SF_CASES_DIR
#error "SF_CASES_DIR must name repro/cases"
#endif

namespace schedfuzz::repro {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

const std::string kCases = SF_CASES_DIR;
const std::string kWitness = kCases + "/go70883-two-advance.txt";
const std::string kClean = kCases + "/clean-syscalls.txt";

TEST(FindingIdentity, KnownFindingIsItsId) {
  scenario::Outcome out;
  out.verdict.violation = true;
  out.verdict.oracle = "validator";
  out.verdict.check = "inconsistent-status";
  out.verdict.message = "inconsistent status for goroutine 1: old Runnable vs. new Waiting";
  out.known = oracle::FindKnown("go70883");
  ASSERT_NE(out.known, nullptr);
  EXPECT_EQ(FindingIdentity(out), "go70883");
}

// A new discipline finding is oracle, check and code site: the M (sysmon,
// M1, the tracer), goroutine and step it happened on do not split it.
TEST(FindingIdentity, NewFindingIsOracleCheckAndSite) {
  scenario::Outcome a, b;
  for (scenario::Outcome* o : {&a, &b}) {
    o->verdict.violation = true;
    o->verdict.oracle = "discipline";
    o->verdict.check = "D1";
    o->verdict.site = "injectglist: casgstatus";
  }
  a.verdict.message = "D1: goroutine 12 changed at \"injectglist: casgstatus\" on sysmon";
  b.verdict.message = "D1: goroutine 7 changed at \"injectglist: casgstatus\" on M1";
  EXPECT_EQ(FindingIdentity(a), "discipline/D1 @ injectglist: casgstatus");
  EXPECT_EQ(FindingIdentity(a), FindingIdentity(b));
  b.verdict.check = "D2";
  EXPECT_NE(FindingIdentity(a), FindingIdentity(b));
  b.verdict.check = "D1";
  b.verdict.site = "entersyscallblock: casgstatus";
  EXPECT_NE(FindingIdentity(a), FindingIdentity(b));
}

// The validator's one check covers every parser error: its error's first
// line, digits masked, and the offending event's type tell them apart.
TEST(FindingIdentity, NewValidatorFindingIsMaskedFirstLineAndEvent) {
  scenario::Outcome a, b;
  for (scenario::Outcome* o : {&a, &b}) {
    o->verdict.violation = true;
    o->verdict.oracle = "validator";
    o->verdict.check = "parser";
    o->verdict.site = "GoStart";
  }
  a.verdict.message = "inconsistent status for goroutine 3: old Waiting vs. new Runnable\nmore";
  b.verdict.message = "inconsistent status for goroutine 9: old Waiting vs. new Runnable";
  EXPECT_EQ(FindingIdentity(a),
            "validator/parser: inconsistent status for goroutine N: old Waiting vs. new Runnable @ "
            "GoStart");
  EXPECT_EQ(FindingIdentity(a), FindingIdentity(b));
}

TEST(FindingIdentity, RunsWithoutAViolation) {
  scenario::Outcome out;
  EXPECT_EQ(FindingIdentity(out), "ok");
  out.discarded = "more than 64 goroutines";
  EXPECT_EQ(FindingIdentity(out), "discarded: more than N goroutines");
}

using testing::Cli;
using testing::CliResult;

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> lines;
  size_t start = 0;
  for (size_t nl; (nl = s.find('\n', start)) != std::string::npos; start = nl + 1)
    lines.push_back(s.substr(start, nl - start));
  return lines;
}

// The witness in the byte format: the same finding as a different file, as a
// fuzzer would save it.
class TriageCmd : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/schedfuzz-triage-test-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    const absl::StatusOr<scenario::Scenario> sc = LoadScenario(kWitness);
    ASSERT_TRUE(sc.ok()) << sc.status();
    witness_bin_ = dir_ + "/crash-1";
    const std::vector<uint8_t> bytes = scenario::Encode(*sc);
    ASSERT_TRUE(WriteFile(witness_bin_, bytes).ok());
    // A fuzzer mutates the version byte too; its decoder ignores it.
    std::vector<uint8_t> mutated = bytes;
    mutated[0] = 0x8f;
    mutated_bin_ = dir_ + "/crash-2";
    ASSERT_TRUE(WriteFile(mutated_bin_, mutated).ok());
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }

  std::string dir_, witness_bin_, mutated_bin_;
};

TEST_F(TriageCmd, GroupsByFindingWithCounts) {
  const CliResult r =
      Cli({"triage", "--variant=go70883", "--oracles=validator", kClean, witness_bin_, kWitness});
  EXPECT_EQ(r.rc, kExitViolation) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(SplitLines(r.out), ElementsAre("     2  go70883  (first: " + witness_bin_ + ")",
                                             "     1  ok  (first: " + kClean + ")"));
}

TEST_F(TriageCmd, ACrashFileWithAMutatedVersionByteGroupsWithItsFinding) {
  const CliResult r =
      Cli({"triage", "--variant=go70883", "--oracles=validator", witness_bin_, mutated_bin_});
  EXPECT_EQ(r.rc, kExitViolation) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_THAT(SplitLines(r.out), ElementsAre("     2  go70883  (first: " + witness_bin_ + ")"));
}

TEST_F(TriageCmd, Json) {
  const CliResult r =
      Cli({"triage", "--json", "--variant=go70883", "--oracles=validator", witness_bin_, kWitness});
  EXPECT_EQ(r.rc, kExitViolation) << r.err;
  const std::vector<std::string> lines = SplitLines(r.out);
  ASSERT_EQ(lines.size(), 1u) << r.out;
  EXPECT_THAT(lines[0], StartsWith("{\"count\":2,\"identity\":\"go70883\",\"violation\":true,"
                                   "\"known\":\"go70883\",\"oracle\":\"validator\","));
  EXPECT_THAT(lines[0], HasSubstr("\"message\":\"inconsistent status for goroutine 1: old "
                                  "Runnable vs. new Waiting\""));
  EXPECT_THAT(lines[0], HasSubstr("\"first\":\"" + witness_bin_ + "\",\"inputs\":[\"" +
                                  witness_bin_ + "\",\"" + kWitness + "\"]}"));
}

TEST_F(TriageCmd, NoViolationExitsZero) {
  const CliResult r = Cli({"triage", "--variant=fixed", witness_bin_, kClean});
  EXPECT_EQ(r.rc, kExitOk) << r.err;
  EXPECT_THAT(SplitLines(r.out), ElementsAre(StartsWith("     2  ok  (first: ")));
}

TEST_F(TriageCmd, UnreadableInputIsOneErrorLineAndTheRestStillGroups) {
  const CliResult r = Cli({"triage", "--variant=go70883", dir_ + "/missing", witness_bin_});
  EXPECT_EQ(r.rc, kExitUsage);
  EXPECT_EQ(SplitLines(r.err).size(), 1u) << r.err;
  EXPECT_THAT(r.err, StartsWith("schedfuzz: "));
  EXPECT_THAT(r.out, HasSubstr("  go70883  (first: " + witness_bin_ + ")"));
}

TEST(TriageUsage, NeedsAFile) {
  const CliResult r = Cli({"triage"});
  EXPECT_EQ(r.rc, kExitUsage);
  EXPECT_EQ(SplitLines(r.err).size(), 1u);
}

}  // namespace
}  // namespace schedfuzz::repro
