// export: the run's trace in its release's wire format (Go 1.26's for the
// Go 1.27 model, Go 1.22's for the Go 1.22 model), one file per
// StartTrace..StopTrace session, for `go tool trace` and golang.org/x/exp/trace.
#include <cstdio>

#include "absl/strings/str_format.h"

#include "core/scenario/run.h"
#include "core/tracefmt/wire.h"
#include "repro/cli.h"
#include "repro/export.h"
#include "repro/input.h"
#include "repro/report.h"

namespace schedfuzz::repro {

std::string SessionPath(const std::string& base, int session) {
  return session == 0 ? base : absl::StrFormat("%s.%d", base, session);
}

bool LastSessionIncomplete(const scenario::Runner& runner) {
  return static_cast<size_t>(runner.runtime().trace.nclosed) < runner.traces().size();
}

scenario::Outcome RunForTrace(const scenario::Scenario& sc, const scenario::RunOptions& opts,
                              scenario::Runner& runner) {
  scenario::Outcome verdict;
  if (opts.oracles != oracle::OracleSet::kValidator) verdict = runner.Run(sc, opts);
  scenario::RunOptions trace_opts = opts;
  trace_opts.oracles = oracle::OracleSet::kValidator;
  const scenario::Outcome& traced = runner.Run(sc, trace_opts);
  return opts.oracles == oracle::OracleSet::kValidator ? traced : verdict;
}

int CmdExport(const Options& o, const Io& io) {
  if (o.output.empty()) return UsageError(io, "export needs -o TRACE (the output file)");
  const absl::StatusOr<scenario::Scenario> loaded = LoadScenario(o.args[0]);
  if (!loaded.ok()) return UsageError(io, loaded.status());
  const scenario::Scenario& sc = *loaded;
  scenario::Runner runner;
  const scenario::Outcome out = RunForTrace(sc, MakeRunOptions(o), runner);
  const auto traces = runner.traces();
  if (traces.empty()) {
    return UsageError(io,
                      o.args[0] + ": the run wrote no trace (the scenario has no tracer `start`)");
  }
  for (size_t s = 0; s < traces.size(); ++s) {
    const std::string path = SessionPath(o.output, static_cast<int>(s));
    const std::string wire = tracefmt::WriteWire(traces[s]);
    if (absl::Status st = WriteFile(path, wire); !st.ok()) return UsageError(io, st);
    size_t events = 0;
    for (const tracefmt::Batch& b : traces[s]) events += b.events.size();
    std::fprintf(io.out, "wrote %s: session %zu, %zu batches, %zu events, %zu bytes%s\n",
                 path.c_str(), s, traces[s].size(), events, wire.size(),
                 s + 1 == traces.size() && LastSessionIncomplete(runner)
                     ? " (incomplete: the run ended before StopTrace: step budget or a model throw)"
                     : "");
  }
  if (traces.size() > 1) {
    std::fprintf(io.out, "the run has %zu trace sessions: session N > 0 is in %s.N\n",
                 traces.size(), o.output.c_str());
  }
  std::fprintf(io.out, "verdict: %s\n", VerdictText(out).c_str());
  return out.verdict.violation ? kExitViolation : kExitOk;
}

}  // namespace schedfuzz::repro
