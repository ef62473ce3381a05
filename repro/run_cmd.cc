// The simple subcommands: run (replay and judge), print (bytes -> text),
// encode (text -> bytes) and variants.
#include <cstdio>
#include <vector>

#include "absl/strings/str_format.h"

#include "core/scenario/codec.h"
#include "core/scenario/run.h"
#include "core/scenario/text.h"
#include "repro/cli.h"
#include "repro/input.h"
#include "repro/report.h"

namespace schedfuzz::repro {

int CmdRun(const Options& o, const Io& io) {
  scenario::Runner runner;
  const scenario::RunOptions opts = MakeRunOptions(o);
  int rc = kExitOk;
  bool bad_input = false;
  for (const std::string& path : o.args) {
    scenario::Scenario sc;
    std::string error;
    if (!LoadScenario(path, &sc, &error)) {
      // Keep going so one bad file does not hide the others' verdicts; the
      // exit status still says "bad input".
      UsageError(io, error);
      bad_input = true;
      continue;
    }
    const scenario::Outcome& out = runner.Run(sc, opts);
    if (out.verdict.violation) rc = kExitViolation;
    if (o.json) {
      std::fprintf(io.out, "{\"file\":%s,\"variant\":%s,\"oracles\":%s,%s}\n",
                   JsonString(path).c_str(), JsonString(VariantOf(o).name).c_str(),
                   JsonString(oracle::OracleSetName(o.oracles)).c_str(),
                   OutcomeJsonFields(out).c_str());
    } else {
      std::fprintf(io.out, "%s: %s\n", path.c_str(), VerdictText(out).c_str());
    }
  }
  return bad_input ? kExitUsage : rc;
}

int CmdPrint(const Options& o, const Io& io) {
  scenario::Scenario sc;
  std::string error;
  if (!LoadScenario(o.args[0], &sc, &error)) return UsageError(io, error);
  std::fputs(scenario::PrintText(sc).c_str(), io.out);
  return kExitOk;
}

int CmdEncode(const Options& o, const Io& io) {
  scenario::Scenario sc;
  std::string error;
  if (!LoadScenario(o.args[0], &sc, &error)) return UsageError(io, error);
  const std::vector<uint8_t> bytes = scenario::Encode(sc);
  if (o.output.empty()) {
    if (io.out_is_tty)
      return UsageError(io, "encode writes raw bytes; use -o FILE or redirect stdout");
    if (std::fwrite(bytes.data(), 1, bytes.size(), io.out) != bytes.size())
      return UsageError(io, "writing to stdout failed");
    return kExitOk;
  }
  if (!WriteFile(o.output, bytes, &error)) return UsageError(io, error);
  std::fprintf(io.err, "wrote %s (%zu bytes)\n", o.output.c_str(), bytes.size());
  return kExitOk;
}

int CmdVariants(const Options& o, const Io& io) {
  for (const rt::Variant& v : rt::Variants()) {
    if (o.json) {
      std::fprintf(io.out, "{\"name\":%s,\"summary\":%s,\"default\":%s}\n",
                   JsonString(v.name).c_str(), JsonString(v.summary).c_str(),
                   &v == &rt::DefaultVariant() ? "true" : "false");
    } else {
      std::fprintf(io.out, "%-8s %s%s\n", v.name, v.summary,
                   &v == &rt::DefaultVariant() ? " (default)" : "");
    }
  }
  return kExitOk;
}

}  // namespace schedfuzz::repro
