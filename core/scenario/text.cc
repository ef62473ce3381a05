// The text form. The parser reports the first problem as "line N: ...":
// syntax and single-line range errors as it meets them, then the checks that
// depend on other lines (fd and program references, ms >= procs) in line
// order once the whole text is read.
#include "core/scenario/text.h"

#include <array>
#include <bit>
#include <charconv>
#include <cstdint>
#include <utility>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

#include "core/base/strings.h"
#include "core/scenario/codec.h"

namespace schedfuzz::scenario {
namespace {

constexpr std::array<std::string_view, kNumOpKinds> kOpNames = {
    "work",  "parkfd",  "parkchan",     "readychan", "go", "gosched",
    "yield", "syscall", "syscallblock", "exit",      "gc"};
constexpr std::array<std::string_view, kNumPollPaths> kPathNames = {
    "any", "findrunnable", "findrunnable-block", "sysmon", "starttheworld"};
constexpr std::array<std::string_view, 3> kTracerNames = {"start", "advance", "stop"};
constexpr std::array<std::string_view, 11> kKeywords = {
    "procs", "ms",    "runq",   "sysmon",   "fds",          "program",
    "g",     "batch", "tracer", "schedule", "schedule-form"};

constexpr int kSchedulePerLine = 32;

template <size_t N>
std::string NameList(const std::array<std::string_view, N>& names) {
  return absl::StrJoin(names, ", ",
                       [](std::string* out, std::string_view name) { out->append(name); });
}

template <size_t N>
int FindName(const std::array<std::string_view, N>& names, std::string_view name) {
  const auto it = absl::c_find(names, name);
  return it == names.end() ? -1 : static_cast<int>(it - names.begin());
}

enum class ArgKind { kNone, kPoints, kFd, kChan, kProgram };

ArgKind OpArgKind(OpKind k) {
  switch (k) {
    case OpKind::kWork:
    case OpKind::kSyscall:
    case OpKind::kSyscallBlock: return ArgKind::kPoints;
    case OpKind::kParkFd: return ArgKind::kFd;
    case OpKind::kParkChan:
    case OpKind::kReadyChan: return ArgKind::kChan;
    case OpKind::kGo: return ArgKind::kProgram;
    case OpKind::kGosched:
    case OpKind::kYield:
    case OpKind::kExit:
    case OpKind::kGC: return ArgKind::kNone;
  }
  return ArgKind::kNone;
}

// Whitespace separated tokens; ':' and ';' are tokens of their own.
void Tokenize(std::string_view line, std::vector<std::string_view>* out) {
  out->clear();
  size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
      ++i;
    } else if (c == ':' || c == ';') {
      out->push_back(line.substr(i, 1));
      ++i;
    } else {
      size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r' &&
             line[j] != '\v' && line[j] != '\f' && line[j] != ':' && line[j] != ';') {
        ++j;
      }
      out->push_back(line.substr(i, j - i));
      i = j;
    }
  }
}

// How a message names a token: quoted, or "end of line" for none.
std::string Got(std::string_view tok) {
  if (tok.empty()) return "end of line";
  return absl::StrFormat("\"%s\"", tok);
}

// A non-negative decimal number of at most 9 digits (so it fits an int):
// digits only, no sign or spaces, which std::from_chars alone would allow.
bool ParseNumber(std::string_view tok, int* v) {
  if (tok.empty() || tok.size() > 9 || !absl::c_all_of(tok, absl::ascii_isdigit)) return false;
  std::from_chars(tok.data(), tok.data() + tok.size(), *v);
  return true;
}

class Parser {
 public:
  absl::StatusOr<Scenario> Parse(std::string_view text) {
    if (!ParseLines(text) || !Finish()) return absl::InvalidArgumentError(error_);
    return std::move(s_);
  }

 private:
  bool ParseLines(std::string_view text) {
    // A final newline ends the last line; it does not start another.
    absl::string_view body = AbslView(text);
    absl::ConsumeSuffix(&body, "\n");
    bool header = false;
    for (absl::string_view piece : absl::StrSplit(body, '\n')) {
      std::string_view line = StdView(piece);
      ++line_;
      line = line.substr(0, line.find('#'));
      Tokenize(line, &toks_);
      next_ = 0;
      if (toks_.empty()) continue;
      if (!header) {
        if (!Header()) return false;
        header = true;
      } else if (!Statement()) {
        return false;
      }
    }
    if (!header) {
      return Fail(absl::StrFormat("expected \"%s\", got end of text", kTextHeader));
    }
    return true;
  }

  // Checks that need the whole text.
  struct Check {
    enum Kind { kFd, kProgram, kMs } kind;
    int line;
    int value;
  };

  bool Fail(const std::string& msg) { return FailAt(line_, msg); }
  bool FailAt(int line, const std::string& msg) {
    error_ = absl::StrFormat("line %d: %s", line, msg);
    return false;
  }

  bool AtEnd() const { return next_ >= toks_.size(); }
  std::string_view Peek() const { return AtEnd() ? std::string_view() : toks_[next_]; }
  std::string_view Take() { return AtEnd() ? std::string_view() : toks_[next_++]; }
  bool TakeIf(std::string_view tok) {
    if (AtEnd() || toks_[next_] != tok) return false;
    ++next_;
    return true;
  }
  bool ExpectEnd() {
    if (AtEnd()) return true;
    return Fail(absl::StrFormat("unexpected \"%s\"", Peek()));
  }

  // A number in [lo, hi] following `what`.
  bool Number(std::string_view what, int lo, int hi, int* v) {
    if (!RawNumber(what, absl::StrFormat(" (%d..%d)", lo, hi), v)) {
      return false;
    }
    if (*v < lo || *v > hi) {
      return Fail(absl::StrFormat("%s %d out of range (%d..%d)", what, *v, lo, hi));
    }
    return true;
  }
  // A number whose range is checked later (a reference to an fd or program).
  bool RawNumber(std::string_view what, const std::string& range, int* v) {
    if (AtEnd() || Peek() == ";") {
      return Fail(absl::StrFormat("%s needs a number%s", what, range));
    }
    std::string_view tok = Take();
    if (!ParseNumber(tok, v)) {
      return Fail(absl::StrFormat("expected a number after %s, got %s", what, Got(tok)));
    }
    return true;
  }
  bool Once(int* first_line, std::string_view keyword) {
    if (*first_line != 0) {
      return Fail(absl::StrFormat("duplicate \"%s\" (first on line %d)", keyword, *first_line));
    }
    *first_line = line_;
    return true;
  }
  void Defer(Check::Kind kind, int value) { checks_.push_back({kind, line_, value}); }

  bool Header() {
    if (toks_.size() == 3 && toks_[0] == "schedfuzz" && toks_[1] == "scenario" &&
        toks_[2].size() > 1 && toks_[2][0] == 'v') {
      int version;
      if (ParseNumber(toks_[2].substr(1), &version)) {
        if (version == kFormatVersion) return true;
        return Fail(absl::StrFormat("unknown text format version %d (this build reads version %d)",
                                    version, kFormatVersion));
      }
    }
    return Fail(absl::StrFormat("expected \"%s\" first, got \"%s\"", kTextHeader, toks_[0]));
  }

  bool Statement() {
    std::string_view kw = Take();
    int v;
    if (kw == "procs") {
      if (!Once(&procs_line_, kw) || !Number(kw, 1, kMaxProcs, &v)) {
        return false;
      }
      s_.nprocs = v;
    } else if (kw == "ms") {
      if (!Once(&ms_line_, kw) || !Number(kw, 1, kMaxMs, &v)) return false;
      s_.nms = v;
      Defer(Check::kMs, v);
    } else if (kw == "runq") {
      if (!Once(&runq_line_, kw)) return false;
      const std::string range =
          absl::StrFormat(" (a power of two in %d..%d)", kMinRunqSize, kMaxRunqSize);
      if (!RawNumber(kw, range, &v)) return false;
      if (v < kMinRunqSize || v > kMaxRunqSize || !std::has_single_bit(static_cast<unsigned>(v))) {
        return Fail(absl::StrFormat("runq %d is not a power of two in %d..%d", v, kMinRunqSize,
                                    kMaxRunqSize));
      }
      s_.runq_size = v;
    } else if (kw == "sysmon") {
      if (!Once(&sysmon_line_, kw) || !Sysmon()) return false;
    } else if (kw == "fds") {
      if (!Once(&fds_line_, kw) || !Number(kw, 1, kMaxFds, &v)) return false;
      s_.nfds = v;
    } else if (kw == "program") {
      if (!Program()) return false;
    } else if (kw == "g") {
      if (!Goroutine()) return false;
    } else if (kw == "batch") {
      if (!Batch()) return false;
    } else if (kw == "tracer") {
      if (!Tracer()) return false;
    } else if (kw == "schedule") {
      if (!Schedule()) return false;
    } else if (kw == "schedule-form") {
      if (!Once(&form_line_, kw) || !ScheduleForm()) return false;
    } else {
      return Fail(
          absl::StrFormat("unknown keyword \"%s\" (keywords: %s)", kw, NameList(kKeywords)));
    }
    return ExpectEnd();
  }

  bool Sysmon() {
    std::string_view onoff = Take();
    if (onoff == "off") {
      s_.sysmon = false;
      s_.sysmon_rounds = 0;
      return true;
    }
    if (onoff != "on") {
      return Fail(absl::StrFormat("expected \"on\" or \"off\" after sysmon, got %s", Got(onoff)));
    }
    s_.sysmon = true;
    if (TakeIf("rounds")) {
      int v;
      if (!RawNumber("rounds", absl::StrFormat(" (1..%d)", kMaxSysmonRounds), &v)) {
        return false;
      }
      if (v < 1 || v > kMaxSysmonRounds) {
        return Fail(
            absl::StrFormat("sysmon rounds %d out of range (1..%d; \"sysmon off\" disables "
                            "it)",
                            v, kMaxSysmonRounds));
      }
      s_.sysmon_rounds = v;
    }
    return true;
  }

  bool Program() {
    int index;
    if (!RawNumber("program", "", &index)) return false;
    const int want = static_cast<int>(s_.programs.size());
    if (index != want) {
      return Fail(
          absl::StrFormat("expected program %d, got program %d (programs are numbered 0, 1, "
                          "... in order)",
                          want, index));
    }
    if (want == kMaxPrograms) {
      return Fail(absl::StrFormat("too many programs (at most %d)", kMaxPrograms));
    }
    if (!TakeIf(":")) {
      return Fail(absl::StrFormat("expected \":\" after program %d", index));
    }
    std::vector<Op>& ops = s_.programs.emplace_back();
    while (!AtEnd()) {
      if (TakeIf(";")) continue;
      std::string_view name = Take();
      const int k = FindName(kOpNames, name);
      if (k < 0) {
        return Fail(absl::StrFormat("unknown op \"%s\" (ops: %s)", name, NameList(kOpNames)));
      }
      if (static_cast<int>(ops.size()) == kMaxProgramLen) {
        return Fail(absl::StrFormat("program %d has more than %d ops", index, kMaxProgramLen));
      }
      Op op{static_cast<OpKind>(k), 0};
      int v = 0;
      switch (OpArgKind(op.kind)) {
        case ArgKind::kNone:
          if (!AtEnd() && Peek() != ";") {
            return Fail(absl::StrFormat("op %s takes no argument", name));
          }
          break;
        case ArgKind::kPoints:
          if (!Number(name, 0, kMaxOpPoints, &v)) return false;
          break;
        case ArgKind::kChan:
          if (!Number(name, 0, kMaxChans - 1, &v)) return false;
          break;
        case ArgKind::kFd:
          if (!RawNumber(name, "", &v)) return false;
          Defer(Check::kFd, v);
          break;
        case ArgKind::kProgram:
          if (!RawNumber(name, "", &v)) return false;
          Defer(Check::kProgram, v);
          break;
      }
      op.arg = static_cast<uint8_t>(v);
      ops.push_back(op);
      if (!AtEnd() && Peek() != ";") {
        return Fail(absl::StrFormat("unexpected \"%s\" after op %s (separate ops with \";\")",
                                    Peek(), name));
      }
    }
    return true;
  }

  bool Goroutine() {
    int id;
    if (!RawNumber("g", "", &id)) return false;
    const int want = static_cast<int>(s_.goroutines.size()) + 1;
    if (id != want) {
      return Fail(
          absl::StrFormat("expected g %d, got g %d (goroutines are numbered 1, 2, ... in "
                          "order)",
                          want, id));
    }
    if (want > kMaxGoroutines) {
      return Fail(absl::StrFormat("too many goroutines (at most %d)", kMaxGoroutines));
    }
    GoroutineSpec g;
    std::string_view state = Take();
    int v;
    if (state == "runnable") {
      g.init = InitState::kRunnable;
    } else if (state == "parked") {
      std::string_view on = Take();
      if (on == "fd") {
        if (!RawNumber("fd", "", &v)) return false;
        if (v < kMaxFds) {
          if (fd_waiter_[v] != 0) {
            return Fail(
                absl::StrFormat("fd %d already has a parked goroutine (g %d); a descriptor "
                                "has one waiter",
                                v, fd_waiter_[v]));
          }
          fd_waiter_[v] = id;
        }
        Defer(Check::kFd, v);
        g.init = InitState::kParkedFd;
        g.wait_arg = static_cast<uint8_t>(v);
      } else if (on == "chan") {
        if (!Number("chan", 0, kMaxChans - 1, &v)) return false;
        g.init = InitState::kParkedChan;
        g.wait_arg = v;
      } else {
        return Fail(
            absl::StrFormat("expected \"fd\" or \"chan\" after \"parked\", got %s", Got(on)));
      }
    } else {
      return Fail(
          absl::StrFormat("expected a goroutine state (runnable, parked fd N, parked chan N), "
                          "got %s",
                          Got(state)));
    }
    if (TakeIf("program")) {
      if (!RawNumber("program", "", &v)) return false;
      Defer(Check::kProgram, v);
      g.program = static_cast<uint8_t>(v);
    }
    s_.goroutines.push_back(g);
    return true;
  }

  bool Batch() {
    if (static_cast<int>(s_.batches.size()) == kMaxBatches) {
      return Fail(absl::StrFormat("too many batches (at most %d)", kMaxBatches));
    }
    if (!TakeIf("fds")) {
      return Fail(absl::StrFormat("expected \"fds\" after batch, got %s", Got(Peek())));
    }
    PollBatch b;
    if (!TakeIf("none")) {
      std::vector<int> listed;
      int v;
      while (!AtEnd() && ParseNumber(Peek(), &v)) {
        Take();
        for (int prev : listed) {
          if (prev == v) {
            return Fail(absl::StrFormat("fd %d listed twice in one batch", v));
          }
        }
        listed.push_back(v);
        Defer(Check::kFd, v);
        b.fds.push_back(static_cast<uint8_t>(v));
      }
      if (listed.empty()) {
        return Fail(absl::StrFormat("expected fd numbers or \"none\" after \"batch fds\", got %s",
                                    Got(Peek())));
      }
    }
    bool via = false, delay = false;
    while (!AtEnd()) {
      if (!via && TakeIf("via")) {
        via = true;
        std::string_view name = Take();
        const int p = FindName(kPathNames, name);
        if (p < 0) {
          return Fail(
              absl::StrFormat("unknown poll path %s (paths: %s)", Got(name), NameList(kPathNames)));
        }
        b.path = static_cast<PollPath>(p);
      } else if (!delay && TakeIf("delay")) {
        delay = true;
        int v;
        if (!Number("delay", 0, 255, &v)) return false;
        b.delay = v;
      } else {
        return Fail(absl::StrFormat("unexpected \"%s\" in batch", Peek()));
      }
    }
    s_.batches.push_back(std::move(b));
    return true;
  }

  bool Tracer() {
    if (AtEnd()) {
      return Fail(absl::StrFormat("tracer needs ops (%s)", NameList(kTracerNames)));
    }
    while (!AtEnd()) {
      if (TakeIf(";")) continue;
      std::string_view name = Take();
      const int k = FindName(kTracerNames, name);
      if (k < 0) {
        return Fail(absl::StrFormat("unknown tracer op \"%s\" (tracer ops: %s)", name,
                                    NameList(kTracerNames)));
      }
      if (static_cast<int>(s_.tracer.size()) == kMaxTracerOps) {
        return Fail(absl::StrFormat("too many tracer ops (at most %d)", kMaxTracerOps));
      }
      TracerOp op{static_cast<TracerOpKind>(k), 0};
      if (TakeIf("delay")) {
        int v;
        if (!Number("delay", 0, 255, &v)) return false;
        op.delay = v;
      }
      s_.tracer.push_back(op);
      if (!AtEnd() && Peek() != ";") {
        return Fail(absl::StrFormat(
            "unexpected \"%s\" after tracer op %s (separate ops with \";\")", Peek(), name));
      }
    }
    return true;
  }

  // How the schedule bytes are read: `bytes` (ByteChooser, the default) or
  // `pct` (PctByteChooser; byte format version 3).
  bool ScheduleForm() {
    std::string_view form = Take();
    if (form == "bytes") {
      s_.pct_schedule = false;
    } else if (form == "pct") {
      s_.pct_schedule = true;
    } else {
      return Fail(
          absl::StrFormat("expected \"bytes\" or \"pct\" after schedule-form, got %s", Got(form)));
    }
    return true;
  }

  bool Schedule() {
    while (!AtEnd()) {
      std::string_view tok = Take();
      bool ok = tok.size() % 2 == 0;
      for (size_t i = 0; ok && i < tok.size(); i += 2) {
        uint8_t b = 0;
        ok = std::from_chars(tok.data() + i, tok.data() + i + 2, b, 16).ptr == tok.data() + i + 2;
        s_.schedule.push_back(b);
      }
      if (!ok) {
        return Fail(
            absl::StrFormat("bad schedule byte \"%s\" (expected hex bytes such as 0a ff)", tok));
      }
    }
    return true;
  }

  bool Finish() {
    // Defaults for absent scalar lines are the decoder's defaults.
    const Scenario d = DefaultScenario();
    if (procs_line_ == 0) s_.nprocs = d.nprocs;
    if (ms_line_ == 0) s_.nms = std::min(s_.nprocs + 1, kMaxMs);
    if (runq_line_ == 0) s_.runq_size = d.runq_size;
    if (sysmon_line_ == 0) {
      s_.sysmon = d.sysmon;
      s_.sysmon_rounds = d.sysmon_rounds;
    }
    if (fds_line_ == 0) s_.nfds = d.nfds;
    if (s_.programs.empty()) s_.programs.emplace_back();
    const int nprograms = static_cast<int>(s_.programs.size());
    for (const Check& c : checks_) {
      switch (c.kind) {
        case Check::kFd:
          if (c.value >= s_.nfds) {
            return FailAt(c.line, absl::StrFormat("fd %d out of range (fds %d: 0..%d)", c.value,
                                                  s_.nfds, s_.nfds - 1));
          }
          break;
        case Check::kProgram:
          if (c.value >= nprograms) {
            return FailAt(c.line, absl::StrFormat("program %d is not defined (programs: 0..%d)",
                                                  c.value, nprograms - 1));
          }
          break;
        case Check::kMs:
          if (c.value < s_.nprocs) {
            return FailAt(c.line,
                          absl::StrFormat("ms %d is less than procs %d", c.value, s_.nprocs));
          }
          break;
      }
    }
    return true;
  }

  std::string error_;
  int line_ = 0;
  std::vector<std::string_view> toks_;
  size_t next_ = 0;
  Scenario s_;
  int procs_line_ = 0, ms_line_ = 0, runq_line_ = 0, sysmon_line_ = 0, fds_line_ = 0;
  int form_line_ = 0;
  std::array<int, kMaxFds> fd_waiter_{};  // goid parked on each fd, 0 if none
  std::vector<Check> checks_;
};

}  // namespace

std::string_view OpKindName(OpKind k) {
  const auto i = static_cast<size_t>(k);
  return i < kOpNames.size() ? kOpNames[i] : std::string_view();
}
std::string_view PollPathName(PollPath p) {
  const auto i = static_cast<size_t>(p);
  return i < kPathNames.size() ? kPathNames[i] : std::string_view();
}
std::string_view TracerOpKindName(TracerOpKind k) {
  const auto i = static_cast<size_t>(k);
  return i < kTracerNames.size() ? kTracerNames[i] : std::string_view();
}

std::string PrintText(const Scenario& in) {
  Scenario s = in;
  Normalize(&s);
  std::string out(kTextHeader);
  out += '\n';
  absl::StrAppendFormat(&out, "procs %d\nms %d\nrunq %d\n", s.nprocs, s.nms, s.runq_size);
  if (s.sysmon) {
    absl::StrAppendFormat(&out, "sysmon on rounds %d\n", s.sysmon_rounds);
  } else {
    out += "sysmon off\n";
  }
  absl::StrAppendFormat(&out, "fds %d\n", s.nfds);
  for (size_t i = 0; i < s.programs.size(); ++i) {
    absl::StrAppendFormat(&out, "program %d:", i);
    const char* sep = " ";
    for (const Op& op : s.programs[i]) {
      absl::StrAppendFormat(&out, "%s%s", sep, OpKindName(op.kind));
      if (OpArgKind(op.kind) != ArgKind::kNone) {
        absl::StrAppendFormat(&out, " %d", op.arg);
      }
      sep = "; ";
    }
    out += '\n';
  }
  for (size_t i = 0; i < s.goroutines.size(); ++i) {
    const GoroutineSpec& g = s.goroutines[i];
    absl::StrAppendFormat(&out, "g %d ", i + 1);
    switch (g.init) {
      case InitState::kRunnable: out += "runnable"; break;
      case InitState::kParkedFd: absl::StrAppendFormat(&out, "parked fd %d", g.wait_arg); break;
      case InitState::kParkedChan: absl::StrAppendFormat(&out, "parked chan %d", g.wait_arg); break;
    }
    absl::StrAppendFormat(&out, " program %d\n", g.program);
  }
  for (const PollBatch& b : s.batches) {
    out += "batch fds";
    if (b.fds.empty()) out += " none";
    for (uint8_t fd : b.fds) absl::StrAppendFormat(&out, " %d", fd);
    absl::StrAppendFormat(&out, " via %s delay %d\n", PollPathName(b.path), b.delay);
  }
  if (!s.tracer.empty()) {
    out += "tracer";
    const char* sep = " ";
    for (const TracerOp& op : s.tracer) {
      absl::StrAppendFormat(&out, "%s%s delay %d", sep, TracerOpKindName(op.kind), op.delay);
      sep = "; ";
    }
    out += '\n';
  }
  // Only a PCT-form schedule says its form: byte-form texts print as before.
  if (s.pct_schedule) out += "schedule-form pct\n";
  for (size_t i = 0; i < s.schedule.size(); i += kSchedulePerLine) {
    out += "schedule";
    for (size_t j = i; j < s.schedule.size() && j < i + kSchedulePerLine; ++j) {
      absl::StrAppendFormat(&out, " %02x", s.schedule[j]);
    }
    out += '\n';
  }
  return out;
}

absl::StatusOr<Scenario> ParseText(std::string_view text) { return Parser().Parse(text); }

}  // namespace schedfuzz::scenario
