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
#include "repro/json.h"
#include "repro/report.h"

namespace schedfuzz::repro {

int CmdRun(const Options& o, const Io& io) {
  scenario::Runner runner;
  const scenario::RunOptions opts = MakeRunOptions(o);
  int rc = kExitOk;
  bool bad_input = false;
  for (const std::string& path : o.args) {
    const absl::StatusOr<scenario::Scenario> sc = LoadScenario(path);
    if (!sc.ok()) {
      // Keep going so one bad file does not hide the others' verdicts; the
      // exit status still says "bad input".
      UsageError(io, sc.status());
      bad_input = true;
      continue;
    }
    const scenario::Outcome& out = runner.Run(*sc, opts);
    if (out.verdict.violation) rc = kExitViolation;
    if (o.json) {
      JsonObject j;
      j.Str("file", path)
          .Str("variant", VariantOf(o).name)
          .Str("oracles", oracle::OracleSetName(o.oracles));
      AddOutcomeJson(out, &j);
      std::fprintf(io.out, "%s\n", j.str().c_str());
    } else {
      std::fprintf(io.out, "%s: %s\n%s", path.c_str(), VerdictText(out).c_str(),
                   VerdictLines(out).c_str());
    }
  }
  return bad_input ? kExitUsage : rc;
}

int CmdPrint(const Options& o, const Io& io) {
  const absl::StatusOr<scenario::Scenario> sc = LoadScenario(o.args[0]);
  if (!sc.ok()) return UsageError(io, sc.status());
  std::fputs(scenario::PrintText(*sc).c_str(), io.out);
  return kExitOk;
}

int CmdEncode(const Options& o, const Io& io) {
  const absl::StatusOr<scenario::Scenario> sc = LoadScenario(o.args[0]);
  if (!sc.ok()) return UsageError(io, sc.status());
  const std::vector<uint8_t> bytes = scenario::Encode(*sc);
  if (o.output.empty()) {
    if (io.out_is_tty)
      return UsageError(io, "encode writes raw bytes; use -o FILE or redirect stdout");
    if (std::fwrite(bytes.data(), 1, bytes.size(), io.out) != bytes.size())
      return UsageError(io, "writing to stdout failed");
    return kExitOk;
  }
  if (absl::Status st = WriteFile(o.output, bytes); !st.ok()) return UsageError(io, st);
  std::fprintf(io.err, "wrote %s (%zu bytes)\n", o.output.c_str(), bytes.size());
  return kExitOk;
}

int CmdVariants(const Options& o, const Io& io) {
  for (const rt::Variant& v : rt::Variants()) {
    const bool def = &v == &rt::DefaultVariant(v.release);
    if (o.json) {
      JsonObject j;
      j.Str("name", v.name)
          .Str("go", rt::ReleaseName(v.release))
          .Str("summary", v.summary)
          .Bool("default", def && v.release == rt::kCurrentRelease)
          .Bool("release_default", def);
      std::fprintf(io.out, "%s\n", j.str().c_str());
    } else {
      std::fprintf(
          io.out, "go%s  %-8s %s%s\n", rt::ReleaseName(v.release), v.name, v.summary,
          def ? (v.release == rt::kCurrentRelease ? " (default)" : " (go1.22's default)") : "");
    }
  }
  return kExitOk;
}

}  // namespace schedfuzz::repro
