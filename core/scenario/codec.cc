// Byte format versions 1, 2 and 3. See codec.h for the shape and docs/format.md for the
// layout byte by byte. Any change here that alters what an existing input
// decodes to must bump kFormatVersion.
#include "core/scenario/codec.h"

#include <algorithm>
#include <array>
#include <bit>
#include <string_view>
#include <utility>

#include "absl/strings/str_format.h"

namespace schedfuzz::scenario {
namespace {

inline constexpr int kNumInitStates = 3;
inline constexpr int kNumTracerOpKinds = 3;
// runq sizes kMinRunqSize << e for e in [0, kNumRunqExps).
inline constexpr int kNumRunqExps = 8;
static_assert((kMinRunqSize << (kNumRunqExps - 1)) == kMaxRunqSize);

// Defaults: what a zero header byte (or a missing one) means.
inline constexpr int kDefaultProcs = 2;
inline constexpr int kDefaultExtraMs = 1;  // nms = nprocs + 1
inline constexpr int kDefaultFds = 2;
inline constexpr int kDefaultSysmonRounds = 4;
inline constexpr int kDefaultRunqExp = 7;  // 256

// Default sections (taken when a section's mask bit is clear, or its count
// byte lies beyond the input).
constexpr Op kDefaultProgram0[] = {{OpKind::kWork, 1}};
constexpr Op kDefaultProgram1[] = {{OpKind::kWork, 4},
                                   {OpKind::kGosched, 0},
                                   {OpKind::kWork, 4},
                                   {OpKind::kYield, 0},
                                   {OpKind::kWork, 4}};
constexpr GoroutineSpec kDefaultGoroutines[] = {
    {InitState::kParkedFd, 0, 0},
    {InitState::kParkedFd, 1, 0},
    {InitState::kRunnable, 0, 1},
    {InitState::kRunnable, 0, 1},
};
constexpr uint8_t kDefaultBatchFds[] = {0, 1};
constexpr PollPath kDefaultBatchPath = PollPath::kAny;
constexpr uint8_t kDefaultBatchDelay = 2;
constexpr TracerOp kDefaultTracer[] = {
    {TracerOpKind::kStart, 0},
    {TracerOpKind::kAdvance, 4},
    {TracerOpKind::kAdvance, 4},
    {TracerOpKind::kStop, 4},
};

// Rebuilding a vector always from empty makes the decoder take the same code
// path for the same input whatever the Scenario held before: coverage-guided
// fuzzers (AFL++ stability) see coverage that depends on the input alone.
void ResizePrograms(std::vector<std::vector<Op>>* p, size_t n) {
  p->clear();
  p->resize(n);
  for (auto& prog : *p) prog.reserve(kMaxProgramLen);
}

void ResizeBatches(std::vector<PollBatch>* b, size_t n) {
  b->clear();
  b->resize(n);
  for (auto& batch : *b) batch.fds.reserve(kMaxFds);
}

template <typename T, size_t N>
void AssignArray(std::vector<T>* v, const T (&a)[N], size_t reserve) {
  v->clear();
  v->reserve(reserve);
  v->assign(a, a + N);
}

void SetDefaultPrograms(Scenario* s) {
  ResizePrograms(&s->programs, 2);
  AssignArray(&s->programs[0], kDefaultProgram0, kMaxProgramLen);
  AssignArray(&s->programs[1], kDefaultProgram1, kMaxProgramLen);
}
void SetDefaultGoroutines(Scenario* s) {
  AssignArray(&s->goroutines, kDefaultGoroutines, kMaxGoroutines);
}
void SetDefaultBatches(Scenario* s) {
  ResizeBatches(&s->batches, 1);
  PollBatch& b = s->batches[0];
  AssignArray(&b.fds, kDefaultBatchFds, kMaxFds);
  b.path = kDefaultBatchPath;
  b.delay = kDefaultBatchDelay;
}
void SetDefaultTracer(Scenario* s) { AssignArray(&s->tracer, kDefaultTracer, kMaxTracerOps); }

// Header fields: value = lo + (b + (def - lo)) % span, so b == 0 gives def.
int HeaderValue(uint8_t b, int lo, int def, int span) { return lo + (b + (def - lo)) % span; }
uint8_t HeaderByte(int value, int lo, int def, int span) {
  return static_cast<uint8_t>(((value - def) % span + span) % span);
}
int MsSpan(int nprocs) { return kMaxMs - nprocs + 1; }
int MsDefault(int nprocs) { return std::min(nprocs + kDefaultExtraMs, kMaxMs); }

// floor(log2(v)) for v >= 1.
int Log2(int v) { return std::bit_width(static_cast<unsigned>(v)) - 1; }

bool IsPointsOp(OpKind k) {
  return k == OpKind::kWork || k == OpKind::kSyscall || k == OpKind::kSyscallBlock;
}

// The sections region, consumed from its end.
class TailReader {
 public:
  TailReader(const uint8_t* data, size_t lo, size_t hi) : data_(data), lo_(lo), hi_(hi) {}
  bool Next(uint8_t* b) {
    if (hi_ <= lo_) {
      *b = 0;
      return false;
    }
    *b = data_[--hi_];
    return true;
  }
  // A byte beyond the input reads as 0.
  uint8_t Byte() {
    uint8_t b;
    Next(&b);
    return b;
  }
  size_t hi() const { return hi_; }

 private:
  const uint8_t* data_;
  size_t lo_;
  size_t hi_;
};

void ReadTracer(TailReader* r, Scenario* s) {
  uint8_t c;
  if (!r->Next(&c)) return SetDefaultTracer(s);
  if (s->tracer.capacity() < kMaxTracerOps) s->tracer.reserve(kMaxTracerOps);
  s->tracer.clear();
  s->tracer.resize(c % (kMaxTracerOps + 1));
  for (TracerOp& op : s->tracer) {
    op.kind = static_cast<TracerOpKind>(r->Byte() % kNumTracerOpKinds);
    op.delay = r->Byte();
  }
}

void ReadBatches(TailReader* r, Scenario* s) {
  uint8_t c;
  if (!r->Next(&c)) return SetDefaultBatches(s);
  ResizeBatches(&s->batches, c % (kMaxBatches + 1));
  for (PollBatch& b : s->batches) {
    b.path = static_cast<PollPath>(r->Byte() % kNumPollPaths);
    b.delay = r->Byte();
    b.fds.clear();
    b.fds.resize(r->Byte() % (s->nfds + 1));
    for (uint8_t& fd : b.fds) fd = r->Byte();  // reduced by Normalize
  }
}

void ReadGoroutines(TailReader* r, Scenario* s) {
  uint8_t c;
  if (!r->Next(&c)) return SetDefaultGoroutines(s);
  if (s->goroutines.capacity() < kMaxGoroutines) {
    s->goroutines.reserve(kMaxGoroutines);
  }
  s->goroutines.clear();
  s->goroutines.resize(c % (kMaxGoroutines + 1));
  for (GoroutineSpec& g : s->goroutines) {
    g.init = static_cast<InitState>(r->Byte() % kNumInitStates);
    g.wait_arg = r->Byte();  // reduced by Normalize
    g.program = r->Byte();   // reduced by Normalize
  }
}

void ReadPrograms(TailReader* r, int nkinds, Scenario* s) {
  uint8_t c;
  if (!r->Next(&c)) return SetDefaultPrograms(s);
  ResizePrograms(&s->programs, 1 + c % kMaxPrograms);
  for (std::vector<Op>& p : s->programs) {
    p.clear();
    p.resize(r->Byte() % (kMaxProgramLen + 1));
    for (Op& op : p) {
      op.kind = static_cast<OpKind>(r->Byte() % nkinds);
      op.arg = r->Byte();
      // Points wrap here so that every byte value stays useful; references
      // wrap in Normalize, once the counts they refer to are known.
      if (IsPointsOp(op.kind)) op.arg %= kMaxOpPoints + 1;
    }
  }
}

void NormalizeOp(Op* op, int nfds, int nprograms) {
  op->kind = static_cast<OpKind>(static_cast<uint8_t>(op->kind) % kNumOpKinds);
  switch (op->kind) {
    case OpKind::kWork:
    case OpKind::kSyscall:
    case OpKind::kSyscallBlock: op->arg = std::min<int>(op->arg, kMaxOpPoints); break;
    case OpKind::kParkFd: op->arg %= nfds; break;
    case OpKind::kParkChan:
    case OpKind::kReadyChan: op->arg %= kMaxChans; break;
    case OpKind::kGo: op->arg %= nprograms; break;
    case OpKind::kGosched:
    case OpKind::kYield:
    case OpKind::kExit:
    case OpKind::kGC: op->arg = 0; break;
  }
}

bool HasGCOp(const Scenario& s) {
  for (const std::vector<Op>& p : s.programs)
    for (const Op& op : p)
      if (op.kind == OpKind::kGC) return true;
  return false;
}

void AppendTracer(const Scenario& s, std::vector<uint8_t>* out) {
  out->push_back(static_cast<uint8_t>(s.tracer.size()));
  for (const TracerOp& op : s.tracer) {
    out->push_back(static_cast<uint8_t>(op.kind));
    out->push_back(op.delay);
  }
}
void AppendBatches(const Scenario& s, std::vector<uint8_t>* out) {
  out->push_back(static_cast<uint8_t>(s.batches.size()));
  for (const PollBatch& b : s.batches) {
    out->push_back(static_cast<uint8_t>(b.path));
    out->push_back(b.delay);
    out->push_back(static_cast<uint8_t>(b.fds.size()));
    out->insert(out->end(), b.fds.begin(), b.fds.end());
  }
}
void AppendGoroutines(const Scenario& s, std::vector<uint8_t>* out) {
  out->push_back(static_cast<uint8_t>(s.goroutines.size()));
  for (const GoroutineSpec& g : s.goroutines) {
    out->push_back(static_cast<uint8_t>(g.init));
    out->push_back(g.wait_arg);
    out->push_back(g.program);
  }
}
void AppendPrograms(const Scenario& s, std::vector<uint8_t>* out) {
  out->push_back(static_cast<uint8_t>(s.programs.size() - 1));
  for (const std::vector<Op>& p : s.programs) {
    out->push_back(static_cast<uint8_t>(p.size()));
    for (const Op& op : p) {
      out->push_back(static_cast<uint8_t>(op.kind));
      out->push_back(op.arg);
    }
  }
}

}  // namespace

Scenario DefaultScenario() {
  Scenario s;
  s.nprocs = kDefaultProcs;
  s.nms = MsDefault(kDefaultProcs);
  s.runq_size = kMinRunqSize << kDefaultRunqExp;
  s.sysmon = true;
  s.sysmon_rounds = kDefaultSysmonRounds;
  s.nfds = kDefaultFds;
  SetDefaultPrograms(&s);
  SetDefaultGoroutines(&s);
  SetDefaultBatches(&s);
  SetDefaultTracer(&s);
  return s;
}

void Decode(std::span<const uint8_t> data, Scenario* out) {
  // Start from a fresh Scenario, not from what `out` held: the decoder then
  // runs the same code for the same input whatever came before, which a
  // coverage-guided fuzzer needs (AFL++ stability). It costs a few small
  // allocations per input, none per scheduling step.
  *out = Scenario{};
  const size_t n = data.size();
  // data[0] is the version; fuzzer mode ignores it and reads the header's
  // bit 4 (version 2's `gc` op) and bit 5 (version 3's PCT-form schedule)
  // whatever the version byte says.
  auto header = [&](size_t i) -> uint8_t { return i < n ? data[i] : 0; };
  const uint8_t mask = header(1) & 0x0f;
  const int nkinds = (header(1) & kHeaderGCOps) ? kNumOpKinds : kNumOpKindsV1;
  out->pct_schedule = (header(1) & kHeaderPctSchedule) != 0;
  out->nprocs = HeaderValue(header(2), 1, kDefaultProcs, kMaxProcs);
  out->nms = HeaderValue(header(3), out->nprocs, MsDefault(out->nprocs), MsSpan(out->nprocs));
  out->nfds = HeaderValue(header(4), 1, kDefaultFds, kMaxFds);
  const int rounds = HeaderValue(header(5), 0, kDefaultSysmonRounds, kMaxSysmonRounds + 1);
  out->sysmon = rounds != 0;
  out->sysmon_rounds = rounds;
  out->runq_size = kMinRunqSize << HeaderValue(header(6), 0, kDefaultRunqExp, kNumRunqExps);

  const size_t lo = std::min(n, kHeaderSize);
  TailReader r(data.data(), lo, n);
  if (mask & kSectionTracer) {
    ReadTracer(&r, out);
  } else {
    SetDefaultTracer(out);
  }
  if (mask & kSectionBatches) {
    ReadBatches(&r, out);
  } else {
    SetDefaultBatches(out);
  }
  if (mask & kSectionGoroutines) {
    ReadGoroutines(&r, out);
  } else {
    SetDefaultGoroutines(out);
  }
  if (mask & kSectionPrograms) {
    ReadPrograms(&r, nkinds, out);
  } else {
    SetDefaultPrograms(out);
  }
  out->schedule.clear();
  out->schedule.assign(data.begin() + lo, data.begin() + r.hi());
  Normalize(out);
}

absl::StatusOr<Scenario> DecodeStrict(std::span<const uint8_t> data) {
  if (data.empty()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "empty input (a scenario starts with format version byte %d)", kFormatVersion));
  }
  if (!IsFormatVersion(data[0])) {
    constexpr std::string_view kTextMagic = "schedfuzz scenario";
    const std::string_view head(reinterpret_cast<const char*>(data.data()),
                                std::min(data.size(), kTextMagic.size()));
    return absl::InvalidArgumentError(absl::StrFormat(
        "unknown format version %d (this build reads versions %d, %d and %d)%s", data[0],
        kFormatVersion, kFormatVersionGC, kFormatVersionPct,
        head == kTextMagic ? "; the input looks like scenario text, not bytes" : ""));
  }
  Scenario s;
  Decode(data, &s);
  return s;
}

void Normalize(Scenario* s) {
  s->nprocs = std::clamp<int>(s->nprocs, 1, kMaxProcs);
  s->nms = std::clamp<int>(s->nms, s->nprocs, kMaxMs);
  s->runq_size = std::bit_floor(
      static_cast<unsigned>(std::clamp<int>(s->runq_size, kMinRunqSize, kMaxRunqSize)));
  if (!s->sysmon || s->sysmon_rounds == 0) {
    s->sysmon = false;
    s->sysmon_rounds = 0;
  } else {
    s->sysmon_rounds = std::min<int>(s->sysmon_rounds, kMaxSysmonRounds);
  }
  s->nfds = std::clamp<int>(s->nfds, 1, kMaxFds);
  const int nfds = s->nfds;

  if (s->programs.empty()) ResizePrograms(&s->programs, 1);
  if (s->programs.size() > kMaxPrograms) {
    ResizePrograms(&s->programs, kMaxPrograms);
  }
  const int nprograms = static_cast<int>(s->programs.size());
  for (std::vector<Op>& p : s->programs) {
    if (p.size() > kMaxProgramLen) p.resize(kMaxProgramLen);
    for (Op& op : p) NormalizeOp(&op, nfds, nprograms);
  }

  if (s->goroutines.size() > kMaxGoroutines) {
    s->goroutines.resize(kMaxGoroutines);
  }
  static_assert(kMaxFds <= 64, "fd sets below are one uint64_t");
  uint64_t waited = 0;  // fds with a parked goroutine
  for (GoroutineSpec& g : s->goroutines) {
    g.init = static_cast<InitState>(static_cast<uint8_t>(g.init) % kNumInitStates);
    g.program %= nprograms;
    switch (g.init) {
      case InitState::kRunnable: g.wait_arg = 0; break;
      case InitState::kParkedChan: g.wait_arg %= kMaxChans; break;
      case InitState::kParkedFd: {
        // One waiter per descriptor: take the next free fd, if any.
        const int want = g.wait_arg % nfds;
        int got = -1;
        for (int i = 0; i < nfds && got < 0; ++i) {
          const int fd = (want + i) % nfds;
          if (!(waited >> fd & 1)) got = fd;
        }
        if (got < 0) {
          g.init = InitState::kRunnable;
          g.wait_arg = 0;
        } else {
          waited |= uint64_t{1} << got;
          g.wait_arg = got;
        }
        break;
      }
    }
  }

  if (s->batches.size() > kMaxBatches) ResizeBatches(&s->batches, kMaxBatches);
  for (PollBatch& b : s->batches) {
    b.path = static_cast<PollPath>(static_cast<uint8_t>(b.path) % kNumPollPaths);
    uint64_t seen = 0;
    size_t w = 0;
    for (size_t i = 0; i < b.fds.size(); ++i) {
      const int fd = b.fds[i] % nfds;
      if (seen >> fd & 1) continue;
      seen |= uint64_t{1} << fd;
      b.fds[w++] = fd;
    }
    b.fds.resize(w);
  }

  if (s->tracer.size() > kMaxTracerOps) s->tracer.resize(kMaxTracerOps);
  for (TracerOp& op : s->tracer) {
    op.kind = static_cast<TracerOpKind>(static_cast<uint8_t>(op.kind) % kNumTracerOpKinds);
  }
}

bool IsNormalized(const Scenario& s) {
  Scenario n = s;
  Normalize(&n);
  return n == s;
}

std::vector<uint8_t> Encode(const Scenario& s) {
  Scenario n = s;
  Normalize(&n);
  const Scenario d = DefaultScenario();

  uint8_t mask = 0;
  if (n.tracer != d.tracer) mask |= kSectionTracer;
  if (n.batches != d.batches) mask |= kSectionBatches;
  if (n.goroutines != d.goroutines) mask |= kSectionGoroutines;
  if (n.programs != d.programs) mask |= kSectionPrograms;

  // Version 1 unless a program has a `gc` op, which only version 2 reads, or
  // the schedule is in PCT form, which only version 3 reads.
  const bool gc = HasGCOp(n);
  if (gc) mask |= kHeaderGCOps;
  if (n.pct_schedule) mask |= kHeaderPctSchedule;

  std::vector<uint8_t> out;
  out.push_back(n.pct_schedule ? kFormatVersionPct : gc ? kFormatVersionGC : kFormatVersion);
  out.push_back(mask);
  out.push_back(HeaderByte(n.nprocs, 1, kDefaultProcs, kMaxProcs));
  out.push_back(HeaderByte(n.nms, n.nprocs, MsDefault(n.nprocs), MsSpan(n.nprocs)));
  out.push_back(HeaderByte(n.nfds, 1, kDefaultFds, kMaxFds));
  out.push_back(
      HeaderByte(n.sysmon ? n.sysmon_rounds : 0, 0, kDefaultSysmonRounds, kMaxSysmonRounds + 1));
  out.push_back(HeaderByte(Log2(n.runq_size / kMinRunqSize), 0, kDefaultRunqExp, kNumRunqExps));
  out.insert(out.end(), n.schedule.begin(), n.schedule.end());

  // Sections in reading order, then reversed onto the end.
  std::vector<uint8_t> sections;
  if (mask & kSectionTracer) AppendTracer(n, &sections);
  if (mask & kSectionBatches) AppendBatches(n, &sections);
  if (mask & kSectionGoroutines) AppendGoroutines(n, &sections);
  if (mask & kSectionPrograms) AppendPrograms(n, &sections);
  out.insert(out.end(), sections.rbegin(), sections.rend());
  return out;
}

}  // namespace schedfuzz::scenario
