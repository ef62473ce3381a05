#include "fuzz/fuzz_common.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/scenario/codec.h"
#include "core/scenario/run.h"

namespace schedfuzz::fuzz {

const Config& GetConfig() {
  static const Config config = [] {
    Config c;
    const char* v = std::getenv("SCHEDFUZZ_VARIANT");
    c.variant = rt::FindVariant(v && *v ? v : "fixed");
    if (!c.variant) {
      std::fprintf(stderr, "schedfuzz: unknown SCHEDFUZZ_VARIANT '%s' (run `schedfuzz variants`)\n", v);
      std::exit(2);
    }
    const char* k = std::getenv("SCHEDFUZZ_REPORT_KNOWN");
    c.report_known = k && *k && *k != '0';
    const char* o = std::getenv("SCHEDFUZZ_ORACLES");
    if (o && *o && !oracle::ParseOracleSet(o, &c.oracles)) {
      std::fprintf(stderr, "schedfuzz: unknown SCHEDFUZZ_ORACLES '%s' (all, validator, discipline, invariant)\n", o);
      std::exit(2);
    }
    return c;
  }();
  return config;
}

int RunScenarioInput(const uint8_t* data, size_t size, const char* target) {
  const Config& cfg = GetConfig();
  static scenario::Runner* runner = new scenario::Runner();  // reused, never freed
  static scenario::Scenario* sc = new scenario::Scenario();
  // Only inputs that `schedfuzz` can replay count: the CLI rejects unknown
  // format versions (and the empty input), so the fuzzer does not spend runs
  // on inputs whose findings nobody could reproduce.
  if (size == 0 || data[0] != scenario::kFormatVersion) return 0;
  scenario::Decode(std::span<const uint8_t>(data, size), sc);
  scenario::RunOptions opts;
  opts.variant = cfg.variant;
  opts.oracles = cfg.oracles;
  const scenario::Outcome& out = runner->Run(*sc, opts);
  // A finding already understood (docs/findings.md) does not stop a
  // campaign unless asked for.
  if (out.verdict.violation && out.known && out.known->quiet && !cfg.report_known) return 0;
  if (out.verdict.violation) {
    std::fprintf(stderr,
                 "\n==schedfuzz== %s: violation on variant %s, oracles %s\n==schedfuzz== %s\n"
                 "==schedfuzz== known finding: %s\n"
                 "==schedfuzz== step %llu, goroutine %lld, generation %llu; run ended: %s\n"
                 "==schedfuzz== reproduce: schedfuzz explain --variant=%s <this input>\n",
                 target, cfg.variant->name, oracle::OracleSetName(cfg.oracles),
                 scenario::DescribeVerdict(out.verdict).c_str(), out.known ? out.known->id : "none (new)",
                 static_cast<unsigned long long>(out.verdict.step), static_cast<long long>(out.verdict.goid),
                 static_cast<unsigned long long>(out.verdict.gen), sim::RunStatusName(out.engine.status),
                 cfg.variant->name);
    std::abort();
  }
  return 0;
}

}  // namespace schedfuzz::fuzz
