// Every known finding that breaks a trace (or, a liveness finding, the
// scheduler's liveness invariant) has a witness among the committed inputs,
// and the witness fails with the first error the known-findings table
// predicts (core/oracle/known_findings.inc): the error Go's parser gives on
// traces the real runtime writes when the finding's window is hit
// (docs/realgo.md). The real-runtime harness confirms a finding by that same
// line, so model and runtime are held to one prediction.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "core/oracle/known.h"
#include "core/scenario/codec.h"
#include "core/scenario/run.h"
#include "core/scenario/text.h"

namespace schedfuzz::scenario {
namespace {

struct Witness {
  const char* finding;
  const char* file;  // a corpus input (found under corpus/ by name) or a repro case
  const char* variant;
  // The oracle whose first error the table predicts: Go's parser, or for a
  // liveness finding (which breaks no trace) the scheduler invariants.
  oracle::OracleSet oracles = oracle::OracleSet::kValidator;
};

// One witness per finding that breaks a trace. A finding with several shapes
// (starttrace-exitsyscallfast also ends in a stuck GoSyscallEndBlocked when
// a generation switch comes first) is represented by the shape the real
// runtime shows first.
constexpr Witness kWitnesses[] = {
    {"go70883", "go70883-two-advance.txt", "go70883"},
    {"starttrace-pless-injectglist", "starttrace-pless-injectglist.txt", "fixed"},
    {"starttrace-pless-injectglist", "starttrace-pless-injectglist-go127.txt", "shipped"},
    {"gen-straggler", "known_seq_straggler_procsteal", "fixed"},
    {"starttrace-exitsyscallfast", "known_starttrace_exitsyscallfast_noproc", "fixed"},
    {"stoptrace-straggler", "known_stoptrace_straggler", "fixed"},
    {"entersyscallblock-procstop", "entersyscallblock-procstop.txt", "fixed"},
    {"go38794", "go38794-sysmon-injectglist.txt", "go38794"},
    {"go65181", "go65181-procsteal-lost.txt", "go65181"},
    {"go64318", "go64318-procstatus-in-syscall.txt", "go64318"},
    {"go65196", "go65196-snapshot-syscall-thread.txt", "go65196"},
    {"gcwait-procstop", "gcwait-procstop-stolen-p.txt", "gcwait-procstop"},
    {"go63555", "go63555-injectglist-idle-p.txt", "go63555", oracle::OracleSet::kInvariant},
};

std::string FindInput(const std::string& name) {
  namespace fs = std::filesystem;
  for (const char* root : {SF_SOURCE_DIR "/repro/cases", SF_SOURCE_DIR "/corpus"}) {
    for (const auto& e : fs::recursive_directory_iterator(root))
      if (e.is_regular_file() && e.path().filename() == name) return e.path().string();
  }
  return "";
}

Scenario Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  Scenario sc;
  if (path.ends_with(".txt")) {
    absl::StatusOr<Scenario> parsed = ParseText(data);
    EXPECT_TRUE(parsed.ok()) << path << ": " << parsed.status();
    if (parsed.ok()) sc = *std::move(parsed);
  } else {
    Decode(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(data.data()), data.size()),
           &sc);
  }
  return sc;
}

TEST(KnownWitness, EachWitnessFailsWithThePredictedFirstError) {
  for (const Witness& w : kWitnesses) {
    SCOPED_TRACE(w.finding);
    const oracle::KnownFinding* k = oracle::FindKnown(w.finding);
    ASSERT_NE(k, nullptr);
    const std::string path = FindInput(w.file);
    ASSERT_FALSE(path.empty()) << "no committed input named " << w.file;
    const Scenario sc = Load(path);
    Runner r;
    RunOptions opts;
    opts.variant = rt::FindVariant(w.variant);
    opts.oracles = w.oracles;
    const Outcome& out = r.Run(sc, opts);
    ASSERT_TRUE(out.verdict.violation) << path;
    EXPECT_TRUE(oracle::MatchesFirstError(*k, out.verdict.message))
        << path << ": got \"" << out.verdict.message.substr(0, out.verdict.message.find('\n'))
        << "\", the table predicts \"" << k->first_error << "\"";
    ASSERT_NE(out.known, nullptr) << path;
    EXPECT_STREQ(out.known->id, w.finding) << path;
  }
}

TEST(KnownWitness, EveryFindingThatBreaksATraceHasAWitness) {
  for (const oracle::KnownFinding& k : oracle::KnownFindings()) {
    if (std::string(k.first_error).empty()) continue;
    bool found = false;
    for (const Witness& w : kWitnesses) found |= std::string(w.finding) == k.id;
    EXPECT_TRUE(found) << k.id << " predicts \"" << k.first_error << "\" but has no witness";
  }
}

// A quiet known finding never ends a run: with every oracle on, the P-less
// injectglist's D1 is recorded and attributed, the run goes on to its end,
// and the validator still judges the trace it wrote (and attributes its
// verdict to the same finding by its own culprits, not by the message).
TEST(QuietFindings, DoNotEndTheRun) {
  const std::string path = FindInput("starttrace-pless-injectglist.txt");
  ASSERT_FALSE(path.empty());
  const Scenario sc = Load(path);
  Runner r;
  RunOptions opts;
  opts.variant = rt::FindVariant("fixed");
  const Outcome& out = r.Run(sc, opts);
  EXPECT_NE(out.engine.status, sim::RunStatus::kAborted);
  ASSERT_GE(out.nverdicts, 2);
  EXPECT_EQ(out.verdicts[0].oracle, "discipline");
  EXPECT_EQ(out.verdicts[0].check, "D1");
  EXPECT_EQ(out.verdicts[0].site, rt::kSiteInjectglistCas);
  ASSERT_NE(out.knowns[0], nullptr);
  EXPECT_STREQ(out.knowns[0]->id, "starttrace-pless-injectglist");
  const oracle::Verdict& last = out.verdicts[out.nverdicts - 1];
  EXPECT_EQ(last.oracle, "validator");
  ASSERT_GE(last.nculprits, 1);
  EXPECT_EQ(last.culprits[0].goid, 1);
  EXPECT_GE(last.culprits[0].batch, 0);
  EXPECT_NE(last.culprits[0].step, UINT64_MAX);
  ASSERT_NE(out.knowns[out.nverdicts - 1], nullptr);
  EXPECT_STREQ(out.knowns[out.nverdicts - 1]->id, "starttrace-pless-injectglist");
  EXPECT_FALSE(out.HasNew());
  // The primary verdict: all are attributed, so the first.
  EXPECT_EQ(out.verdict.check, "D1");
  ASSERT_NE(out.known, nullptr);
  // A loud finding still ends the run at once.
  const std::string loud = FindInput("go70883-two-advance.txt");
  opts.variant = rt::FindVariant("go70883");
  const Outcome& o2 = r.Run(Load(loud), opts);
  EXPECT_EQ(o2.engine.status, sim::RunStatus::kAborted);
  EXPECT_EQ(o2.nverdicts, 1);
  ASSERT_NE(o2.known, nullptr);
  EXPECT_STREQ(o2.known->id, "go70883");
}

// The liveness invariant R1 on go63555's witness: it fires at injectglist's
// end about the goroutine left on P0's queue (culprit: that goroutine, P0,
// the submitting M), the canary go63555 triggered for the same goroutine
// and P, and the verdict is attributed to it. The run is not cut short. With
// Go 1.27's wakep (shipped) the same schedule keeps R1 and the canary quiet.
TEST(Go63555, LivenessVerdictIsAttributedAndTheFixKeepsItQuiet) {
  const std::string path = FindInput("go63555-injectglist-idle-p.txt");
  ASSERT_FALSE(path.empty());
  const Scenario sc = Load(path);
  Runner r;
  RunOptions opts;
  opts.variant = rt::FindVariant("go63555");
  const Outcome& out = r.Run(sc, opts);
  EXPECT_NE(out.engine.status, sim::RunStatus::kAborted);
  ASSERT_EQ(out.nverdicts, 1);
  const oracle::Verdict& v = out.verdicts[0];
  EXPECT_EQ(v.oracle, "invariant");
  EXPECT_EQ(v.check, "liveness");
  EXPECT_EQ(v.site, "injectglist");
  ASSERT_EQ(v.nculprits, 1);
  EXPECT_EQ(v.culprits[0].goid, 2);
  EXPECT_EQ(v.culprits[0].p, 0);
  ASSERT_NE(out.known, nullptr);
  EXPECT_STREQ(out.known->id, "go63555");
  const oracle::CanaryHit& hit = r.canaries().hit(oracle::kCanaryInjectglistNoWakep);
  EXPECT_TRUE(hit.triggered);
  EXPECT_EQ(hit.goid, 2);
  EXPECT_LE(hit.step, v.step);

  opts.variant = rt::FindVariant("shipped");
  const Outcome& fixed = r.Run(sc, opts);
  EXPECT_FALSE(fixed.verdict.violation) << fixed.verdict.message;
  EXPECT_TRUE(r.canaries().hit(oracle::kCanaryInjectglistNoWakep).reached);
  EXPECT_FALSE(r.canaries().hit(oracle::kCanaryInjectglistNoWakep).triggered);
  // Without the invariant oracle the run has no liveness verdict.
  opts.variant = rt::FindVariant("go63555");
  opts.oracles = oracle::OracleSet::kValidator;
  EXPECT_FALSE(r.Run(sc, opts).verdict.violation);
}

}  // namespace
}  // namespace schedfuzz::scenario
