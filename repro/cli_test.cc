// Tests of the schedfuzz CLI, run in-process through repro::Main: input
// detection, usage errors (exit 2, one line), the minimizer keeping the
// verdict, hunt output that replays, and deterministic reports.
#include "repro/cli.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

#include "core/scenario/codec.h"
#include "core/scenario/text.h"
#include "repro/cases.h"
#include "repro/cli_testing.h"
#include "repro/explain.h"
#include "repro/hunt.h"
#include "repro/input.h"
#include "repro/minimize.h"
#include "repro/report.h"

#ifndef SF_CASES_DIR
#error "SF_CASES_DIR must name repro/cases"
#endif

namespace schedfuzz::repro {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

using testing::Cli;
using testing::CliResult;

int Lines(const std::string& s) {
  int n = 0;
  for (char c : s) n += c == '\n';
  return n;
}

// A scratch directory for files the tests write.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/schedfuzz-cli-test-XXXXXX";
    path_ = ::mkdtemp(tmpl);
  }
  ~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }
  std::string File(const std::string& name, const std::string& content) const {
    const std::string p = path_ + "/" + name;
    const absl::Status st = WriteFile(p, content);
    EXPECT_TRUE(st.ok()) << st;
    return p;
  }
  std::string Path(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::span<const uint8_t> Bytes(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

const std::string kCases = SF_CASES_DIR;
const std::string kWitness = kCases + "/go70883-two-advance.txt";

// --- input detection ---

TEST(Input, DetectsBytesAndText) {
  EXPECT_EQ(DetectForm(Bytes(std::string("\x01\x00\x00", 3))), InputForm::kBytes);
  EXPECT_EQ(DetectForm(Bytes("schedfuzz scenario v1\nprocs 2\n")), InputForm::kText);
  EXPECT_EQ(DetectForm(Bytes("# a case\n\n  # expect fixed: ok\nschedfuzz scenario v1\n")),
            InputForm::kText);
  // Printable but without the header: still text, so the parser can say why.
  EXPECT_EQ(DetectForm(Bytes("procs 2\n")), InputForm::kText);
  EXPECT_EQ(DetectForm(Bytes(std::string("\x07\xff\x00", 3))), InputForm::kBytes);
  EXPECT_EQ(DetectForm({}), InputForm::kBytes);
}

TEST(Input, BothFormsGiveTheSameScenario) {
  InputForm form = InputForm::kBytes;
  const absl::StatusOr<scenario::Scenario> from_text = LoadScenario(kWitness, &form);
  ASSERT_TRUE(from_text.ok()) << from_text.status();
  EXPECT_EQ(form, InputForm::kText);
  const std::vector<uint8_t> bytes = scenario::Encode(*from_text);
  const absl::StatusOr<scenario::Scenario> from_bytes = ParseInput(bytes, &form);
  ASSERT_TRUE(from_bytes.ok()) << from_bytes.status();
  EXPECT_EQ(form, InputForm::kBytes);
  EXPECT_EQ(*from_bytes, *from_text);
}

TEST(Input, ErrorsAreOneLine) {
  const auto error = [](std::span<const uint8_t> data) {
    return std::string(ParseInput(data).status().message());
  };
  // An unknown version byte reads as the fuzz targets read it (version 1).
  const absl::StatusOr<scenario::Scenario> v7 = ParseInput(Bytes(std::string("\x07\x00", 2)));
  ASSERT_TRUE(v7.ok());
  scenario::Scenario fuzzed;
  scenario::Decode(Bytes(std::string("\x07\x00", 2)), &fuzzed);
  EXPECT_EQ(*v7, fuzzed);
  EXPECT_THAT(error(Bytes("schedfuzz scenario v1\nprocs 9\n")), StartsWith("line 2: "));
  EXPECT_THAT(error({}), HasSubstr("empty input"));
}

TEST(Input, FileErrorsNameTheFile) {
  TempDir dir;
  const std::string missing = dir.Path("missing.txt");
  EXPECT_EQ(ReadFile(missing).status().message(), missing + ": No such file or directory");
  EXPECT_EQ(ReadFile(dir.Path("")).status().message(), dir.Path("") + ": Is a directory");
  EXPECT_EQ(WriteFile(dir.Path("no/such/dir"), "x").message(),
            dir.Path("no/such/dir") + ": No such file or directory");
  const std::string bad = dir.File("bad.txt", "schedfuzz scenario v1\nprocs 9\n");
  EXPECT_EQ(LoadScenario(bad).status().message(), bad + ": line 2: procs 9 out of range (1..4)");
  const std::string ok = dir.File("ok.txt", "schedfuzz scenario v1\n");
  const absl::StatusOr<std::vector<uint8_t>> read = ReadFile(ok);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(std::string(read->begin(), read->end()), "schedfuzz scenario v1\n");
}

// --- usage errors: exit 2, one line on stderr, nothing on stdout ---

TEST(Cli, UsageErrorsExit2WithOneLine) {
  TempDir dir;
  const std::string bad_text = dir.File("bad.txt", "schedfuzz scenario v1\nprogram 0: prk 1\n");
  const std::string odd_version = dir.File("bad.bin", std::string("\x05\x00\x00", 3));
  const std::vector<std::vector<std::string>> cases = {
      {"frobnicate"},
      {"run"},
      {"run", "--bogus", kWitness},
      {"run", "--variant=nope", kWitness},
      {"run", "--oracles=some", kWitness},
      {"run", "--full", kWitness},
      {"run", dir.Path("missing.txt")},
      {"run", bad_text},
      {"print", kWitness, kWitness},
      {"hunt", "--strategy=bfs"},
      {"hunt", "--depth=x"},
      {"hunt", "--runs"},
      {"minimize", "--keep=stack", kWitness},
      {"export", kWitness},
      {"--json"},
  };
  for (const auto& args : cases) {
    const CliResult r = Cli(args);
    std::string joined;
    for (const auto& a : args) joined += a + " ";
    EXPECT_EQ(r.rc, kExitUsage) << joined;
    EXPECT_EQ(Lines(r.err), 1) << joined << "\n" << r.err;
    EXPECT_THAT(r.err, StartsWith("schedfuzz: ")) << joined;
    EXPECT_EQ(r.out, "") << joined;
  }
  EXPECT_THAT(Cli({"run", bad_text}).err, HasSubstr("bad.txt: line 2: unknown op \"prk\""));
  // A fuzzer's crash file with a mutated version byte replays as it ran.
  EXPECT_EQ(Cli({"run", odd_version}).rc, kExitOk);
  EXPECT_THAT(Cli({"run", "--variant=nope", kWitness}).err, HasSubstr("unknown variant 'nope'"));
}

TEST(Cli, HelpListsEverySubcommand) {
  for (const auto& args : std::vector<std::vector<std::string>>{{}, {"help"}, {"--help"}}) {
    const CliResult r = Cli(args);
    EXPECT_EQ(r.rc, kExitOk);
    for (const char* c : {"run", "print", "encode", "explain", "minimize", "hunt", "export",
                          "check", "variants", "cases"})
      EXPECT_THAT(r.out, HasSubstr(std::string("\n  ") + c + " ")) << c;
  }
  EXPECT_THAT(Cli({"help", "hunt"}).out, HasSubstr("--strategy=NAME"));
  EXPECT_THAT(Cli({"hunt", "--help"}).out, HasSubstr("--strategy=NAME"));
}

// --- run, print, encode ---

TEST(Cli, RunPrintsOneVerdictPerFileAndExit1OnViolation) {
  const std::string clean = kCases + "/clean-syscalls.txt";
  CliResult r = Cli({"run", "--variant=go70883", "--oracles=validator", kWitness, clean});
  EXPECT_EQ(r.rc, kExitViolation);
  EXPECT_THAT(r.out, StartsWith(kWitness +
                                ": violation: validator: inconsistent status for goroutine 1: old "
                                "Runnable vs. new Waiting [known: go70883]\n"));
  // Then the verdict's structured fields, then the clean file's line.
  EXPECT_THAT(r.out, HasSubstr("\n    validator parser at \"GoStatus\", step "));
  EXPECT_THAT(r.out, HasSubstr(": about goroutine 1"));
  EXPECT_THAT(r.out, ::testing::EndsWith("\n" + clean + ": ok\n"));
  r = Cli({"run", kWitness, clean});
  EXPECT_EQ(r.rc, kExitOk);
  r = Cli({"run", "--json", "--variant", "go70883", "--oracles", "validator", kWitness});
  EXPECT_EQ(r.rc, kExitViolation);
  EXPECT_THAT(r.out, StartsWith("{\"file\":"));
  EXPECT_THAT(r.out, HasSubstr("\"known\":\"go70883\""));
  EXPECT_EQ(Lines(r.out), 1);
}

TEST(Cli, EncodeThenPrintRoundTrips) {
  TempDir dir;
  const std::string bin = dir.Path("w.bin");
  CliResult r = Cli({"encode", kWitness, "-o", bin});
  ASSERT_EQ(r.rc, kExitOk) << r.err;
  r = Cli({"print", bin});
  ASSERT_EQ(r.rc, kExitOk) << r.err;
  const absl::StatusOr<scenario::Scenario> sc = LoadScenario(kWitness);
  ASSERT_TRUE(sc.ok()) << sc.status();
  EXPECT_EQ(r.out, scenario::PrintText(*sc));
}

// --- hunt: the saved input replays the same verdict ---

TEST(Hunt, SavedInputReplays) {
  scenario::Scenario sc;
  scenario::Decode({}, &sc);
  HuntConfig cfg;
  cfg.strategy = "pct";
  cfg.depth = 3;
  cfg.seed = 4;
  cfg.runs = 20000;
  cfg.seconds = 0;
  cfg.find = "go70883";
  cfg.run.variant = rt::FindVariant("go70883");
  cfg.run.oracles = oracle::OracleSet::kValidator;
  scenario::Runner runner;
  const HuntResult r = Hunt(sc, cfg, runner);
  ASSERT_TRUE(r.found);
  EXPECT_TRUE(r.replay_ok) << r.replay_verdict;
  const absl::StatusOr<scenario::Scenario> saved = ParseInput(r.input);
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(VerdictText(runner.Run(*saved, cfg.run)), VerdictText(r.outcome));
  ASSERT_NE(r.outcome.known, nullptr);
  EXPECT_STREQ(r.outcome.known->id, "go70883");
  // Same seed, same hunt.
  const HuntResult again = Hunt(sc, cfg, runner);
  EXPECT_EQ(again.schedules, r.schedules);
  EXPECT_EQ(again.input, r.input);
}

TEST(Hunt, CliWritesTheInputAndExits1) {
  TempDir dir;
  const std::string out = dir.Path("found.bin");
  const CliResult r = Cli({"hunt", "--strategy=random", "--variant=go70883", "--seed=2",
                           "--runs=20000", "--seconds=0", "-o", out, "--json"});
  ASSERT_EQ(r.rc, kExitViolation) << r.out << r.err;
  EXPECT_THAT(r.out, HasSubstr("\"replay_ok\":true"));
  const CliResult replay = Cli({"run", "--variant=go70883", out});
  EXPECT_EQ(replay.rc, kExitViolation);
}

// --- minimize ---

TEST(Minimize, CompressDecisionsReplaysExactly) {
  scenario::Scenario sc;
  scenario::Decode({}, &sc);
  scenario::Runner runner;
  scenario::RunOptions opts;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    sim::RandomChooser random(seed);
    runner.Run(sc, random, opts);
    const auto idx = runner.engine().decision_indices();
    const std::vector<int> threads(runner.engine().decision_threads().begin(),
                                   runner.engine().decision_threads().end());
    sc.schedule = CompressDecisions(idx, threads);
    EXPECT_LE(sc.schedule.size(), idx.size());
    sim::ByteChooser bytes(sc.schedule);
    runner.Run(sc, bytes, opts);
    const auto again = runner.engine().decision_threads();
    EXPECT_EQ(std::vector<int>(again.begin(), again.end()), threads) << "seed " << seed;
  }
}

TEST(Minimize, KeepsTheVerdictAndShrinks) {
  // A hunted witness is long; the minimized one must give the same finding.
  scenario::Scenario sc;
  scenario::Decode({}, &sc);
  HuntConfig cfg;
  cfg.strategy = "pct";
  cfg.seed = 1;
  cfg.runs = 20000;
  cfg.seconds = 0;
  cfg.find = "go70883";
  cfg.run.variant = rt::FindVariant("go70883");
  cfg.run.oracles = oracle::OracleSet::kValidator;
  scenario::Runner runner;
  const HuntResult h = Hunt(sc, cfg, runner);
  ASSERT_TRUE(h.found);
  scenario::Scenario found;
  scenario::Decode(h.input, &found);

  MinimizeResult m;
  std::string error;
  ASSERT_TRUE(Minimize(found, cfg.run, MinimizeConfig{}, runner, &m, &error)) << error;
  EXPECT_EQ(VerdictKey(m.after), VerdictKey(h.outcome));
  EXPECT_LT(m.size_after, m.size_before);
  EXPECT_LT(m.best.schedule.size(), found.schedule.size());
  // The written bytes replay it.
  scenario::Scenario reread;
  scenario::Decode(scenario::Encode(m.best), &reread);
  EXPECT_EQ(VerdictKey(runner.Run(reread, cfg.run)), VerdictKey(h.outcome));

  // --keep=tracer leaves the tracer ops alone.
  MinimizeConfig keep;
  ASSERT_TRUE(ParseKeep("tracer", &keep.keep, &error));
  ASSERT_TRUE(Minimize(found, cfg.run, keep, runner, &m, &error)) << error;
  ASSERT_EQ(m.best.tracer.size(), found.tracer.size());
  for (size_t i = 0; i < found.tracer.size(); ++i)
    EXPECT_EQ(m.best.tracer[i].kind, found.tracer[i].kind);
}

TEST(Minimize, RefusesAPassingInput) {
  const CliResult r = Cli({"minimize", kWitness});  // fixed variant: ok
  EXPECT_EQ(r.rc, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("nothing to minimize"));
}

TEST(Minimize, MaskDigits) {
  EXPECT_EQ(MaskDigits("goroutine 12: gen 3 -> 4"), "goroutine N: gen N -> N");
}

// --- explain and export are deterministic ---

TEST(Explain, IsDeterministicAndNamesTheWindow) {
  const CliResult a = Cli({"explain", "--variant=go70883", "--oracles=validator", kWitness});
  const CliResult b = Cli({"explain", "--variant=go70883", "--oracles=validator", kWitness});
  EXPECT_EQ(a.rc, kExitViolation);
  EXPECT_EQ(a.out, b.out);
  for (const char* section :
       {"== scenario", "== verdict", "== steps", "== trace session 0", "== the window in words"})
    EXPECT_THAT(a.out, HasSubstr(section));
  EXPECT_THAT(a.out, HasSubstr("known finding go70883"));
  // The variant models go1.22.10's injectglist: that is where the real
  // runtime confirms the finding.
  EXPECT_THAT(a.out, HasSubstr("scripts/realgo.sh confirm go70883 --go go1.22.10 --time 60"));
  // The account is built from the facts: the unblock, the late status, the
  // status change with tracing off. (It is word-wrapped.)
  std::string account = a.out.substr(a.out.find("== the window in words"));
  for (char& c : account)
    if (c == '\n') c = ' ';
  EXPECT_THAT(account,
              HasSubstr("wrote GoStatus(Waiting) and GoUnblock for goroutine 1 into generation 1"));
  EXPECT_THAT(account, HasSubstr("GoStatus(Waiting) for goroutine 1 into generation 2"));
  EXPECT_THAT(account, HasSubstr("changed goroutine 1 from waiting to runnable"));
  const CliResult full =
      Cli({"explain", "--full", "--variant=go70883", "--oracles=validator", kWitness});
  EXPECT_GT(Lines(full.out), Lines(a.out));
}

TEST(Export, IsByteIdenticalAcrossRuns) {
  TempDir dir;
  const std::string t1 = dir.Path("a.trace"), t2 = dir.Path("b.trace");
  ASSERT_EQ(Cli({"export", "--variant=go70883", kWitness, "-o", t1}).rc, kExitViolation);
  ASSERT_EQ(Cli({"export", "--variant=go70883", kWitness, "-o", t2}).rc, kExitViolation);
  const absl::StatusOr<std::vector<uint8_t>> read_a = ReadFile(t1), read_b = ReadFile(t2);
  ASSERT_TRUE(read_a.ok() && read_b.ok());
  const std::vector<uint8_t>& a = *read_a;
  EXPECT_EQ(a, *read_b);
  ASSERT_GT(a.size(), 16u);
  EXPECT_EQ(std::string(a.begin(), a.begin() + 8), "go 1.22 ");
}

// --- regression cases ---

TEST(Cases, ExpectationLines) {
  std::vector<Expectation> e;
  std::string error;
  ASSERT_TRUE(ParseExpectations(
      "# expect fixed: ok\n# expect go70883/validator: violation: x: y\nschedfuzz", &e, &error))
      << error;
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[1].oracles, oracle::OracleSet::kValidator);
  EXPECT_EQ(e[1].want, "violation: x: y");
  EXPECT_FALSE(ParseExpectations("# expect nosuch: ok\n", &e, &error));
  EXPECT_EQ(error, "line 1: unknown variant 'nosuch'");
  EXPECT_FALSE(ParseExpectations("schedfuzz scenario v1\n", &e, &error));
}

TEST(Cases, AllHold) {
  const CliResult r = Cli({"cases", kCases});
  EXPECT_EQ(r.rc, kExitOk) << r.out << r.err;
  EXPECT_THAT(r.out, Not(HasSubstr("FAIL")));
}

}  // namespace
}  // namespace schedfuzz::repro
