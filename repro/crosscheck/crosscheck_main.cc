// crosscheck: the C++ half of the differential check between the trace
// validator (core/oracle/validator.h) and Go's own parser (repro/gocheck,
// golang.org/x/exp/trace pinned to the Go 1.22 parser).
//
// It generates N fuzz inputs deterministically from a seed (random byte
// strings of varied lengths; the header bytes, the section mask among them,
// are the default 0 or random, so both the default Go issue 70883 machine and
// broad random machines come up; see docs/format.md), adds any --extra inputs
// (case texts, corpus files), runs each on every requested variant, and for
// every *closed* trace session (StopTrace finished: a complete trace) writes
// the Go 1.22 wire form and records the validator's verdict. Open sessions
// (the run ended first: step budget, deadlock, a model throw) are not
// complete traces and are not written.
//
// Output, under --out DIR:
//   DIR/inputs/ID.bin     the input bytes (ID.txt for text extras): replay with
//                         `schedfuzz run --variant=V --oracles=validator FILE`
//   DIR/traces/ID.V.sS.trace   the wire trace of session S of the run on V
//   DIR/manifest.tsv      one line per trace, tab-separated, after a '#' header:
//     id  variant  session  file  cpp  input  gens  run
//   where cpp is the validator's verdict in gocheck's words: "ok N events"
//   (N counts Go's synthetic Sync events too, one per generation, as gocheck
//   does) or "error: <first line of Go's error text>"; gens is the number of
//   generations in the trace; run is the run's own verdict under --oracles
//   (context only: the compared verdict is the per-session one).
//
// --mutants=K adds, for every closed session, K mutated copies of its trace
// (session column "S.mJ", file ID.V.sS.mJ.trace, run column "mutant: <what
// was changed>"): an event deleted, duplicated, moved to another M or swapped
// with its neighbour, an argument or event type changed, a batch dropped,
// moved, or given another M or generation, a Frequency batch dropped or
// doubled. The model's traces are almost all valid, so these exercise the
// error paths of both parsers. Mutations keep timestamps unique across Ms
// (an event moves with its timestamp, a duplicate stays on its M, and an
// edit that still makes a tie, e.g. a duplicate later moved, is redrawn), so
// Go's random tie order between Ms never decides a mutant's verdict. With --tied
// every mutant's timestamps are then all set to 0, so that every event ties
// with every other M's events: an experiment on how much Go's random tie
// order changes its verdicts (docs/crosscheck.md), not a check that should
// pass.
// scripts/crosscheck.sh feeds the manifest to `gocheck -batch` and compares.
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"

#include "core/base/strings.h"
#include "core/oracle/validator.h"
#include "core/oracle/verdict.h"
#include "core/runtime/variant.h"
#include "core/scenario/codec.h"
#include "core/scenario/run.h"
#include "core/scenario/text.h"
#include "core/tracefmt/reframe.h"
#include "core/tracefmt/wire.h"
#include "repro/flags.h"
#include "repro/input.h"

namespace {

using schedfuzz::oracle::OracleSet;
namespace scenario = schedfuzz::scenario;
namespace tracefmt = schedfuzz::tracefmt;
namespace repro = schedfuzz::repro;
namespace fs = std::filesystem;

constexpr int kExitUsage = 2;

struct CrossOptions {
  uint64_t n = 1000;
  uint64_t seed = 1;
  uint64_t step_budget = 0;  // 0: RunOptions' default
  uint64_t mutants = 0;
  bool tied = false;
  tracefmt::Version format = tracefmt::Version::kGo122;
  std::string out_dir;
  std::string variants = "fixed,go70883";
  OracleSet oracles = OracleSet::kValidator;
  std::vector<std::string> extras;
};

bool SetUint(uint64_t* dst, std::string_view v, std::string* error, uint64_t lo, uint64_t hi) {
  uint64_t x;
  if (!repro::ParseUint(v, &x) || x < lo || x > hi) {
    *error = absl::StrFormat("'%s' is not an integer in %d..%d", v, lo, hi);
    return false;
  }
  *dst = x;
  return true;
}

bool SetNonEmpty(std::string* dst, std::string_view v, std::string* error) {
  if (v.empty()) {
    *error = "empty";
    return false;
  }
  *dst = std::string(v);
  return true;
}

using Flag = repro::BasicFlagSpec<CrossOptions>;
const Flag kFlags[] = {
    {"out", "DIR", "crosscheck", "where inputs/, traces/ and manifest.tsv go (required)",
     [](CrossOptions* o, std::string_view v, std::string* e) {
       return SetNonEmpty(&o->out_dir, v, e);
     }},
    {"n", "N", "crosscheck", "inputs generated from the seed (default 1000)",
     [](CrossOptions* o, std::string_view v, std::string* e) {
       return SetUint(&o->n, v, e, 0, ~0ull);
     }},
    {"seed", "S", "crosscheck", "generator seed; input i depends on S and i only (default 1)",
     [](CrossOptions* o, std::string_view v, std::string* e) {
       return SetUint(&o->seed, v, e, 0, ~0ull);
     }},
    {"variants", "LIST", "crosscheck", "comma-separated model variants (default fixed,go70883)",
     [](CrossOptions* o, std::string_view v, std::string*) {
       o->variants = std::string(v);
       return true;
     }},
    {"oracles", "SET", "crosscheck",
     "oracles of each run (default validator: the discipline oracle stops a run early, cutting "
     "its trace short)",
     [](CrossOptions* o, std::string_view v, std::string* e) {
       if (schedfuzz::oracle::ParseOracleSet(v, &o->oracles)) return true;
       *e = absl::StrFormat("unknown oracle set '%s' (all, validator, discipline, invariant)", v);
       return false;
     }},
    {"step-budget", "N", "crosscheck", "scheduling points before a run is cut short",
     [](CrossOptions* o, std::string_view v, std::string* e) {
       return SetUint(&o->step_budget, v, e, 1, ~0ull);
     }},
    {"extra", "PATH", "crosscheck",
     "one more input: a file, or a directory's files; text scenarios and byte inputs alike "
     "(repeatable)",
     [](CrossOptions* o, std::string_view v, std::string* e) {
       std::string path;
       if (!SetNonEmpty(&path, v, e)) return false;
       o->extras.push_back(std::move(path));
       return true;
     }},
    {"mutants", "K", "crosscheck",
     "also write K mutated copies of every closed session's trace (default 0)",
     [](CrossOptions* o, std::string_view v, std::string* e) {
       return SetUint(&o->mutants, v, e, 0, 1000);
     }},
    {"format", "F", "crosscheck",
     "trace format: go122 (default; what the model writes), go123, go125 or go126 (the "
     "model's traces re-framed: sync batches with clock snapshots, EndOfGeneration)",
     [](CrossOptions* o, std::string_view v, std::string* e) {
       if (tracefmt::ParseVersionFlag(v, &o->format)) return true;
       *e = absl::StrFormat("'%s' is not one of go122, go123, go125, go126", v);
       return false;
     }},
    {"tied", nullptr, "crosscheck",
     "with --mutants: set all the mutants' timestamps to 0 (an experiment on Go's random tie "
     "order)",
     [](CrossOptions* o, std::string_view v, std::string*) {
       o->tied = v == "1";
       return true;
     }},
};

void Usage(FILE* f) {
  std::string s =
      "usage: crosscheck --out=DIR [flags]\n"
      "\n"
      "Generates N inputs from the seed, runs each (and every --extra input) on every\n"
      "variant, and writes DIR/inputs/, DIR/traces/ and DIR/manifest.tsv (id, variant,\n"
      "session, file, cpp verdict, input, gens, run). Only closed trace sessions are\n"
      "written.\n"
      "\n"
      "flags:\n";
  for (const Flag& flag : kFlags) {
    absl::StrAppendFormat(&s, "  %-16s %s\n", repro::FlagUsage(flag), flag.help);
  }
  std::fputs(s.c_str(), f);
}

// splitmix64: small, fast, and the same on every platform.
struct Rng {
  uint64_t x;
  uint64_t Next() {
    uint64_t z = (x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }
};

// Input i of seed s. Byte 0 is the format version (so `schedfuzz run`
// replays the file); each header byte 1..6 (section mask, procs, ms, fds,
// sysmon, runq) is 0 (the default) with probability 3/8 and random otherwise;
// everything else (schedule, and the sections read from the end) is random.
// Lengths: a quarter short (1..63 bytes: mostly the default sections; never
// empty, which `schedfuzz run` refuses as an input), half
// medium (64..255), a quarter long (256..1023: long schedules).
std::vector<uint8_t> GenerateInput(uint64_t seed, uint64_t index) {
  Rng rng{seed * 0xd1342543de82ef95ull + index};
  rng.Next();
  size_t len;
  switch (rng.Below(4)) {
    case 0: len = 1 + rng.Below(63); break;
    case 3: len = 256 + rng.Below(768); break;
    default: len = 64 + rng.Below(192); break;
  }
  std::vector<uint8_t> data(len);
  for (uint8_t& b : data) b = static_cast<uint8_t>(rng.Next() >> 56);
  if (!data.empty()) data[0] = scenario::kFormatVersion;
  for (size_t i = 1; i < scenario::kHeaderSize && i < data.size(); ++i) {
    if (rng.Below(8) < 3) data[i] = 0;
  }
  return data;
}

struct Input {
  std::string id;
  std::string ext;  // ".bin" or ".txt"
  std::vector<uint8_t> bytes;
  scenario::Scenario sc;
};

// The shared helper's error names the file; crosscheck prefixes its name.
bool WriteFile(const std::string& path, std::string_view data) {
  const absl::Status st = repro::WriteFile(path, data);
  if (!st.ok()) absl::FPrintF(stderr, "crosscheck: %s\n", schedfuzz::StdView(st.message()));
  return st.ok();
}
bool WriteFile(const std::string& path, std::span<const uint8_t> data) {
  return WriteFile(path, std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
}

// An id made of the file's directory and base name: x-DIR-NAME.
std::string ExtraId(const fs::path& p) {
  std::string s = "x-" + p.parent_path().filename().string() + "-" + p.stem().string();
  for (char& c : s) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.';
    if (!plain) c = '_';
  }
  return s;
}

// A text scenario (first non-comment line `schedfuzz scenario v1`) is parsed
// with ParseText; anything else is a byte input, decoded as the fuzzers do.
bool LoadExtra(const fs::path& p, Input* in) {
  absl::StatusOr<std::vector<uint8_t>> bytes = repro::ReadFile(p.string());
  if (!bytes.ok()) {
    absl::FPrintF(stderr, "crosscheck: %s\n", schedfuzz::StdView(bytes.status().message()));
    return false;
  }
  in->bytes = *std::move(bytes);
  in->id = ExtraId(p);
  if (repro::DetectForm(in->bytes) == repro::InputForm::kText) {
    const absl::StatusOr<scenario::Scenario> sc = scenario::ParseText(
        std::string_view(reinterpret_cast<const char*>(in->bytes.data()), in->bytes.size()));
    if (!sc.ok()) {
      absl::FPrintF(stderr, "crosscheck: %s: %s\n", p.string(),
                    schedfuzz::StdView(sc.status().message()));
      return false;
    }
    in->sc = *sc;
    in->ext = ".txt";
  } else {
    scenario::Decode(in->bytes, &in->sc);
    in->ext = ".bin";
  }
  return true;
}

bool CollectExtras(const std::vector<std::string>& paths, std::vector<Input>* out) {
  for (const std::string& root : paths) {
    std::error_code ec;
    std::vector<fs::path> files;
    if (fs::is_directory(root, ec)) {
      for (const fs::directory_entry& e : fs::directory_iterator(root, ec)) {
        const std::string name = e.path().filename().string();
        if (e.is_regular_file() && name[0] != '.' && name != "README.md") files.push_back(e.path());
      }
      if (ec) {
        std::fprintf(stderr, "crosscheck: %s: %s\n", root.c_str(), ec.message().c_str());
        return false;
      }
      std::sort(files.begin(), files.end());
    } else {
      files.emplace_back(root);
    }
    for (const fs::path& p : files) {
      Input in;
      if (!LoadExtra(p, &in)) return false;
      out->push_back(std::move(in));
    }
  }
  return true;
}

std::string FirstLine(const std::string& s) {
  std::string r = s.substr(0, s.find('\n'));
  std::replace(r.begin(), r.end(), '\t', ' ');
  return r;
}

size_t CountGens(const tracefmt::Trace& t) {
  size_t n = 0;
  for (size_t i = 0; i < t.size(); ++i)
    if (i == 0 || t[i].gen != t[i - 1].gen) ++n;
  return n;
}

// --- Mutants: small edits of a valid trace that Go's parser should mostly
// reject, so that both parsers' error paths meet.

// Indices of the event batches with at least one event.
std::vector<size_t> EventBatches(const tracefmt::Trace& t, bool nonempty) {
  std::vector<size_t> r;
  for (size_t i = 0; i < t.size(); ++i)
    if (t[i].kind == tracefmt::BatchKind::kEvents && (!nonempty || !t[i].events.empty()))
      r.push_back(i);
  return r;
}

// Copies `in` into *out batch by batch (Trace has no copy that keeps `used`).
void CopyTrace(const tracefmt::Trace& in, tracefmt::Trace* out) {
  out->Clear();
  out->version = in.version;
  for (const tracefmt::Batch& b : in) out->Append() = b;
}

void EraseBatch(tracefmt::Trace* t, size_t i) {
  for (size_t j = i; j + 1 < t->size(); ++j) std::swap((*t)[j], (*t)[j + 1]);
  --t->used;
}

uint64_t MutatedArg(Rng& rng, uint64_t v) {
  switch (rng.Below(6)) {
    case 0: return v + 1;
    case 1: return v - 1;
    case 2: return ~uint64_t{0};  // Go's "none" (-1) for ids
    case 3: return rng.Below(6);
    case 4: return v + 2 + rng.Below(8);
    default: return rng.Next();
  }
}

// Applies one random edit to *t; returns what it did ("" if nothing applied).
std::string MutateOnce(Rng& rng, tracefmt::Trace* t) {
  const std::vector<size_t> ev = EventBatches(*t, true);
  const tracefmt::Version v = t->version;
  const auto name = [v](const tracefmt::Event& e) {
    return std::string(tracefmt::EvName(e.type, v));
  };
  switch (rng.Below(12)) {
    case 0: {  // delete an event
      if (ev.empty()) return "";
      tracefmt::Batch& b = (*t)[ev[rng.Below(ev.size())]];
      const size_t i = rng.Below(b.events.size());
      const std::string what =
          absl::StrFormat("deleted %s ts=%d", name(b.events[i]), b.events[i].ts);
      b.events.erase(b.events.begin() + static_cast<long>(i));
      return what;
    }
    case 1: {  // duplicate an event on its own M
      if (ev.empty()) return "";
      tracefmt::Batch& b = (*t)[ev[rng.Below(ev.size())]];
      const size_t i = rng.Below(b.events.size());
      const tracefmt::Event e = b.events[i];
      b.events.insert(b.events.begin() + static_cast<long>(i), e);
      return absl::StrFormat("duplicated %s ts=%d", name(e), e.ts);
    }
    case 2: {  // swap an event with the next one of its batch (timestamps stay in place)
      std::vector<size_t> two;
      for (size_t i : ev)
        if ((*t)[i].events.size() >= 2) two.push_back(i);
      if (two.empty()) return "";
      tracefmt::Batch& b = (*t)[two[rng.Below(two.size())]];
      const size_t i = rng.Below(b.events.size() - 1);
      tracefmt::Event& x = b.events[i];
      tracefmt::Event& y = b.events[i + 1];
      const std::string what =
          absl::StrFormat("swapped %s ts=%d with the next %s", name(x), x.ts, name(y));
      std::swap(x.type, y.type);
      std::swap(x.args, y.args);
      return what;
    }
    case 3: {  // move an event to another event batch of the same generation
      if (ev.empty()) return "";
      const size_t from = ev[rng.Below(ev.size())];
      std::vector<size_t> to;
      for (size_t i : EventBatches(*t, false))
        if (i != from && (*t)[i].gen == (*t)[from].gen && (*t)[i].m != (*t)[from].m)
          to.push_back(i);
      if (to.empty()) return "";
      tracefmt::Batch& a = (*t)[from];
      tracefmt::Batch& b = (*t)[to[rng.Below(to.size())]];
      const size_t i = rng.Below(a.events.size());
      const tracefmt::Event e = a.events[i];
      a.events.erase(a.events.begin() + static_cast<long>(i));
      auto at = std::lower_bound(b.events.begin(), b.events.end(), e.ts,
                                 [](const tracefmt::Event& x, uint64_t ts) { return x.ts < ts; });
      b.events.insert(at, e);
      return absl::StrFormat("moved %s ts=%d from M %d to M %d", name(e), e.ts,
                             static_cast<int64_t>(a.m), static_cast<int64_t>(b.m));
    }
    case 4:
    case 5: {  // change an argument
      std::vector<std::pair<size_t, size_t>> cands;
      for (size_t bi : ev)
        for (size_t i = 0; i < (*t)[bi].events.size(); ++i)
          if (tracefmt::EvArgCount((*t)[bi].events[i].type, v) > 0) cands.emplace_back(bi, i);
      if (cands.empty()) return "";
      const auto [bi, i] = cands[rng.Below(cands.size())];
      tracefmt::Event& e = (*t)[bi].events[i];
      const int a =
          static_cast<int>(rng.Below(static_cast<uint64_t>(tracefmt::EvArgCount(e.type, v))));
      const uint64_t old = e.args[a];
      e.args[a] = MutatedArg(rng, old);
      return absl::StrFormat("%s ts=%d: %s %d -> %d", name(e), e.ts,
                             std::string(tracefmt::EvArgName(e.type, a, v)), old, e.args[a]);
    }
    case 6: {  // change an event's type to another timed type (9..44; from Go 1.23 9..48)
      if (ev.empty()) return "";
      tracefmt::Batch& b = (*t)[ev[rng.Below(ev.size())]];
      tracefmt::Event& e = b.events[rng.Below(b.events.size())];
      const std::string old = name(e);
      e.type =
          static_cast<tracefmt::EvType>(9 + rng.Below(v == tracefmt::Version::kGo122 ? 36 : 40));
      for (int a = 0; a < 4; ++a)
        if (rng.Below(2) == 0) e.args[a] = rng.Below(6);
      return absl::StrFormat("ts=%d: %s -> %s", e.ts, old, name(e));
    }
    case 7: {  // drop a batch of any kind
      if (t->size() == 0) return "";
      const size_t i = rng.Below(t->size());
      const std::string what =
          absl::StrFormat("dropped batch %d (gen %d, M %d, kind %d)", i, (*t)[i].gen,
                          static_cast<int64_t>((*t)[i].m), static_cast<int>((*t)[i].kind));
      EraseBatch(t, i);
      return what;
    }
    case 8: {  // give an event batch another M (or none)
      if (ev.empty()) return "";
      tracefmt::Batch& b = (*t)[ev[rng.Below(ev.size())]];
      const uint64_t old = b.m;
      b.m = rng.Below(3) == 0 ? tracefmt::kNoThread : rng.Below(10);
      return absl::StrFormat("batch M %d -> %d", static_cast<int64_t>(old),
                             static_cast<int64_t>(b.m));
    }
    case 9: {  // change a batch's generation
      if (t->size() == 0) return "";
      tracefmt::Batch& b = (*t)[rng.Below(t->size())];
      const uint64_t old = b.gen;
      b.gen = rng.Below(4) == 0 ? rng.Below(4) : old + (rng.Below(2) ? 1 : -1);
      return absl::StrFormat("batch gen %d -> %d", old, b.gen);
    }
    case 10: {  // move a batch elsewhere in the file
      if (t->size() < 2) return "";
      const size_t i = rng.Below(t->size());
      size_t j = rng.Below(t->size() - 1);
      if (j >= i) ++j;
      tracefmt::Batch moved = (*t)[i];
      EraseBatch(t, i);
      t->Append();
      for (size_t k = t->size() - 1; k > j; --k) std::swap((*t)[k], (*t)[k - 1]);
      (*t)[j] = std::move(moved);
      return absl::StrFormat("moved batch %d to %d", i, j);
    }
    default: {  // drop or double a Frequency (Sync) batch; Go 1.25+: drop one of its entries
      const bool sync = v >= tracefmt::Version::kGo125;
      const tracefmt::BatchKind kind =
          sync ? tracefmt::BatchKind::kSync : tracefmt::BatchKind::kFrequency;
      const char* what = sync ? "Sync" : "Frequency";
      std::vector<size_t> f;
      for (size_t i = 0; i < t->size(); ++i)
        if ((*t)[i].kind == kind) f.push_back(i);
      if (f.empty()) return "";
      const size_t i = f[rng.Below(f.size())];
      const uint64_t gen = (*t)[i].gen;
      const uint64_t op = rng.Below(sync ? 4 : 2);
      if (op == 0) {
        EraseBatch(t, i);
        return absl::StrFormat("dropped the %s batch of gen %d", what, gen);
      }
      if (op == 2) {
        (*t)[i].has_clock = false;
        return absl::StrFormat("dropped the ClockSnapshot of gen %d", gen);
      }
      if (op == 3) {
        (*t)[i].has_freq = false;
        return absl::StrFormat("dropped the Frequency of gen %d's Sync batch", gen);
      }
      tracefmt::Batch copy = (*t)[i];
      t->Append();
      for (size_t k = t->size() - 1; k > i; --k) std::swap((*t)[k], (*t)[k - 1]);
      (*t)[i] = std::move(copy);
      return absl::StrFormat("doubled the %s batch of gen %d", what, gen);
    }
  }
}

// One or two edits (one in three mutants gets a second).
std::string Mutate(Rng& rng, tracefmt::Trace* t) {
  std::string what;
  const int edits = rng.Below(3) == 0 ? 2 : 1;
  for (int k = 0, tries = 0; k < edits && tries < 20; ++tries) {
    const std::string w = MutateOnce(rng, t);
    if (w.empty()) continue;
    what += (what.empty() ? "" : "; ") + w;
    ++k;
  }
  return what.empty() ? "unchanged" : what;
}

// True if two events of one generation on different Ms (the M-less batches
// count as one more M) have the same timestamp. Go's parser breaks such ties
// by map iteration order, which it randomizes; the validator by file order.
bool HasCrossMTie(const tracefmt::Trace& t, std::vector<std::pair<uint64_t, uint64_t>>* scratch) {
  size_t i = 0;
  while (i < t.size()) {
    scratch->clear();
    size_t j = i;
    for (; j < t.size() && t[j].gen == t[i].gen; ++j)
      if (t[j].kind == tracefmt::BatchKind::kEvents)
        for (const tracefmt::Event& e : t[j].events) scratch->emplace_back(e.ts, t[j].m);
    std::sort(scratch->begin(), scratch->end());
    for (size_t k = 1; k < scratch->size(); ++k)
      if ((*scratch)[k].first == (*scratch)[k - 1].first &&
          (*scratch)[k].second != (*scratch)[k - 1].second)
        return true;
    i = j;
  }
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  absl::StatusOr<repro::ScannedArgs> args = repro::ScanArgs(argc, argv, [](std::string_view name) {
    return repro::FindFlag<CrossOptions>(kFlags, name);
  });
  if (args.ok() && args->help) {
    Usage(stdout);
    return 0;
  }
  CrossOptions o;
  absl::Status st = args.status();
  if (st.ok() && !args->positional.empty()) {
    st = absl::InvalidArgumentError(
        absl::StrFormat("unexpected argument '%s' (flags only)", args->positional[0]));
  }
  for (size_t i = 0; st.ok() && i < args->flags.size(); ++i)
    st = repro::ApplyFlag(args->flags[i], &o);
  if (st.ok() && o.out_dir.empty()) st = absl::InvalidArgumentError("--out=DIR is required");
  if (!st.ok()) {
    absl::FPrintF(stderr, "crosscheck: %s\n", schedfuzz::StdView(st.message()));
    Usage(stderr);
    return kExitUsage;
  }
  const uint64_t n = o.n, seed = o.seed, step_budget = o.step_budget, mutants = o.mutants;
  const bool tied = o.tied;
  const std::string& out_dir = o.out_dir;
  const OracleSet oracles = o.oracles;
  std::vector<const schedfuzz::rt::Variant*> variants;
  for (absl::string_view piece : absl::StrSplit(o.variants, ',', absl::SkipEmpty())) {
    const std::string_view name = schedfuzz::StdView(piece);
    const schedfuzz::rt::Variant* v = schedfuzz::rt::FindVariant(name);
    if (!v) {
      absl::FPrintF(stderr, "crosscheck: unknown variant '%s'\n", name);
      return kExitUsage;
    }
    variants.push_back(v);
  }
  if (variants.empty()) {
    std::fprintf(stderr, "crosscheck: --variants names no variant\n");
    return kExitUsage;
  }

  std::vector<Input> extra_inputs;
  if (!CollectExtras(o.extras, &extra_inputs)) return kExitUsage;

  std::error_code ec;
  fs::create_directories(out_dir + "/inputs", ec);
  fs::create_directories(out_dir + "/traces", ec);
  if (ec) {
    std::fprintf(stderr, "crosscheck: %s: %s\n", out_dir.c_str(), ec.message().c_str());
    return kExitUsage;
  }
  const std::string manifest_path = out_dir + "/manifest.tsv";
  FILE* manifest = std::fopen(manifest_path.c_str(), "w");
  if (!manifest) {
    std::fprintf(stderr, "crosscheck: %s: %s\n", manifest_path.c_str(), std::strerror(errno));
    return kExitUsage;
  }
  std::fprintf(manifest, "#id\tvariant\tsession\tfile\tcpp\tinput\tgens\trun\n");

  scenario::Runner runner;
  schedfuzz::oracle::Validator validator;
  std::string wire;
  tracefmt::Trace mutant;
  tracefmt::Trace framed;  // the session's trace in --format
  // Go's synthetic Sync events: go1.22's reader returns one after each
  // generation, go1.27's one before each generation and one at the end.
  const auto go_events = [&](const schedfuzz::oracle::ValidationResult& r, const tracefmt::Trace& t,
                             size_t gens) {
    return r.events_ordered + (t.version == tracefmt::Version::kGo122 ? gens : r.generations + 1);
  };
  uint64_t runs = 0, sessions = 0, open_sessions = 0, traces = 0, rejected = 0, discarded = 0;
  uint64_t nmutants = 0, mutants_rejected = 0, ties = 0, mutant_ties = 0;
  std::vector<std::pair<uint64_t, uint64_t>> scratch;
  const uint64_t total = n + extra_inputs.size();
  Input in;
  for (uint64_t k = 0; k < total; ++k) {
    if (k < n) {
      in.id = absl::StrFormat("%06d", k);
      in.ext = ".bin";
      in.bytes = GenerateInput(seed, k);
      scenario::Decode(in.bytes, &in.sc);
    } else {
      in = std::move(extra_inputs[k - n]);
    }
    const std::string input_path = out_dir + "/inputs/" + in.id + in.ext;
    if (!WriteFile(input_path, in.bytes)) return kExitUsage;
    for (const schedfuzz::rt::Variant* variant : variants) {
      scenario::RunOptions opts;
      opts.variant = variant;
      opts.oracles = oracles;
      if (step_budget) opts.step_budget = step_budget;
      const scenario::Outcome& out = runner.Run(in.sc, opts);
      ++runs;
      std::string run_text = !out.discarded.empty() ? "discarded: " + out.discarded
                                                    : scenario::DescribeVerdict(out.verdict);
      if (out.known) run_text += absl::StrFormat(" [known: %s]", out.known->id);
      run_text = FirstLine(run_text);
      if (!out.discarded.empty()) ++discarded;
      const auto all = runner.traces();
      const size_t closed =
          std::min(all.size(), static_cast<size_t>(std::max(0, runner.runtime().trace.nclosed)));
      sessions += all.size();
      open_sessions += all.size() - closed;
      for (size_t s = 0; s < closed; ++s) {
        const tracefmt::Trace* tp = &all[s];
        // A Go 1.22 model's trace is re-framed into --format; a release that
        // writes a later format natively (Go 1.27: go126) is checked as it is,
        // in that format only.
        if (all[s].version == tracefmt::Version::kGo122 && o.format != tracefmt::Version::kGo122) {
          tracefmt::Reframe(all[s], o.format, &framed);
          tp = &framed;
        } else if (all[s].version != o.format) {
          std::fprintf(
              stderr, "crosscheck: variant %s writes %s traces; check it with --format=%s\n",
              variant->name, std::string(tracefmt::VersionFlagName(all[s].version)).c_str(),
              std::string(tracefmt::VersionFlagName(all[s].version)).c_str());
          return kExitUsage;
        }
        const tracefmt::Trace& t = *tp;
        const std::string file =
            absl::StrFormat("%s/traces/%s.%s.s%d.trace", out_dir, in.id, variant->name, s);
        wire.clear();
        tracefmt::AppendWire(t, &wire);
        if (!WriteFile(file, wire)) return kExitUsage;
        const schedfuzz::oracle::ValidationResult v = validator.Validate(t);
        const size_t gens = CountGens(t);
        const std::string cpp = v.ok ? absl::StrFormat("ok %d events", go_events(v, t, gens))
                                     : "error: " + FirstLine(v.error);
        if (!v.ok) ++rejected;
        if (HasCrossMTie(t, &scratch)) ++ties;
        ++traces;
        absl::FPrintF(manifest, "%s\t%s\t%d\t%s\t%s\t%s\t%d\t%s\n", in.id, variant->name, s, file,
                      cpp, input_path, gens, run_text);
        for (uint64_t j = 1; j <= mutants; ++j) {
          // Mutant j of this session depends on the seed, the input, the
          // variant, the session and j only.
          Rng rng{seed ^ (0x632be59bd9b4e019ull * (k + 1))};
          for (char c : std::string_view(variant->name))
            rng.x = rng.x * 131 + static_cast<uint8_t>(c);
          rng.x += (s << 20) + j;
          rng.Next();
          // An edit that leaves two Ms with equal timestamps (a duplicate
          // moved to another M) would let Go's random tie order decide the
          // verdict: draw another.
          std::string what;
          for (int attempt = 0; attempt < 16; ++attempt) {
            CopyTrace(t, &mutant);
            what = Mutate(rng, &mutant);
            if (!HasCrossMTie(mutant, &scratch)) break;
          }
          if (tied) {
            for (size_t b = 0; b < mutant.size(); ++b)
              for (tracefmt::Event& e : mutant[b].events) e.ts = 0;
            what += "; all timestamps 0";
          }
          const std::string mfile =
              absl::StrFormat("%s/traces/%s.%s.s%d.m%d.trace", out_dir, in.id, variant->name, s, j);
          wire.clear();
          tracefmt::AppendWire(mutant, &wire);
          if (!WriteFile(mfile, wire)) return kExitUsage;
          const schedfuzz::oracle::ValidationResult mv = validator.Validate(mutant);
          const size_t mgens = CountGens(mutant);
          const std::string mcpp =
              mv.ok ? absl::StrFormat("ok %d events", go_events(mv, mutant, mgens))
                    : "error: " + FirstLine(mv.error);
          ++nmutants;
          if (!mv.ok) ++mutants_rejected;
          if (HasCrossMTie(mutant, &scratch)) ++mutant_ties;
          absl::FPrintF(manifest, "%s\t%s\t%d.m%d\t%s\t%s\t%s\t%d\t%s\n", in.id, variant->name, s,
                        j, mfile, mcpp, input_path, mgens, FirstLine("mutant: " + what));
        }
      }
    }
  }
  if (std::fclose(manifest) != 0) {
    std::fprintf(stderr, "crosscheck: writing %s failed\n", manifest_path.c_str());
    return kExitUsage;
  }
  std::printf(
      "crosscheck: %llu inputs (%llu generated from seed %llu, %zu extra) x %zu variants = %llu "
      "runs (%llu discarded at a model bound); %llu trace sessions, %llu closed and written "
      "(%llu rejected by the validator), %llu left open; %llu mutants (%llu rejected); equal "
      "timestamps on different Ms in %llu traces and %llu mutants; manifest %s\n",
      static_cast<unsigned long long>(total), static_cast<unsigned long long>(n),
      static_cast<unsigned long long>(seed), extra_inputs.size(), variants.size(),
      static_cast<unsigned long long>(runs), static_cast<unsigned long long>(discarded),
      static_cast<unsigned long long>(sessions), static_cast<unsigned long long>(traces),
      static_cast<unsigned long long>(rejected), static_cast<unsigned long long>(open_sessions),
      static_cast<unsigned long long>(nmutants), static_cast<unsigned long long>(mutants_rejected),
      static_cast<unsigned long long>(ties), static_cast<unsigned long long>(mutant_ties),
      manifest_path.c_str());
  return 0;
}
