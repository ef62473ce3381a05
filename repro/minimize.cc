#include "repro/minimize.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "absl/strings/str_format.h"

#include "core/scenario/codec.h"
#include "core/scenario/text.h"
#include "repro/cli.h"
#include "repro/input.h"
#include "repro/json.h"
#include "repro/report.h"

namespace schedfuzz::repro {

using scenario::OpKind;
using scenario::Scenario;

const char* SizeFieldName(int f) {
  static const char* const kNames[Size::kNumFields] = {
      "goroutines",     "program ops", "poll batch fds",
      "poll batches",   "tracer ops",  "context switches",
      "schedule bytes", "procs",       "ms",
      "sysmon rounds",  "fds",         "delays",
      "op points",      "programs",    "schedule byte sum",
  };
  return f >= 0 && f < Size::kNumFields ? kNames[f] : "?";
}

namespace {

bool TakesPoints(OpKind k) {
  return k == OpKind::kWork || k == OpKind::kSyscall || k == OpKind::kSyscallBlock;
}

// One minimization: the current best scenario and what accepting a
// candidate takes.
class Shrinker {
 public:
  Shrinker(scenario::Runner& runner, const scenario::RunOptions& opts, const MinimizeConfig& cfg)
      : runner_(runner), opts_(opts), max_attempts_(cfg.max_attempts), keep_(cfg.keep) {}

  // Runs the input; false if it does not violate.
  bool Start(const Scenario& in) {
    cur_ = in;
    scenario::Normalize(&cur_);
    if (cur_.pct_schedule) {
      // The passes below shrink byte-form schedules: a PCT-form one is first
      // re-encoded as the byte-form schedule of the same run.
      runner_.Run(cur_, opts_);
      cur_.schedule = sim::EncodeDecisionsAsBytes(runner_.engine().decision_indices());
      cur_.pct_schedule = false;
    }
    sim::ByteChooser bc(cur_.schedule);
    out_ = runner_.Run(cur_, bc, opts_);
    if (!out_.verdict.violation) return false;
    key_ = VerdictKey(out_);
    initial_ = cur_;
    initial_out_ = out_;
    initial_size_ = SizeOf(cur_, CountContextSwitches(runner_.engine().decision_threads()));
    // Bytes the chooser never read cannot matter: dropping them keeps the
    // run identical.
    cur_.schedule.resize(bc.consumed());
    size_ = SizeOf(cur_, CountContextSwitches(runner_.engine().decision_threads()));
    return true;
  }

  // Keeps `cand` if it fires the same finding and is smaller.
  bool Try(Scenario cand) {
    if (attempts_ >= max_attempts_) {
      capped_ = true;
      return false;
    }
    scenario::Normalize(&cand);
    if (cand == cur_ || !Keeps(cand)) return false;
    // Everything ranked before the context switches is known without a run.
    Size pre = SizeOf(cand, 0);
    for (int f = 0; f < Size::kContextSwitches; ++f) {
      if (pre.v[f] != size_.v[f]) {
        if (pre.v[f] > size_.v[f]) return false;
        break;
      }
    }
    ++attempts_;
    sim::ByteChooser bc(cand.schedule);
    const scenario::Outcome& out = runner_.Run(cand, bc, opts_);
    if (VerdictKey(out) != key_) return false;
    cand.schedule.resize(bc.consumed());
    const Size s = SizeOf(cand, CountContextSwitches(runner_.engine().decision_threads()));
    if (!(s < size_)) return false;
    cur_ = std::move(cand);
    size_ = s;
    out_ = out;
    return true;
  }

  // The parts the user asked to keep (--keep) are the same as in the input.
  bool Keeps(const Scenario& c) const {
    if (keep_.goroutines && c.goroutines != initial_.goroutines) return false;
    if (keep_.programs && c.programs != initial_.programs) return false;
    if (keep_.batches && c.batches.size() != initial_.batches.size()) return false;
    if (keep_.batches) {
      for (size_t i = 0; i < c.batches.size(); ++i)
        if (c.batches[i].fds != initial_.batches[i].fds ||
            c.batches[i].path != initial_.batches[i].path)
          return false;
    }
    if (keep_.tracer && c.tracer.size() != initial_.tracer.size()) return false;
    if (keep_.tracer) {
      for (size_t i = 0; i < c.tracer.size(); ++i)
        if (c.tracer[i].kind != initial_.tracer[i].kind) return false;
    }
    if (keep_.machine &&
        (c.nprocs != initial_.nprocs || c.nms != initial_.nms || c.sysmon != initial_.sysmon ||
         c.sysmon_rounds != initial_.sysmon_rounds || c.nfds != initial_.nfds ||
         c.runq_size != initial_.runq_size))
      return false;
    return true;
  }

  bool capped() const { return capped_ || attempts_ >= max_attempts_; }
  const Scenario& cur() const { return cur_; }

  bool Goroutines() {
    bool any = false;
    for (size_t i = cur_.goroutines.size(); i-- > 0 && !capped();) {
      if (i >= cur_.goroutines.size()) continue;
      Scenario c = cur_;
      c.goroutines.erase(c.goroutines.begin() + static_cast<long>(i));
      any |= Try(std::move(c));
    }
    return any;
  }

  bool TracerOps() {
    bool any = false;
    for (size_t i = cur_.tracer.size(); i-- > 0 && !capped();) {
      if (i >= cur_.tracer.size()) continue;
      Scenario c = cur_;
      c.tracer.erase(c.tracer.begin() + static_cast<long>(i));
      any |= Try(std::move(c));
    }
    return any;
  }

  bool Batches() {
    bool any = false;
    for (size_t i = cur_.batches.size(); i-- > 0 && !capped();) {
      if (i >= cur_.batches.size()) continue;
      Scenario c = cur_;
      c.batches.erase(c.batches.begin() + static_cast<long>(i));
      if (Try(std::move(c))) {
        any = true;
        continue;
      }
      for (size_t j = cur_.batches[i].fds.size(); j-- > 0 && !capped();) {
        if (i >= cur_.batches.size() || j >= cur_.batches[i].fds.size()) continue;
        Scenario d = cur_;
        d.batches[i].fds.erase(d.batches[i].fds.begin() + static_cast<long>(j));
        any |= Try(std::move(d));
      }
    }
    return any;
  }

  bool ProgramOps() {
    bool any = false;
    for (size_t p = 0; p < cur_.programs.size() && !capped(); ++p) {
      for (size_t j = cur_.programs[p].size(); j-- > 0 && !capped();) {
        if (p >= cur_.programs.size() || j >= cur_.programs[p].size()) continue;
        Scenario c = cur_;
        c.programs[p].erase(c.programs[p].begin() + static_cast<long>(j));
        any |= Try(std::move(c));
      }
    }
    return any;
  }

  // Programs no goroutine and no `go` op refers to.
  bool UnusedPrograms() {
    bool any = false;
    for (size_t p = cur_.programs.size(); p-- > 0 && !capped();) {
      if (cur_.programs.size() <= 1 || p >= cur_.programs.size()) continue;
      bool used = false;
      for (const auto& g : cur_.goroutines) used |= g.program == p;
      for (const auto& prog : cur_.programs)
        for (const auto& op : prog) used |= op.kind == OpKind::kGo && op.arg == p;
      if (used) continue;
      Scenario c = cur_;
      c.programs.erase(c.programs.begin() + static_cast<long>(p));
      for (auto& g : c.goroutines)
        if (g.program > p) g.program--;
      for (auto& prog : c.programs)
        for (auto& op : prog)
          if (op.kind == OpKind::kGo && op.arg > p) op.arg--;
      any |= Try(std::move(c));
    }
    return any;
  }

  // Re-encodes the current run's decisions with quanta (CompressDecisions):
  // the same run from fewer bytes, which gives the byte-level passes one
  // byte per context switch to work on instead of one per decision.
  bool Recode() {
    if (capped()) return false;
    sim::ByteChooser bc(cur_.schedule);
    runner_.Run(cur_, bc, opts_);
    ++attempts_;
    Scenario c = cur_;
    c.schedule =
        CompressDecisions(runner_.engine().decision_indices(), runner_.engine().decision_threads());
    if (c.schedule.size() >= cur_.schedule.size()) return false;
    return Try(std::move(c));
  }

  // Deletes runs of schedule bytes, halving the run length (as ddmin does).
  bool ScheduleChunks() {
    bool any = false;
    for (size_t chunk = std::max<size_t>(cur_.schedule.size() / 2, 1); chunk >= 1 && !capped();
         chunk /= 2) {
      size_t i = 0;
      while (i < cur_.schedule.size() && !capped()) {
        Scenario c = cur_;
        const size_t end = std::min(i + chunk, c.schedule.size());
        c.schedule.erase(c.schedule.begin() + static_cast<long>(i),
                         c.schedule.begin() + static_cast<long>(end));
        if (Try(std::move(c))) {
          any = true;  // retry at i: the bytes there are new
        } else {
          i += chunk;
        }
      }
      if (chunk == 1) break;
    }
    return any;
  }

  // Smaller schedule bytes: 0, the quantum nibble cleared, the index nibble
  // cleared, the quantum one step shorter.
  bool ScheduleValues() {
    bool any = false;
    for (size_t i = 0; i < cur_.schedule.size() && !capped(); ++i) {
      const uint8_t b = cur_.schedule[i];
      const uint8_t tries[] = {0, static_cast<uint8_t>(b & 0x0f), static_cast<uint8_t>(b & 0xf0),
                               static_cast<uint8_t>(b >= 0x10 ? b - 0x10 : b)};
      for (uint8_t t : tries) {
        if (t >= b || i >= cur_.schedule.size()) continue;
        Scenario c = cur_;
        c.schedule[i] = t;
        if (Try(std::move(c))) {
          any = true;
          break;
        }
      }
    }
    return any;
  }

  // Tries v -> 0, v/2, v-1 through `set` on a copy of the current scenario.
  template <typename Get, typename Set>
  bool Lower(Get get, Set set, int floor = 0) {
    bool any = false;
    for (int pass = 0; pass < 3 && !capped(); ++pass) {
      const int v = get(cur_);
      const int cand[] = {floor, v / 2, v - 1};
      if (cand[pass] < floor || cand[pass] >= v) continue;
      Scenario c = cur_;
      set(c, cand[pass]);
      if (Try(std::move(c))) {
        any = true;
        if (pass > 0) pass = -1;  // keep lowering from the new value
      }
    }
    return any;
  }

  bool Values() {
    bool any = false;
    for (size_t i = 0; i < cur_.tracer.size() && !capped(); ++i) {
      any |= Lower([i](const Scenario& s) { return i < s.tracer.size() ? s.tracer[i].delay : 0; },
                   [i](Scenario& s, int v) { s.tracer[i].delay = static_cast<uint8_t>(v); });
    }
    for (size_t i = 0; i < cur_.batches.size() && !capped(); ++i) {
      any |= Lower([i](const Scenario& s) { return i < s.batches.size() ? s.batches[i].delay : 0; },
                   [i](Scenario& s, int v) { s.batches[i].delay = static_cast<uint8_t>(v); });
    }
    for (size_t p = 0; p < cur_.programs.size() && !capped(); ++p) {
      for (size_t j = 0; j < cur_.programs[p].size() && !capped(); ++j) {
        if (!TakesPoints(cur_.programs[p][j].kind)) continue;
        any |= Lower(
            [p, j](const Scenario& s) {
              return p < s.programs.size() && j < s.programs[p].size() ? s.programs[p][j].arg : 0;
            },
            [p, j](Scenario& s, int v) { s.programs[p][j].arg = static_cast<uint8_t>(v); });
      }
    }
    return any;
  }

  bool Machine() {
    bool any = false;
    any |= Lower([](const Scenario& s) { return s.nprocs; },
                 [](Scenario& s, int v) {
                   // Keep as many spare Ms as before.
                   s.nms = static_cast<uint8_t>(s.nms - (s.nprocs - v));
                   s.nprocs = static_cast<uint8_t>(v);
                 },
                 1);
    any |= Lower([](const Scenario& s) { return s.nms; },
                 [](Scenario& s, int v) { s.nms = static_cast<uint8_t>(v); }, 1);
    if (cur_.sysmon && !capped()) {
      Scenario c = cur_;
      c.sysmon = false;
      c.sysmon_rounds = 0;
      any |= Try(std::move(c));
    }
    if (cur_.sysmon) {
      any |= Lower([](const Scenario& s) { return s.sysmon_rounds; },
                   [](Scenario& s, int v) { s.sysmon_rounds = static_cast<uint8_t>(v); }, 1);
    }
    any |= Lower([](const Scenario& s) { return s.nfds; },
                 [](Scenario& s, int v) { s.nfds = static_cast<uint8_t>(v); }, 1);
    any |= UnusedPrograms();
    return any;
  }

  const Scenario& initial() const { return initial_; }
  const scenario::Outcome& initial_outcome() const { return initial_out_; }
  const Size& initial_size() const { return initial_size_; }
  const scenario::Outcome& outcome() const { return out_; }
  const Size& size() const { return size_; }
  uint64_t attempts() const { return attempts_; }

 private:
  scenario::Runner& runner_;
  const scenario::RunOptions& opts_;
  const uint64_t max_attempts_;
  const MinimizeKeep keep_;
  uint64_t attempts_ = 0;
  bool capped_ = false;
  Scenario cur_, initial_;
  scenario::Outcome out_, initial_out_;
  Size size_, initial_size_;
  std::string key_;
};

}  // namespace

std::vector<uint8_t> CompressDecisions(std::span<const uint8_t> indices,
                                       std::span<const int> threads) {
  std::vector<uint8_t> out;
  const auto& quanta = sim::ByteChooser::kQuanta;
  size_t i = 0;
  while (i < indices.size()) {
    // Decisions i+1 .. i+run-1 chose the same thread as decision i. A quantum
    // may cover at most those: one more would keep the thread where the run
    // switched away (the chooser only ends a quantum early when the thread
    // cannot run).
    size_t run = 1;
    while (i + run < indices.size() && threads[i + run] == threads[i]) ++run;
    int q = 15;
    while (q > 0 && quanta[q] > run - 1) --q;
    out.push_back(static_cast<uint8_t>((q << 4) | (indices[i] & 15)));
    i += 1 + quanta[q];
  }
  return out;
}

Size SizeOf(const Scenario& sc, int context_switches) {
  Size s;
  auto& v = s.v;
  v[Size::kGoroutines] = sc.goroutines.size();
  for (const auto& prog : sc.programs) {
    v[Size::kProgramOps] += prog.size();
    for (const auto& op : prog)
      if (TakesPoints(op.kind)) v[Size::kOpArgs] += op.arg;
  }
  for (const auto& b : sc.batches) {
    v[Size::kBatchFds] += b.fds.size();
    v[Size::kDelays] += b.delay;
  }
  v[Size::kBatches] = sc.batches.size();
  v[Size::kTracerOps] = sc.tracer.size();
  for (const auto& t : sc.tracer) v[Size::kDelays] += t.delay;
  v[Size::kContextSwitches] = static_cast<uint64_t>(context_switches);
  v[Size::kScheduleBytes] = sc.schedule.size();
  v[Size::kProcs] = sc.nprocs;
  v[Size::kMs] = sc.nms;
  v[Size::kSysmonRounds] = sc.sysmon ? sc.sysmon_rounds : 0;
  v[Size::kFds] = sc.nfds;
  v[Size::kPrograms] = sc.programs.size();
  for (uint8_t b : sc.schedule) v[Size::kScheduleSum] += b;
  return s;
}

bool Minimize(const Scenario& in, const scenario::RunOptions& opts, const MinimizeConfig& cfg,
              scenario::Runner& runner, MinimizeResult* out, std::string* error) {
  Shrinker s(runner, opts, cfg);
  if (!s.Start(in)) {
    *error = "the input does not violate under these options (" + VerdictText(runner.outcome()) +
             "); nothing to minimize";
    return false;
  }
  // Structure first (each removal makes later passes cheaper), then the
  // schedule, then values; repeat until a whole round changes nothing.
  for (bool progress = true; progress && !s.capped();) {
    progress = false;
    progress |= s.Goroutines();
    progress |= s.TracerOps();
    progress |= s.Batches();
    progress |= s.ProgramOps();
    progress |= s.Recode();
    progress |= s.ScheduleChunks();
    progress |= s.Machine();
    progress |= s.Values();
    progress |= s.ScheduleValues();
  }
  out->input = s.initial();
  out->before = s.initial_outcome();
  out->size_before = s.initial_size();
  out->best = s.cur();
  out->size_after = s.size();
  out->attempts = s.attempts();
  out->capped = s.capped();
  // Leave the runner holding the best run (callers may read its engine).
  sim::ByteChooser bc(out->best.schedule);
  out->after = runner.Run(out->best, bc, opts);
  return true;
}

bool ParseKeep(std::string_view list, MinimizeKeep* keep, std::string* error) {
  *keep = MinimizeKeep{};
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view item = list.substr(0, comma);
    if (item == "goroutines")
      keep->goroutines = true;
    else if (item == "programs")
      keep->programs = true;
    else if (item == "batches")
      keep->batches = true;
    else if (item == "tracer")
      keep->tracer = true;
    else if (item == "machine")
      keep->machine = true;
    else {
      *error = absl::StrFormat("unknown part '%s' (goroutines, programs, batches, tracer, machine)",
                               std::string(item));
      return false;
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return true;
}

std::string DescribeShrink(const Size& before, const Size& after) {
  std::string s;
  for (int f = 0; f < Size::kNumFields; ++f) {
    if (f == Size::kScheduleSum || before.v[f] == after.v[f]) continue;
    if (!s.empty()) s += ", ";
    if (f == Size::kScheduleBytes) {
      s += absl::StrFormat("schedule %d → %d bytes", before.v[f], after.v[f]);
    } else {
      s += absl::StrFormat("%s %d → %d", SizeFieldName(f), before.v[f], after.v[f]);
    }
  }
  return s.empty() ? "nothing removed" : s;
}

int CmdMinimize(const Options& o, const Io& io) {
  const absl::StatusOr<Scenario> loaded = LoadScenario(o.args[0]);
  if (!loaded.ok()) return UsageError(io, loaded.status());
  const Scenario& sc = *loaded;
  std::string error;
  std::string prefix = o.output;
  if (prefix.empty()) {
    prefix = o.args[0];
    const size_t slash = prefix.rfind('/');
    const size_t dot = prefix.rfind('.');
    if (dot != std::string::npos && (slash == std::string::npos || dot > slash)) prefix.resize(dot);
    prefix += ".min";
  }
  const scenario::RunOptions opts = MakeRunOptions(o);
  scenario::Runner runner;
  MinimizeConfig cfg;
  cfg.max_attempts = o.max_attempts;
  if (!ParseKeep(o.keep, &cfg.keep, &error)) return UsageError(io, error);
  MinimizeResult r;
  if (!Minimize(sc, opts, cfg, runner, &r, &error)) return UsageError(io, o.args[0] + ": " + error);

  const std::string verdict = VerdictText(r.after);
  std::string text = absl::StrFormat(
      "# minimized by `schedfuzz minimize --variant=%s --oracles=%s%s` from %s\n# %s\n",
      VariantOf(o).name, oracle::OracleSetName(o.oracles),
      o.keep.empty() ? "" : " --keep=" + o.keep, o.args[0], verdict);
  text += scenario::PrintText(r.best);
  const std::vector<uint8_t> bytes = scenario::Encode(r.best);
  if (absl::Status st = WriteFile(prefix + ".txt", text); !st.ok()) return UsageError(io, st);
  if (absl::Status st = WriteFile(prefix + ".bin", bytes); !st.ok()) return UsageError(io, st);

  const std::string shrink = DescribeShrink(r.size_before, r.size_after);
  if (o.json) {
    JsonObject sizes;
    for (int f = 0; f < Size::kNumFields; ++f) {
      sizes.Ints(SizeFieldName(f), {r.size_before.v[f], r.size_after.v[f]});
    }
    JsonObject j;
    j.Str("file", o.args[0])
        .Str("variant", VariantOf(o).name)
        .Str("oracles", oracle::OracleSetName(o.oracles))
        .Str("before", VerdictText(r.before));
    AddOutcomeJson(r.after, &j);
    j.Int("attempts", r.attempts)
        .Bool("capped", r.capped)
        .Str("txt", prefix + ".txt")
        .Str("bin", prefix + ".bin")
        .Object("sizes", sizes);
    std::fprintf(io.out, "%s\n", j.str().c_str());
  } else {
    std::fprintf(io.out, "before: %s\nafter:  %s\n", VerdictText(r.before).c_str(),
                 verdict.c_str());
    std::fprintf(io.out, "removed: %s\n", shrink.c_str());
    std::fprintf(io.out, "%llu candidate runs%s; wrote %s.txt and %s.bin (%zu bytes)\n",
                 static_cast<unsigned long long>(r.attempts),
                 r.capped ? " (stopped at --max-attempts)" : "", prefix.c_str(), prefix.c_str(),
                 bytes.size());
  }
  return kExitOk;
}

}  // namespace schedfuzz::repro
