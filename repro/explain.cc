// explain: the scenario, the verdict, the step table, the events per
// generation and M, and the account in words (account.cc).
#include "repro/explain.h"

#include <algorithm>
#include <cstdio>
#include <string_view>

#include "absl/strings/str_format.h"

#include "core/scenario/text.h"
#include "core/tracefmt/trace.h"
#include "repro/cli.h"
#include "repro/input.h"
#include "repro/report.h"

namespace schedfuzz::repro {

namespace {

std::string SV(std::string_view s) { return std::string(s); }

std::string EventText(const tracefmt::Event& ev) {
  std::string s = SV(tracefmt::EvName(ev.type));
  const int n = tracefmt::EvArgCount(ev.type);
  for (int i = 0; i < n; ++i) {
    const std::string_view name = tracefmt::EvArgName(ev.type, i);
    const uint64_t v = ev.args[i];
    if (name == "stack") continue;  // the model writes no stacks
    s += absl::StrFormat(" %s=", SV(name));
    if (name == "gstatus" && v <= 4) {
      s += SV(tracefmt::GoStatusName(static_cast<tracefmt::GoStatus>(v)));
    } else if (name == "pstatus" && v <= 3) {
      s += SV(tracefmt::ProcStatusName(static_cast<tracefmt::ProcStatus>(v)));
    } else if (name == "m" && v == tracefmt::kNoThread) {
      s += "none";
    } else {
      s += absl::StrFormat("%d", v);
    }
  }
  return s;
}

// "function: operation" -> its two halves.
std::pair<std::string, std::string> SplitSite(const char* site) {
  const std::string_view s = site;
  const size_t colon = s.find(": ");
  if (colon == std::string_view::npos) return {SV(s), ""};
  return {SV(s.substr(0, colon)), SV(s.substr(colon + 2))};
}

bool Shown(const Recording& rec, const StepRow& row, int64_t goid, uint64_t verdict_step) {
  if (verdict_step != 0 && row.step == verdict_step) return true;
  for (size_t i = row.first_fact; i < row.first_fact + row.nfacts; ++i) {
    const Fact& f = rec.facts[i];
    switch (f.kind) {
      case FactKind::kAcquire:
      case FactKind::kRelease:
      case FactKind::kGenSwitch:
      case FactKind::kFlush: return true;
      case FactKind::kStatus:
      case FactKind::kEvent:
        // With no goroutine to follow, every status change is of interest.
        if (goid == 0 ? f.kind == FactKind::kStatus : f.goid == goid) return true;
        break;
    }
  }
  return false;
}

std::string ThreadName(const Recording& rec, int t) {
  return t >= 0 && t < static_cast<int>(rec.thread_names.size()) ? rec.thread_names[t]
                                                                 : absl::StrFormat("t%d", t);
}

// "... 23 steps: M1 12, sysmon 11"
std::string Elided(const Recording& rec, size_t from, size_t to) {
  std::vector<int> per(rec.thread_names.size() + 1, 0);
  for (size_t i = from; i < to; ++i) {
    const int t = rec.rows[i].thread;
    if (t >= 0 && t < static_cast<int>(per.size())) per[t]++;
  }
  std::string s =
      absl::StrFormat("        ... %d step%s elided:", to - from, to - from == 1 ? "" : "s");
  bool first = true;
  for (size_t t = 0; t < per.size(); ++t) {
    if (per[t] == 0) continue;
    s +=
        absl::StrFormat("%s %s %d", first ? "" : ",", ThreadName(rec, static_cast<int>(t)), per[t]);
    first = false;
  }
  return s + "\n";
}

std::string StatusWords(uint32_t s) { return rt::GStatusName(s); }

}  // namespace

int64_t VerdictGoroutine(const oracle::Verdict& v) {
  if (!v.violation) return 0;
  return v.goid;  // the first culprit's, structurally (validator verdicts included)
}

std::string DescribeFact(const Fact& f) {
  switch (f.kind) {
    case FactKind::kStatus: {
      const bool to_scan = (f.new_status & rt::_Gscan) && !(f.old_status & rt::_Gscan);
      const bool from_scan = (f.old_status & rt::_Gscan) && !(f.new_status & rt::_Gscan);
      std::string s = absl::StrFormat("g%d %s -> %s", f.goid, StatusWords(f.old_status),
                                      StatusWords(f.new_status));
      if (to_scan) return s + " (suspended: its status can be read)";
      if (from_scan) return s + " (resumed)";
      if (f.tracing_gen == 0) return s;
      if (f.in_window)
        return s + absl::StrFormat(" inside %s's trace section (gen %d)", f.m, f.window_gen);
      const uint32_t to = f.new_status;
      if (to == rt::_Grunning || to == rt::_Gdead) return s + " (untraced; never snapshotted)";
      if (f.traced_running) return s + " (untraced; waiting for the GC, traced as running)";
      return s + absl::StrFormat(" OUTSIDE any trace section (tracing on, gen %d)", f.tracing_gen);
    }
    case FactKind::kEvent:
      return absl::StrFormat("event %s -> gen %d%s", EventText(f.ev), f.gen,
                             f.m.empty() ? " (M-less batch)" : "");
    case FactKind::kAcquire:
      return absl::StrFormat("traceAcquire: %s enters a trace section (gen %d)", f.m, f.gen);
    case FactKind::kRelease:
      return absl::StrFormat("traceRelease: %s leaves its trace section (gen %d)", f.m, f.gen);
    case FactKind::kGenSwitch:
      if (f.old_gen == 0) return absl::StrFormat("trace.gen 0 -> %d: tracing on", f.gen);
      if (f.gen == 0) return absl::StrFormat("trace.gen %d -> 0: tracing off", f.old_gen);
      return absl::StrFormat("trace.gen %d -> %d: generation switch", f.old_gen, f.gen);
    case FactKind::kFlush: return absl::StrFormat("flushed %s's gen %d buffer", f.m, f.gen);
  }
  return "";
}

std::string StepTable(const Recording& rec, const scenario::Outcome& out, int64_t goid, bool full) {
  const uint64_t vstep = out.verdict.violation ? out.verdict.step : 0;
  std::vector<bool> shown(rec.rows.size(), full);
  if (!full)
    for (size_t i = 0; i < rec.rows.size(); ++i) shown[i] = Shown(rec, rec.rows[i], goid, vstep);
  // Column widths from what is shown, so the table stays narrow.
  size_t wt = 6, wf = 8, wo = 9;
  for (size_t i = 0; i < rec.rows.size(); ++i) {
    if (!shown[i]) continue;
    const auto [fn, op] = SplitSite(rec.rows[i].site);
    wt = std::max(wt, ThreadName(rec, rec.rows[i].thread).size());
    wf = std::max(wf, std::min<size_t>(fn.size(), 28));
    wo = std::max(wo, std::min<size_t>(op.size(), 36));
  }
  std::string s = absl::StrFormat("%6s  %-*s %4s %4s  %-*s %-*s %s\n", "step", wt, "thread", "gen",
                                  "seq", wf, "function", wo, "operation", "changes");
  const std::string indent(6 + 2 + wt + 1 + 4 + 1 + 4 + 2 + wf + 1 + wo + 1, ' ');
  size_t i = 0;
  while (i < rec.rows.size()) {
    if (!shown[i]) {
      size_t j = i;
      while (j < rec.rows.size() && !shown[j]) ++j;
      s += Elided(rec, i, j);
      i = j;
      continue;
    }
    const StepRow& r = rec.rows[i];
    const auto [fn, op] = SplitSite(r.site);
    std::string seq = r.seq < 0 ? "-" : absl::StrFormat("%d", r.seq);
    std::string line = absl::StrFormat("%6d  %-*s %4d %4s  %-*s %-*s", r.step, wt,
                                       ThreadName(rec, r.thread), r.gen, seq, wf, fn, wo, op);
    for (size_t k = 0; k < r.nfacts; ++k) {
      const std::string d = DescribeFact(rec.facts[r.first_fact + k]);
      line += k == 0 ? " " + d : "\n" + indent + d;
    }
    if (vstep != 0 && r.step == vstep)
      line += (r.nfacts ? "\n" + indent : " ") + "<- the oracle fired here";
    while (!line.empty() && line.back() == ' ') line.pop_back();
    s += line + "\n";
    ++i;
  }
  return s;
}

int CmdExplain(const Options& o, const Io& io) {
  const absl::StatusOr<scenario::Scenario> loaded = LoadScenario(o.args[0]);
  if (!loaded.ok()) return UsageError(io, loaded.status());
  const scenario::Scenario& sc = *loaded;
  scenario::Runner runner;
  // The verdict comes from a run under the user's oracles. The record comes
  // from the same run (the model is deterministic and the oracles only
  // watch) under the validator alone: the discipline oracle ends a run the
  // moment it fires, before the observer even sees the change that fired
  // it, and the rest of the run and its trace are worth seeing too.
  const scenario::RunOptions opts = MakeRunOptions(o);
  const scenario::Outcome out = runner.Run(sc, opts);
  scenario::RunOptions rec_opts = opts;
  rec_opts.oracles = oracle::OracleSet::kValidator;
  Recorder recorder(&runner);
  recorder.Install(&rec_opts);
  const scenario::Outcome recorded = runner.Run(sc, rec_opts);
  recorder.Finish();
  const Recording& rec = recorder.recording();
  const oracle::Verdict& v = out.verdict;
  const int64_t goid = VerdictGoroutine(v);

  std::string s =
      absl::StrFormat("== scenario (%s; variant %s, oracles %s)\n%s\n", o.args[0],
                      VariantOf(o).name, oracle::OracleSetName(o.oracles), scenario::PrintText(sc));

  s += "== verdict\n";
  s += absl::StrFormat("run ended: %s\n", out.engine.Describe(runner.engine().thread_names()));
  if (out.engine.status == sim::RunStatus::kAborted &&
      recorded.engine.status != sim::RunStatus::kAborted) {
    s += absl::StrFormat(
        "(the oracle ended the run at step %d; the step table and events below follow the same run "
        "to its "
        "end: %s after %d steps)\n",
        out.engine.steps, sim::RunStatusName(recorded.engine.status), recorded.engine.steps);
  }
  s += absl::StrFormat("%s\n", VerdictText(out));
  if (v.violation) {
    s += absl::StrFormat("oracle %s, check %s", v.oracle, v.check);
    if (v.session >= 0) s += absl::StrFormat(", trace session %d", v.session);
    if (v.gen != 0) s += absl::StrFormat(", generation %d", v.gen);
    if (v.step != 0) s += absl::StrFormat(", step %d", v.step);
    if (goid != 0) s += absl::StrFormat(", goroutine %d", goid);
    s += "\n";
    s += VerdictLines(out);
    if (v.oracle == "validator") s += absl::StrFormat("Go's error text:\n  %s\n", v.message);
    if (out.known) {
      s += absl::StrFormat("known finding %s: %s\n", out.known->id, out.known->summary);
      if (VariantOf(o).realgo_confirms) {
        s += absl::StrFormat(
            "on the real runtime: scripts/realgo.sh confirm %s --go %s --time 60 "
            "(docs/realgo.md)\n",
            out.known->id, VariantOf(o).go_release);
      } else {
        s += absl::StrFormat(
            "on the real runtime: the harness cannot run %s (docs/model.md, Variants)\n",
            VariantOf(o).go_release);
      }
    } else {
      s += "not attributed to any known finding: this is new\n";
    }
  }
  s += "\n";

  s += absl::StrFormat("== steps (%d in all; ", rec.rows.size());
  if (o.full) {
    s += "every step)\n";
  } else if (goid != 0) {
    s += absl::StrFormat(
        "shown: steps that touch goroutine %d, tracer acquire/release, generation switches, "
        "flushes; --full shows "
        "all)\n",
        goid);
  } else {
    s += "shown: status changes, tracer acquire/release, generation switches, flushes; --full "
         "shows all)\n";
  }
  s += "gen: trace.gen after the step; seq: the seqlock of the thread's M after the step (odd: "
       "inside a trace "
       "section)\n";
  s += StepTable(rec, out, goid, o.full) + "\n";

  const auto traces = runner.traces();
  for (size_t i = 0; i < traces.size(); ++i) {
    s += absl::StrFormat("== trace session %d: events per generation and M, in batch order\n", i);
    s += tracefmt::DumpTrace(traces[i]) + "\n";
  }
  if (traces.empty()) s += "== no trace sessions (the scenario never starts tracing)\n\n";

  s += "== the window in words\n" + Account(rec, out, goid);
  std::fputs(s.c_str(), io.out);
  return v.violation ? kExitViolation : kExitOk;
}

}  // namespace schedfuzz::repro
