#include "core/scenario/codec.h"

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

// Counts allocations while g_count_allocs is set (DecodeTakesTheSamePath...).
namespace {
std::atomic<bool> g_count_allocs{false};
std::atomic<long> g_allocs{0};
}  // namespace

// noinline: GCC would otherwise pair an inlined free() with `new` and warn.
[[gnu::noinline]] void* operator new(std::size_t n) {
  if (g_count_allocs.load(std::memory_order_relaxed)) ++g_allocs;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept { std::free(p); }
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace schedfuzz::scenario {
namespace {

using Bytes = std::vector<uint8_t>;

// The validity rules of codec.h, checked independently of Normalize.
std::string Violations(const Scenario& s) {
  std::string v;
  auto bad = [&](const std::string& what) { v += what + "; "; };
  if (s.nprocs < 1 || s.nprocs > kMaxProcs) bad("nprocs");
  if (s.nms < s.nprocs || s.nms > kMaxMs) bad("nms");
  if (s.runq_size < kMinRunqSize || s.runq_size > kMaxRunqSize ||
      (s.runq_size & (s.runq_size - 1)) != 0) {
    bad("runq_size");
  }
  if (s.sysmon ? (s.sysmon_rounds < 1 || s.sysmon_rounds > kMaxSysmonRounds)
               : s.sysmon_rounds != 0) {
    bad("sysmon");
  }
  if (s.nfds < 1 || s.nfds > kMaxFds) bad("nfds");
  const int np = static_cast<int>(s.programs.size());
  if (np < 1 || np > kMaxPrograms) bad("programs.size");
  for (const auto& p : s.programs) {
    if (p.size() > kMaxProgramLen) bad("program length");
    for (const Op& op : p) {
      switch (op.kind) {
        case OpKind::kWork:
        case OpKind::kSyscall:
        case OpKind::kSyscallBlock:
          if (op.arg > kMaxOpPoints) bad("op points");
          break;
        case OpKind::kParkFd:
          if (op.arg >= s.nfds) bad("op fd");
          break;
        case OpKind::kParkChan:
        case OpKind::kReadyChan:
          if (op.arg >= kMaxChans) bad("op chan");
          break;
        case OpKind::kGo:
          if (op.arg >= np) bad("op program");
          break;
        case OpKind::kGosched:
        case OpKind::kYield:
        case OpKind::kExit:
        case OpKind::kGC:
          if (op.arg != 0) bad("op arg");
          break;
        default: bad("op kind");
      }
    }
  }
  if (s.goroutines.size() > kMaxGoroutines) bad("goroutines.size");
  std::vector<int> waiters(256, 0);
  for (const GoroutineSpec& g : s.goroutines) {
    if (g.program >= np) bad("g program");
    switch (g.init) {
      case InitState::kRunnable:
        if (g.wait_arg != 0) bad("g wait_arg");
        break;
      case InitState::kParkedChan:
        if (g.wait_arg >= kMaxChans) bad("g chan");
        break;
      case InitState::kParkedFd:
        if (g.wait_arg >= s.nfds) bad("g fd");
        if (++waiters[g.wait_arg] > 1) bad("two waiters on one fd");
        break;
      default: bad("g init");
    }
  }
  if (s.batches.size() > kMaxBatches) bad("batches.size");
  for (const PollBatch& b : s.batches) {
    if (static_cast<int>(b.path) >= kNumPollPaths) bad("batch path");
    std::vector<int> seen(256, 0);
    for (uint8_t fd : b.fds) {
      if (fd >= s.nfds) bad("batch fd");
      if (++seen[fd] > 1) bad("batch fd twice");
    }
  }
  if (s.tracer.size() > kMaxTracerOps) bad("tracer.size");
  for (const TracerOp& op : s.tracer) {
    if (static_cast<int>(op.kind) > 2) bad("tracer kind");
  }
  return v;
}

Bytes RandomBytes(std::mt19937* rng, size_t n) {
  Bytes b(n);
  // Mix uniform bytes with the small values and 0/ff runs fuzzers favour.
  const unsigned style = (*rng)() % 3;
  for (uint8_t& x : b) {
    const unsigned r = (*rng)();
    x = style == 0 ? r & 0xff : style == 1 ? r % 8 : (r % 4 == 0 ? 0xff : 0);
  }
  return b;
}

// An arbitrary Scenario, often out of bounds.
Scenario RandomScenario(std::mt19937* rng) {
  auto r = [&](unsigned n) { return static_cast<int>((*rng)() % n); };
  Scenario s;
  s.nprocs = r(7);
  s.nms = r(11);
  s.runq_size = r(600);
  s.sysmon = r(2);
  s.sysmon_rounds = r(3) == 0 ? 0 : r(40);
  s.nfds = r(3) == 0 ? r(80) : 1 + r(4);
  s.programs.resize(r(11));
  for (auto& p : s.programs) {
    p.resize(r(20));
    for (Op& op : p) op = {static_cast<OpKind>(r(12)), static_cast<uint8_t>(r(256))};
  }
  s.goroutines.resize(r(4) == 0 ? r(80) : r(8));
  for (auto& g : s.goroutines) {
    g = {static_cast<InitState>(r(4)), static_cast<uint8_t>(r(3) ? r(6) : r(256)),
         static_cast<uint8_t>(r(12))};
  }
  s.batches.resize(r(11));
  for (auto& b : s.batches) {
    b.fds.resize(r(8));
    for (uint8_t& fd : b.fds) fd = r(3) ? r(6) : r(256);
    b.path = static_cast<PollPath>(r(7));
    b.delay = r(256);
  }
  s.tracer.resize(r(15));
  for (auto& op : s.tracer) op = {static_cast<TracerOpKind>(r(4)), static_cast<uint8_t>(r(256))};
  s.schedule = RandomBytes(rng, r(4) == 0 ? 0 : r(100));
  s.pct_schedule = r(4) == 0;
  return s;
}

Scenario Decoded(const Bytes& b) {
  Scenario s;
  Decode(b, &s);
  return s;
}

TEST(CodecTest, EmptyInputDecodesToDocumentedDefault) {
  const Scenario s = Decoded({});
  EXPECT_EQ(s, DefaultScenario());
  // The values docs/format.md documents.
  EXPECT_EQ(s.nprocs, 2);
  EXPECT_EQ(s.nms, 3);
  EXPECT_EQ(s.runq_size, 256);
  EXPECT_TRUE(s.sysmon);
  EXPECT_EQ(s.sysmon_rounds, 4);
  EXPECT_EQ(s.nfds, 2);
  EXPECT_EQ(s.programs, (std::vector<std::vector<Op>>{{{OpKind::kWork, 1}},
                                                      {{OpKind::kWork, 4},
                                                       {OpKind::kGosched, 0},
                                                       {OpKind::kWork, 4},
                                                       {OpKind::kYield, 0},
                                                       {OpKind::kWork, 4}}}));
  EXPECT_EQ(s.goroutines, (std::vector<GoroutineSpec>{{InitState::kParkedFd, 0, 0},
                                                      {InitState::kParkedFd, 1, 0},
                                                      {InitState::kRunnable, 0, 1},
                                                      {InitState::kRunnable, 0, 1}}));
  EXPECT_EQ(s.batches, (std::vector<PollBatch>{{{0, 1}, PollPath::kAny, 2}}));
  EXPECT_EQ(s.tracer, (std::vector<TracerOp>{{TracerOpKind::kStart, 0},
                                             {TracerOpKind::kAdvance, 4},
                                             {TracerOpKind::kAdvance, 4},
                                             {TracerOpKind::kStop, 4}}));
  EXPECT_TRUE(s.schedule.empty());
  EXPECT_EQ(Violations(s), "");
}

TEST(CodecTest, ZeroHeaderMeansDefaultsAndTheRestIsSchedule) {
  EXPECT_EQ(Decoded({1}), DefaultScenario());
  EXPECT_EQ(Decoded({1, 0, 0, 0, 0, 0, 0}), DefaultScenario());
  Scenario want = DefaultScenario();
  want.schedule = {9, 8, 7};
  EXPECT_EQ(Decoded({1, 0, 0, 0, 0, 0, 0, 9, 8, 7}), want);
  // Masked sections with no bytes left take their defaults too.
  EXPECT_EQ(Decoded({1, 0x0f, 0, 0, 0, 0, 0}), DefaultScenario());
}

TEST(CodecTest, EncodeOfDefaultIsTheBareHeader) {
  EXPECT_EQ(Encode(DefaultScenario()), (Bytes{1, 0, 0, 0, 0, 0, 0}));
}

TEST(CodecTest, HeaderFieldMappings) {
  // procs byte b: 1 + (b + 1) % 4.
  EXPECT_EQ(Decoded({1, 0, 1}).nprocs, 3);
  EXPECT_EQ(Decoded({1, 0, 3}).nprocs, 1);
  // ms byte b: nprocs + (b + 1) % (kMaxMs - nprocs + 1).
  EXPECT_EQ(Decoded({1, 0, 3, 0}).nms, 2);
  EXPECT_EQ(Decoded({1, 0, 3, 7}).nms, 1);
  // fds byte b: 1 + (b + 1) % 64.
  EXPECT_EQ(Decoded({1, 0, 0, 0, 63}).nfds, 1);
  EXPECT_EQ(Decoded({1, 0, 0, 0, 62}).nfds, 64);
  // sysmon byte b: rounds (b + 4) % 17, 0 = off.
  const Scenario off = Decoded({1, 0, 0, 0, 0, 13});
  EXPECT_FALSE(off.sysmon);
  EXPECT_EQ(off.sysmon_rounds, 0);
  EXPECT_EQ(Decoded({1, 0, 0, 0, 0, 12}).sysmon_rounds, 16);
  // runq byte b: 2 << (b + 7) % 8.
  EXPECT_EQ(Decoded({1, 0, 0, 0, 0, 0, 1}).runq_size, 2);
  EXPECT_EQ(Decoded({1, 0, 0, 0, 0, 0, 7}).runq_size, 128);
}

TEST(CodecTest, DecodeIsTotal) {
  std::mt19937 rng(1);
  Scenario s;  // reused, as a fuzz target does
  int decoded = 0;
  for (size_t len = 0; len <= 700; len += (len < 64 ? 1 : 7)) {
    for (int i = 0; i < 40; ++i) {
      const Bytes b = RandomBytes(&rng, len);
      Decode(b, &s);
      ASSERT_EQ(Violations(s), "") << "len " << len << " iteration " << i;
      ASSERT_TRUE(IsNormalized(s));
      ASSERT_EQ(s, Decoded(b)) << "depends on the reused Scenario";
      ++decoded;
    }
  }
  for (size_t len : {0, 1, 7, 8, 100, 1000, 5000}) {
    for (uint8_t fill : {0x00, 0x01, 0x0f, 0x7f, 0x80, 0xff}) {
      Decode(Bytes(len, fill), &s);
      ASSERT_EQ(Violations(s), "") << len << " x " << int(fill);
      ++decoded;
    }
  }
  EXPECT_GT(decoded, 5000);
}

TEST(CodecTest, UnknownVersionDecodesAsCurrent) {
  std::mt19937 rng(2);
  for (int i = 0; i < 200; ++i) {
    Bytes b = RandomBytes(&rng, 1 + rng() % 200);
    b[0] = kFormatVersion;
    const Scenario want = Decoded(b);
    b[0] = 7;
    EXPECT_EQ(Decoded(b), want);
  }
}

TEST(CodecTest, RoundTripOnNormalizedScenarios) {
  std::mt19937 rng(3);
  for (int i = 0; i < 3000; ++i) {
    Scenario s = RandomScenario(&rng);
    Normalize(&s);
    ASSERT_EQ(Violations(s), "");
    ASSERT_EQ(Decoded(Encode(s)), s) << "iteration " << i;
  }
}

TEST(CodecTest, EncodeThenDecodeIsNormalize) {
  std::mt19937 rng(4);
  for (int i = 0; i < 3000; ++i) {
    const Scenario x = RandomScenario(&rng);
    Scenario n = x;
    Normalize(&n);
    ASSERT_EQ(Decoded(Encode(x)), n) << "iteration " << i;
    Scenario nn = n;
    Normalize(&nn);
    ASSERT_EQ(nn, n) << "Normalize is not idempotent";
  }
}

TEST(CodecTest, EncodeIsCanonical) {
  std::mt19937 rng(5);
  for (int i = 0; i < 1000; ++i) {
    const Scenario s = Decoded(RandomBytes(&rng, rng() % 300));
    const Bytes e = Encode(s);
    EXPECT_EQ(Decoded(e), s);
    EXPECT_EQ(Encode(Decoded(e)), e);
  }
}

TEST(CodecTest, NormalizeRules) {
  Scenario s;
  s.nprocs = 0;
  s.nms = 20;
  s.runq_size = 100;
  s.sysmon = true;
  s.sysmon_rounds = 0;
  s.nfds = 2;
  s.programs = {};
  s.goroutines = {{InitState::kParkedFd, 1, 0},
                  {InitState::kParkedFd, 1, 5},
                  {InitState::kParkedFd, 0, 0},
                  {InitState::kRunnable, 9, 0},
                  {InitState::kParkedChan, 6, 0}};
  s.batches = {{{3, 1, 5, 0}, PollPath::kSysmon, 9}};
  s.tracer = {};
  Normalize(&s);
  EXPECT_EQ(s.nprocs, 1);
  EXPECT_EQ(s.nms, kMaxMs);
  EXPECT_EQ(s.runq_size, 64);
  EXPECT_FALSE(s.sysmon);
  EXPECT_EQ(s.programs, (std::vector<std::vector<Op>>{{}}));
  EXPECT_EQ(s.goroutines, (std::vector<GoroutineSpec>{{InitState::kParkedFd, 1, 0},
                                                      {InitState::kParkedFd, 0, 0},  // next free fd
                                                      {InitState::kRunnable, 0, 0},  // none free
                                                      {InitState::kRunnable, 0, 0},
                                                      {InitState::kParkedChan, 2, 0}}));
  EXPECT_EQ(s.batches[0].fds, (std::vector<uint8_t>{1, 0}));

  Scenario t;
  t.nfds = 3;
  t.programs = {{{OpKind::kWork, 200},
                 {OpKind::kParkFd, 4},
                 {OpKind::kGo, 3},
                 {OpKind::kExit, 5},
                 {static_cast<OpKind>(13), 1}}};  // 13 % kNumOpKinds: parkchan
  Normalize(&t);
  EXPECT_EQ(t.programs[0], (std::vector<Op>{{OpKind::kWork, kMaxOpPoints},
                                            {OpKind::kParkFd, 1},
                                            {OpKind::kGo, 0},
                                            {OpKind::kExit, 0},
                                            {OpKind::kParkChan, 1}}));
}

// Locality: a one-byte change at offset p never changes schedule bytes at
// offsets below p, and a change inside the schedule changes only that byte.
TEST(CodecTest, OneByteMutationIsLocal) {
  std::mt19937 rng(6);
  int in_schedule = 0, elsewhere = 0;
  for (int i = 0; i < 3000; ++i) {
    Scenario s = RandomScenario(&rng);
    Normalize(&s);
    const Bytes b = Encode(s);
    const size_t p = rng() % b.size();
    Bytes m = b;
    m[p] ^= static_cast<uint8_t>(1 + rng() % 255);
    const Scenario t = Decoded(m);
    if (p >= kScheduleOffset && p < kScheduleOffset + s.schedule.size()) {
      ++in_schedule;
      Scenario want = s;
      want.schedule[p - kScheduleOffset] = m[p];
      ASSERT_EQ(t, want) << "p " << p;
      continue;
    }
    ++elsewhere;
    const size_t stable =
        p < kScheduleOffset ? std::min(s.schedule.size(), t.schedule.size())
                            : std::min({s.schedule.size(), t.schedule.size(), p - kScheduleOffset});
    ASSERT_TRUE(std::equal(s.schedule.begin(), s.schedule.begin() + stable, t.schedule.begin()))
        << "p " << p;
  }
  EXPECT_GT(in_schedule, 100);
  EXPECT_GT(elsewhere, 100);
}

// Inserting or erasing a schedule byte (libFuzzer's InsertByte/EraseBytes)
// leaves everything but the schedule alone.
TEST(CodecTest, ScheduleInsertAndEraseKeepTheScenario) {
  std::mt19937 rng(7);
  for (int i = 0; i < 1000; ++i) {
    Scenario s = RandomScenario(&rng);
    Normalize(&s);
    const Bytes b = Encode(s);
    const size_t at = kScheduleOffset + rng() % (s.schedule.size() + 1);
    Bytes ins = b;
    ins.insert(ins.begin() + at, 0x5a);
    Scenario want = s;
    want.schedule.insert(want.schedule.begin() + (at - kScheduleOffset), 0x5a);
    ASSERT_EQ(Decoded(ins), want);
    if (!s.schedule.empty() && at < kScheduleOffset + s.schedule.size()) {
      Bytes del = b;
      del.erase(del.begin() + at);
      want = s;
      want.schedule.erase(want.schedule.begin() + (at - kScheduleOffset));
      ASSERT_EQ(Decoded(del), want);
    }
  }
}

// Header bytes are fixed fields: changing runq's or sysmon's byte changes
// only that field.
TEST(CodecTest, HeaderFieldsAreIndependent) {
  std::mt19937 rng(8);
  for (int i = 0; i < 500; ++i) {
    Scenario s = RandomScenario(&rng);
    Normalize(&s);
    Bytes b = Encode(s);
    b[6] = rng();
    Scenario t = Decoded(b);
    t.runq_size = s.runq_size;
    ASSERT_EQ(t, s);
    b = Encode(s);
    b[5] = rng();
    t = Decoded(b);
    t.sysmon = s.sysmon;
    t.sysmon_rounds = s.sysmon_rounds;
    ASSERT_EQ(t, s);
  }
}

TEST(CodecTest, DecodeStrict) {
  absl::StatusOr<Scenario> s = DecodeStrict({});
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.status().message(), "empty input (a scenario starts with format version byte 1)");
  s = DecodeStrict(Bytes{7, 0, 0});
  EXPECT_EQ(s.status().message(),
            "unknown format version 7 (this build reads versions 1, 2 and 3)");
  const std::string text = "schedfuzz scenario v1\nprocs 2\n";
  s = DecodeStrict(Bytes(text.begin(), text.end()));
  EXPECT_EQ(s.status().message(),
            "unknown format version 115 (this build reads versions 1, 2 and 3); the "
            "input looks like scenario text, not bytes");
  const Bytes ok = {1, 0, 1, 0, 0, 0, 0, 42};
  s = DecodeStrict(ok);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(*s, Decoded(ok));
}

TEST(CodecTest, DecodeTakesTheSamePathWhateverTheScenarioHeld) {
  // A fuzzer reuses one Scenario for every input; decoding must not depend
  // on what the previous input left in it, or coverage would differ between
  // runs of the same input (AFL++ stability). Proxy: the same allocations.
  Scenario big;
  big.nfds = kMaxFds;
  big.programs.assign(kMaxPrograms, std::vector<Op>(kMaxProgramLen, {OpKind::kWork, 3}));
  big.goroutines.assign(kMaxGoroutines, {});
  big.batches.assign(kMaxBatches, {});
  for (PollBatch& b : big.batches) {
    for (int fd = 0; fd < kMaxFds; ++fd) b.fds.push_back(fd);
  }
  big.tracer.assign(kMaxTracerOps, {});
  big.schedule.assign(1000, 0x33);
  std::mt19937 rng(9);
  for (int i = 0; i < 200; ++i) {
    Bytes in(rng() % 300);
    for (uint8_t& b : in) b = static_cast<uint8_t>(rng());
    if (!in.empty()) in[0] = kFormatVersion;
    Scenario fresh, reused = big;
    g_allocs = 0;
    g_count_allocs = true;
    Decode(in, &fresh);
    const long fresh_allocs = g_allocs.exchange(0);
    Decode(in, &reused);
    const long reused_allocs = g_allocs.exchange(0);
    g_count_allocs = false;
    EXPECT_EQ(fresh, reused);
    EXPECT_EQ(fresh_allocs, reused_allocs) << "input " << i;
  }
}

// Version 2: a `gc` op makes Encode write version byte 2 and header bit 4,
// and only with that bit does an op kind byte of 10 mean `gc`; without it
// op kinds are read modulo 10 as in version 1, so every version 1 input
// decodes as before.
TEST(CodecTest, GCOpNeedsVersion2) {
  Scenario s = DefaultScenario();
  s.programs = {{{OpKind::kWork, 1}, {OpKind::kGC, 7}}};
  const Bytes b = Encode(s);
  ASSERT_GE(b.size(), kHeaderSize);
  EXPECT_EQ(b[0], kFormatVersionGC);
  EXPECT_TRUE(b[1] & kHeaderGCOps);
  Scenario d;
  Decode(b, &d);
  Normalize(&s);
  EXPECT_EQ(d, s);
  EXPECT_EQ(d.programs[0][1], (Op{OpKind::kGC, 0}));
  EXPECT_TRUE(DecodeStrict(b).ok());

  Bytes v1 = b;
  v1[0] = kFormatVersion;
  v1[1] &= ~kHeaderGCOps;
  Decode(v1, &d);
  EXPECT_EQ(d.programs[0][1].kind, OpKind::kWork);  // 10 % 10

  s.programs = {{{OpKind::kWork, 1}, {OpKind::kYield, 0}}};
  const Bytes c = Encode(s);
  EXPECT_EQ(c[0], kFormatVersion);
  EXPECT_FALSE(c[1] & kHeaderGCOps);
}

// Version 3: a PCT-form schedule makes Encode write version byte 3 and header
// bit 5, with or without `gc` ops, and the bit is all Decode reads.
TEST(CodecTest, PctScheduleNeedsVersion3) {
  for (bool gc : {false, true}) {
    Scenario s = DefaultScenario();
    if (gc) s.programs = {{{OpKind::kWork, 1}, {OpKind::kGC, 0}}};
    s.schedule = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0x05, 0x01};
    s.pct_schedule = true;
    Normalize(&s);
    const Bytes b = Encode(s);
    ASSERT_GE(b.size(), kHeaderSize);
    EXPECT_EQ(b[0], kFormatVersionPct);
    EXPECT_TRUE(b[1] & kHeaderPctSchedule);
    EXPECT_EQ(bool(b[1] & kHeaderGCOps), gc);
    // The schedule bytes are stored as they are, at the same offset.
    EXPECT_EQ(Bytes(b.begin() + kScheduleOffset, b.begin() + kScheduleOffset + s.schedule.size()),
              s.schedule);
    EXPECT_EQ(Decoded(b), s);
    ASSERT_TRUE(DecodeStrict(b).ok());
    EXPECT_TRUE(DecodeStrict(b)->pct_schedule);
    // Without the bit the same bytes are the same scenario with a byte-form
    // schedule, and Encode writes them back as version 1 or 2.
    Bytes plain = b;
    plain[1] &= ~kHeaderPctSchedule;
    Scenario d = Decoded(plain);
    EXPECT_FALSE(d.pct_schedule);
    d.pct_schedule = true;
    EXPECT_EQ(d, s);
    d.pct_schedule = false;
    EXPECT_EQ(Encode(d)[0], gc ? kFormatVersionGC : kFormatVersion);
  }
}

// Inputs without bit 5 (every version 1 and 2 input Encode writes) decode as
// before: to a byte-form schedule, and Encode gives their bytes back without
// the bit. Setting the bit changes the schedule's form and nothing else.
TEST(CodecTest, Version1And2InputsKeepTheirMeaning) {
  std::mt19937 rng(12);
  for (int i = 0; i < 500; ++i) {
    Bytes b = RandomBytes(&rng, 1 + rng() % 200);
    b[0] = i % 2 ? kFormatVersion : kFormatVersionGC;
    if (b.size() > 1) b[1] &= ~kHeaderPctSchedule;
    const Scenario s = Decoded(b);
    EXPECT_FALSE(s.pct_schedule);
    const Bytes e = Encode(s);
    EXPECT_NE(e[0], kFormatVersionPct);
    EXPECT_FALSE(e[1] & kHeaderPctSchedule);
    if (b.size() > 1) {
      b[1] |= kHeaderPctSchedule;
      Scenario p = Decoded(b);
      EXPECT_TRUE(p.pct_schedule);
      p.pct_schedule = false;
      EXPECT_EQ(p, s);
    }
  }
}

}  // namespace
}  // namespace schedfuzz::scenario
