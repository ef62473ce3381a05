#include "fuzz/fuzz_common.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/oracle/known.h"
#include "core/scenario/codec.h"
#include "core/scenario/run.h"
#include "core/sim/chooser.h"
#include "fuzz/trace_feedback.h"

namespace schedfuzz::fuzz {

const Config& GetConfig() {
  static const Config config = [] {
    Config c;
    // SCHEDFUZZ_GO picks the release (default: the current one), and
    // SCHEDFUZZ_VARIANT a variant of it (default: the release as shipped);
    // a variant alone implies its release.
    rt::Release release = rt::kCurrentRelease;
    const char* go = std::getenv("SCHEDFUZZ_GO");
    if (go && *go && !rt::ParseRelease(go, &release)) {
      std::fprintf(stderr, "schedfuzz: unknown SCHEDFUZZ_GO '%s' (1.22, 1.27)\n", go);
      std::exit(2);
    }
    const char* v = std::getenv("SCHEDFUZZ_VARIANT");
    if (v && *v) {
      c.variant = rt::FindVariant(v);
      if (!c.variant) {
        std::fprintf(stderr,
                     "schedfuzz: unknown SCHEDFUZZ_VARIANT '%s' (run `schedfuzz variants`)\n", v);
        std::exit(2);
      }
      if (go && *go && c.variant->release != release) {
        std::fprintf(stderr, "schedfuzz: SCHEDFUZZ_VARIANT '%s' is a Go %s variant, not Go %s\n", v,
                     rt::ReleaseName(c.variant->release), rt::ReleaseName(release));
        std::exit(2);
      }
    } else {
      c.variant = &rt::DefaultVariant(release);
    }
    const char* k = std::getenv("SCHEDFUZZ_REPORT_KNOWN");
    c.report_known = k && *k && *k != '0';
    if (const char* f = std::getenv("SCHEDFUZZ_FIND"); f && *f) {
      if (oracle::FindKnown(f) == nullptr) {
        std::fprintf(
            stderr,
            "schedfuzz: unknown SCHEDFUZZ_FIND '%s' (a known finding id, see docs/findings.md)\n",
            f);
        std::exit(2);
      }
      c.find = f;
    }
    if (const char* fb = std::getenv("SCHEDFUZZ_FEEDBACK"); fb && *fb) {
      const std::string f = fb;
      if (f != "trace" && f != "none") {
        std::fprintf(stderr, "schedfuzz: unknown SCHEDFUZZ_FEEDBACK '%s' (none, trace)\n", fb);
        std::exit(2);
      }
      c.trace_feedback = f == "trace";
    }
    if (const char* sf = std::getenv("SCHEDFUZZ_SCHEDULE_FORM"); sf && *sf) {
      const std::string f = sf;
      if (f != "any" && f != "pct") {
        std::fprintf(stderr, "schedfuzz: unknown SCHEDFUZZ_SCHEDULE_FORM '%s' (any, pct)\n", sf);
        std::exit(2);
      }
      c.pct_only = f == "pct";
    }
    const char* o = std::getenv("SCHEDFUZZ_ORACLES");
    if (o && *o && !oracle::ParseOracleSet(o, &c.oracles)) {
      std::fprintf(
          stderr,
          "schedfuzz: unknown SCHEDFUZZ_ORACLES '%s' (all, validator, discipline, invariant)\n", o);
      std::exit(2);
    }
    return c;
  }();
  return config;
}

namespace {
scenario::Runner* runner = nullptr;  // reused by every input, never freed
scenario::Scenario* sc = nullptr;

// Brings every reused container to the capacity the largest inputs need
// before fuzzing starts, so that no input takes a growth path another input
// did not (coverage must depend on the input alone: AFL++ stability).
void WarmUp() {
  std::vector<uint8_t> big(4096);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(0xff - i * 7);
  big[0] = scenario::kFormatVersion;
  big[1] = 0x0f;  // every section explicit, each as large as its count byte allows
  scenario::Decode(big, sc);
  runner->Run(*sc);
  // Then a spread of machines and schedules (a fixed sequence), so the
  // decoder's pools, the trace buffers and the validator's tables reach
  // their working sizes.
  sim::SplitMix64 rng(1);
  for (int i = 0; i < 300; ++i) {
    std::vector<uint8_t> in(8 + rng.Below(600));
    for (uint8_t& b : in) b = static_cast<uint8_t>(rng.Next());
    in[0] = scenario::kFormatVersion;
    if (i % 2 == 0) in[1] = 0;  // half of them with the default sections
    scenario::Decode(in, sc);
    scenario::RunOptions opts;
    opts.oracles = oracle::OracleSet::kValidator;  // complete traces for the validator
    runner->Run(*sc, opts);
  }
  scenario::Decode(std::span<const uint8_t>(big.data(), 1), sc);
  runner->Run(*sc);
}
}  // namespace

void Init() {
  GetConfig();
  if (runner) return;
  runner = new scenario::Runner();
  sc = new scenario::Scenario();
  WarmUp();
}

int RunScenarioInput(const uint8_t* data, size_t size, const char* target) {
  const Config& cfg = GetConfig();
  Init();
  // Only inputs that `schedfuzz` can replay count: the CLI rejects unknown
  // format versions (and the empty input), so the fuzzer does not spend runs
  // on inputs whose findings nobody could reproduce.
  if (size == 0 || !scenario::IsFormatVersion(data[0])) return 0;
  if (cfg.pct_only && (size < 2 || !(data[1] & scenario::kHeaderPctSchedule))) return 0;
  // A fresh Scenario per input: reusing one would make the decoder's code
  // path depend on the previous input (AFL++ stability).
  scenario::Scenario local;
  scenario::Scenario* sc = &local;
  scenario::Decode(std::span<const uint8_t>(data, size), sc);
  scenario::RunOptions opts;
  opts.variant = cfg.variant;
  opts.oracles = cfg.oracles;
  if (cfg.trace_feedback) {
    TraceFeedbackReset();
    opts.observer_hooks = TraceFeedbackHooks();
  }
  const scenario::Outcome& out = runner->Run(*sc, opts);
  if (!out.verdict.violation) return 0;
  // Stop on any verdict no known finding explains. A finding already
  // understood (docs/findings.md) does not stop a campaign unless asked for:
  // looking for one finding (SCHEDFUZZ_FIND), every other known one is
  // background; otherwise the quiet ones are, unless SCHEDFUZZ_REPORT_KNOWN.
  bool stop = false;
  for (int i = 0; i < out.nverdicts && !stop; ++i) {
    const oracle::KnownFinding* k = out.knowns[i];
    if (!k) {
      stop = true;
    } else if (!cfg.find.empty()) {
      stop = cfg.find == k->id;
    } else {
      stop = !k->quiet || cfg.report_known;
    }
  }
  if (!stop) return 0;
  std::string verdicts;
  for (int i = 0; i < out.nverdicts; ++i) {
    verdicts += "==schedfuzz==   ";
    verdicts += scenario::DescribeVerdict(out.verdicts[i]).substr(0, 160);
    verdicts += out.knowns[i] ? std::string(" [known: ") + out.knowns[i]->id + "]" : " [new]";
    verdicts += "\n==schedfuzz==     " + scenario::DescribeVerdictDetails(out.verdicts[i]) + "\n";
  }
  std::fprintf(stderr,
               "\n==schedfuzz== %s: violation on variant %s, oracles %s\n==schedfuzz== %s\n"
               "==schedfuzz== known finding: %s\n"
               "==schedfuzz== %s\n"
               "==schedfuzz== every verdict of the run (%d):\n%s"
               "==schedfuzz== run ended: %s\n"
               "==schedfuzz== reproduce: schedfuzz explain --variant=%s <this input>\n",
               target, cfg.variant->name, oracle::OracleSetName(cfg.oracles),
               scenario::DescribeVerdict(out.verdict).c_str(),
               out.known ? out.known->id : "none (new)",
               scenario::DescribeVerdictDetails(out.verdict).c_str(), out.nverdicts,
               verdicts.c_str(), sim::RunStatusName(out.engine.status), cfg.variant->name);
  std::abort();
  return 0;
}

}  // namespace schedfuzz::fuzz
