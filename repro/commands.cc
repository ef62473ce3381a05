// The two tables of the CLI (subcommands and flags) and Main(). Adding a
// subcommand or a flag is one row here; parsing, `schedfuzz help` and
// `schedfuzz help CMD` all read these rows.
#include <string>

#include "absl/strings/str_format.h"

#include "core/base/strings.h"
#include "core/oracle/known.h"
#include "repro/cli.h"
#include "repro/flags.h"
#include "repro/minimize.h"

namespace schedfuzz::repro {

namespace {

constexpr const char* kRunLike = "run explain minimize hunt export check triage";

bool SetVariant(Options* o, std::string_view v, std::string* error) {
  o->variant = rt::FindVariant(v);
  if (!o->variant) {
    std::string names;
    for (const rt::Variant& x : rt::Variants())
      names += (names.empty() ? "" : ", ") + std::string(x.name);
    *error = absl::StrFormat("unknown variant '%s' (variants: %s)", std::string(v), names);
    return false;
  }
  if (o->release_set && o->variant->release != o->release) {
    *error = absl::StrFormat("variant '%s' is a Go %s variant, not Go %s", std::string(v),
                             rt::ReleaseName(o->variant->release), rt::ReleaseName(o->release));
    return false;
  }
  o->release = o->variant->release;
  return true;
}

bool SetGo(Options* o, std::string_view v, std::string* error) {
  rt::Release r;
  if (!rt::ParseRelease(v, &r)) {
    *error = absl::StrFormat("unknown Go release '%s' (1.22, 1.27)", std::string(v));
    return false;
  }
  if (o->variant && o->variant->release != r) {
    *error = absl::StrFormat("variant '%s' is a Go %s variant, not Go %s", o->variant->name,
                             rt::ReleaseName(o->variant->release), rt::ReleaseName(r));
    return false;
  }
  o->release = r;
  o->release_set = true;
  return true;
}

bool SetOracles(Options* o, std::string_view v, std::string* error) {
  if (oracle::ParseOracleSet(v, &o->oracles)) return true;
  *error = absl::StrFormat("unknown oracle set '%s' (all, validator, discipline, invariant)",
                           std::string(v));
  return false;
}

bool SetUint(uint64_t* dst, std::string_view v, std::string* error, uint64_t lo, uint64_t hi) {
  uint64_t x;
  if (!ParseUint(v, &x) || x < lo || x > hi) {
    *error = absl::StrFormat("'%s' is not an integer in %d..%d", std::string(v), lo, hi);
    return false;
  }
  *dst = x;
  return true;
}

bool SetInt(int* dst, std::string_view v, std::string* error, int lo, int hi) {
  uint64_t x = 0;
  if (!SetUint(&x, v, error, static_cast<uint64_t>(lo), static_cast<uint64_t>(hi))) return false;
  *dst = static_cast<int>(x);
  return true;
}

bool SetStrategy(Options* o, std::string_view v, std::string* error) {
  if (v != "random" && v != "pct" && v != "dfs") {
    *error = absl::StrFormat("unknown strategy '%s' (random, pct, dfs)", std::string(v));
    return false;
  }
  o->strategy = std::string(v);
  return true;
}

bool SetFind(Options* o, std::string_view v, std::string* error) {
  if (v != "any" && v != "new" && oracle::FindKnown(v) == nullptr) {
    std::string ids;
    for (const oracle::KnownFinding& k : oracle::KnownFindings()) ids += std::string(", ") + k.id;
    *error = absl::StrFormat("'%s' is not any, new or a known finding id%s", std::string(v), ids);
    return false;
  }
  o->find = std::string(v);
  return true;
}

bool SetNonEmpty(std::string* dst, std::string_view v, std::string* error) {
  if (v.empty()) {
    *error = "empty path";
    return false;
  }
  *dst = std::string(v);
  return true;
}

const FlagSpec kFlags[] = {
    {"go", "RELEASE", kRunLike, "Go release to model: 1.27 (default, the current release) or 1.22",
     [](Options* o, std::string_view v, std::string* e) { return SetGo(o, v, e); }},
    {"variant", "NAME", kRunLike,
     "model variant to run (default: the release as shipped, 1.22's `fixed`; see `schedfuzz "
     "variants`); implies its release",
     [](Options* o, std::string_view v, std::string* e) { return SetVariant(o, v, e); }},
    {"oracles", "SET", kRunLike,
     "oracles that judge a run: all (default), validator, discipline, invariant",
     [](Options* o, std::string_view v, std::string* e) { return SetOracles(o, v, e); }},
    {"json", nullptr, "run minimize hunt check variants cases triage",
     "machine-readable output: one JSON object per line",
     [](Options* o, std::string_view v, std::string*) {
       o->json = v == "1";
       return true;
     }},
    {"full", nullptr, "explain",
     "show every step (default: elide runs of steps that change nothing of interest)",
     [](Options* o, std::string_view v, std::string*) {
       o->full = v == "1";
       return true;
     }},
    {"o", "PATH", "encode minimize hunt export",
     "output file (minimize: a prefix for PREFIX.txt and PREFIX.bin)",
     [](Options* o, std::string_view v, std::string* e) { return SetNonEmpty(&o->output, v, e); }},
    {"strategy", "NAME", "hunt",
     "random (uniform walk, default), pct (PCT, see --depth), dfs (bounded search)",
     [](Options* o, std::string_view v, std::string* e) { return SetStrategy(o, v, e); }},
    {"depth", "D", "hunt", "PCT depth: D-1 priority change points (default 3)",
     [](Options* o, std::string_view v, std::string* e) { return SetInt(&o->depth, v, e, 1, 9); }},
    {"preemptions", "K", "hunt", "dfs: at most K preemptions per schedule (default 2)",
     [](Options* o, std::string_view v, std::string* e) {
       return SetInt(&o->preemptions, v, e, 0, 64);
     }},
    {"runs", "N", "hunt", "stop after N schedules (default 100000)",
     [](Options* o, std::string_view v, std::string* e) {
       return SetUint(&o->runs, v, e, 1, ~0ull);
     }},
    {"seconds", "S", "hunt", "stop after S seconds of wall time (default 60; 0 = no limit)",
     [](Options* o, std::string_view v, std::string* e) {
       if (ParseDouble(v, &o->seconds)) return true;
       *e = absl::StrFormat("'%s' is not a non-negative number", std::string(v));
       return false;
     }},
    {"seed", "S", "hunt", "seed of the random and pct strategies (default 1)",
     [](Options* o, std::string_view v, std::string* e) {
       return SetUint(&o->seed, v, e, 0, ~0ull);
     }},
    {"scenario", "FILE", "hunt",
     "scenario to explore: a file, or a built-in one: syscalls (default: the empty input's "
     "injectglist machine plus a goroutine in syscalls and blocking syscalls) or injectglist "
     "(the empty input's scenario)",
     [](Options* o, std::string_view v, std::string* e) {
       return SetNonEmpty(&o->scenario, v, e);
     }},
    {"find", "WHAT", "hunt",
     "which violation ends the hunt: any (default), new (not a known finding), or a known finding "
     "id",
     [](Options* o, std::string_view v, std::string* e) { return SetFind(o, v, e); }},
    {"max-attempts", "N", "minimize", "give up shrinking after N candidate runs (default 20000)",
     [](Options* o, std::string_view v, std::string* e) {
       return SetUint(&o->max_attempts, v, e, 1, ~0ull);
     }},
    {"keep", "PARTS", "minimize",
     "leave these parts as they are: goroutines,programs,batches,tracer,machine (comma separated)",
     [](Options* o, std::string_view v, std::string* e) {
       MinimizeKeep keep;
       o->keep = std::string(v);
       return ParseKeep(v, &keep, e);
     }},
    {"gocheck", "PATH", "check",
     "the gocheck binary (default: beside schedfuzz, else built with `go build`)",
     [](Options* o, std::string_view v, std::string* e) { return SetNonEmpty(&o->gocheck, v, e); }},
    {"step-budget", "N", "run explain minimize hunt export check cases triage",
     "scheduling points before a run is cut short (default: the model's, RunOptions::step_budget)",
     [](Options* o, std::string_view v, std::string* e) {
       return SetUint(&o->step_budget, v, e, 1, 10000000);
     }},
};

const CommandSpec kCommands[] = {
    {"run", "FILE...", "replay inputs and print one verdict line per file",
     "Prints `FILE: ok`, `FILE: violation: ORACLE: MESSAGE [known: ID]` or\n"
     "`FILE: discarded: WHY` (the run hit a model bound and was not judged).\n"
     "Exit 1 if any file violates. --json: one object per file.\n",
     1, -1, &CmdRun},
    {"print", "FILE", "print an input as scenario text", "", 1, 1, &CmdPrint},
    {"encode", "FILE [-o OUT]", "encode a scenario (text or bytes) in the canonical byte format",
     "Writes raw bytes to OUT, or to stdout when it is not a terminal.\n", 1, 1, &CmdEncode},
    {"explain", "FILE",
     "show a run: scenario, verdict, step table, events, and the window in words",
     "The step table elides runs of steps that touch nothing of interest (the\n"
     "goroutine the verdict names, tracer acquire/release, generation switches);\n"
     "--full shows every step.\n",
     1, 1, &CmdExplain},
    {"minimize", "FILE [-o PREFIX]", "shrink an input while the same violation fires",
     "Same oracle and check, the same message with digits masked, and the same\n"
     "known finding. Writes PREFIX.txt and PREFIX.bin (default PREFIX: FILE\n"
     "without its extension, plus .min). Exit 0 when written, 2 if the input\n"
     "does not violate.\n",
     1, 1, &CmdMinimize},
    {"hunt", "[--strategy=random|pct|dfs]", "search schedules of a scenario for a violation",
     "Reports the schedules tried and the seconds to the first violation and saves\n"
     "it in the byte format (-o, default hunt-<strategy>-<seed>.bin), then replays\n"
     "the saved file to check that it fires the same verdict. Exit 1 if a\n"
     "violation was found, 0 if none.\n",
     0, 0, &CmdHunt},
    {"export", "FILE -o TRACE",
     "write the run's trace in its release's wire format (Go 1.26's or 1.22's)",
     "Session 0 goes to TRACE, further StartTrace..StopTrace sessions to\n"
     "TRACE.1, TRACE.2, ... Exit status follows the run's verdict.\n",
     1, 1, &CmdExport},
    {"check", "FILE", "compare Go's trace parser (repro/gocheck) with the validator",
     "Exports every session, runs gocheck on it, and compares Go's verdict with the\n"
     "C++ validator's. Exit 0 if they agree on every session, 1 if they disagree,\n"
     "2 on bad input or when Go or gocheck is unavailable.\n",
     1, 1, &CmdCheck},
    {"triage", "FILE...", "replay crash files and group them by finding",
     "One line per finding: how many files fire it, its identity (the known\n"
     "finding's id, else ORACLE/CHECK: the message's first line with digits as N)\n"
     "and the first file. Most files first. Exit 1 if any file violates.\n",
     1, -1, &CmdTriage},
    {"validate", "TRACE...", "judge Go 1.22 and Go 1.26 trace files with the validator",
     "Prints `ok N events` (N as Go's reader counts them) or Go's first error line,\n"
     "one line per file (`PATH<TAB>verdict` for several). Exit 0 if every trace is\n"
     "valid, 1 if one is rejected, 2 if a file is missing or not a Go trace.\n",
     1, -1, &CmdValidate},
    {"variants", "", "list the model variants", "", 0, 0, &CmdVariants},
    {"cases", "[FILE|DIR...]", "replay regression cases and compare with their `# expect` lines",
     "A case is a scenario text whose comments say what each variant must give:\n"
     "  # expect VARIANT[/ORACLES]: ok\n"
     "  # expect VARIANT[/ORACLES]: violation: ORACLE: MESSAGE [known: ID]\n"
     "Default: repro/cases. Exit 1 if any expectation fails.\n",
     0, -1, &CmdCases},
};

}  // namespace

int UsageError(const Io& io, std::string_view msg) {
  absl::FPrintF(io.err, "schedfuzz: %s\n", msg);
  return kExitUsage;
}

int UsageError(const Io& io, const absl::Status& status) {
  return UsageError(io, StdView(status.message()));
}

int Main(int argc, const char* const* argv, const Io& io) {
  Options o;
  std::string error;
  if (!ParseCommandLine(argc, argv, kCommands, kFlags, &o, &error)) return UsageError(io, error);
  if (o.command == "help") {
    std::string text = HelpText(kCommands, kFlags);
    for (const CommandSpec& c : kCommands)
      if (!o.args.empty() && o.args[0] == c.name) text = CommandHelp(c, kFlags);
    std::fputs(text.c_str(), io.out);
    return kExitOk;
  }
  for (const CommandSpec& c : kCommands)
    if (o.command == c.name) return c.run(o, io);
  return UsageError(io, "unknown subcommand " + o.command);
}

}  // namespace schedfuzz::repro
