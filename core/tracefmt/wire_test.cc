#include "core/tracefmt/wire.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <new>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

#include "core/tracefmt/event.h"
#include "core/tracefmt/reframe.h"
#include "core/tracefmt/trace.h"
#include "core/tracefmt/wire_testing.h"

// Counts allocations while g_count_allocs is set, so a test can check that
// AppendWire into a warm buffer allocates nothing.
namespace {
std::atomic<bool> g_count_allocs{false};
std::atomic<long> g_allocs{0};
}  // namespace

// GCC pairs the inlined free() below with operator new's call sites and
// warns; both halves are ours and use malloc/free consistently.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t n) {
  if (g_count_allocs.load(std::memory_order_relaxed)) ++g_allocs;
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace schedfuzz::tracefmt {
namespace {

using S = GoStatus;
using PS = ProcStatus;

constexpr uint64_t kFreq = 1000000000;  // one tick per nanosecond

Event Ev(EvType type, uint64_t ts, std::initializer_list<uint64_t> args = {}) {
  Event e;
  e.type = type;
  e.ts = ts;
  int i = 0;
  for (uint64_t a : args) e.args[i++] = a;
  return e;
}
uint64_t St(S s) { return static_cast<uint64_t>(s); }
uint64_t St(PS s) { return static_cast<uint64_t>(s); }

// Builds a Trace batch by batch, in file order.
class Builder {
 public:
  Builder& Freq(uint64_t gen, uint64_t freq = kFreq) {
    Batch& b = t_.Append();
    b.kind = BatchKind::kFrequency;
    b.gen = gen;
    b.freq = freq;
    return *this;
  }
  Builder& Strings(uint64_t gen, std::vector<StringEntry> ss) {
    Batch& b = t_.Append();
    b.kind = BatchKind::kStrings;
    b.gen = gen;
    b.strings = std::move(ss);
    return *this;
  }
  Builder& Stacks(uint64_t gen) {
    Batch& b = t_.Append();
    b.kind = BatchKind::kStacks;
    b.gen = gen;
    return *this;
  }
  Builder& Events(uint64_t gen, uint64_t m, std::vector<Event> evs) {
    Batch& b = t_.Append();
    b.gen = gen;
    b.m = m;
    b.events = std::move(evs);
    return *this;
  }
  const Trace& trace() const { return t_; }

 private:
  Trace t_;
};

// A valid two-generation trace: M1 runs goroutines 1 and 7, which block on
// and unblock each other; goroutine 9 sleeps through gen 1 and is reported by
// the end-of-generation (M-less) status batch, then is woken and exits in
// gen 2, where goroutine 7, still blocked, is reported M-less.
Trace ValidTwoGenTrace() {
  using T = EvType;
  Builder b;
  b.Freq(1);
  b.Events(1, 1,
           {
               Ev(T::kProcStatus, 100, {0, St(PS::kRunning)}),
               Ev(T::kGoStatus, 101, {1, 1, St(S::kRunning)}),
               Ev(T::kGoCreate, 102, {7, 0, 0}),
               Ev(T::kGoBlock, 103, {1, 0}),  // g1 waits
               Ev(T::kGoStart, 104, {7, 1}),
               Ev(T::kGoUnblock, 105, {1, 1, 0}),  // g7 wakes g1
               Ev(T::kGoBlock, 106, {1, 0}),       // g7 waits
               Ev(T::kGoStart, 107, {1, 2}),
               Ev(T::kGoUnblock, 108, {7, 2, 0}),  // g1 wakes g7
               Ev(T::kGoStop, 109, {2, 0}),        // g1 preempted
               Ev(T::kGoStart, 110, {7, 3}),
               Ev(T::kGoBlock, 111, {1, 0}),  // g7 waits again
               Ev(T::kGoStart, 112, {1, 3}),
           });
  b.Events(1, kNoThread, {Ev(T::kGoStatus, 113, {9, kNoThread, St(S::kWaiting)})});
  b.Strings(1, {{1, "chan receive"}, {2, "preempted"}});
  b.Freq(2);
  b.Events(2, 1,
           {
               Ev(T::kProcStatus, 200, {0, St(PS::kRunning)}),
               Ev(T::kGoStatus, 201, {1, 1, St(S::kRunning)}),
               Ev(T::kGoStatus, 202, {9, kNoThread, St(S::kWaiting)}),
               Ev(T::kGoUnblock, 203, {9, 1, 0}),  // g1 wakes g9
               Ev(T::kGoBlock, 204, {1, 0}),       // g1 waits
               Ev(T::kGoStart, 205, {9, 2}),
               Ev(T::kGoDestroy, 206),
               Ev(T::kProcStop, 207),
           });
  b.Events(2, kNoThread, {Ev(T::kGoStatus, 208, {7, kNoThread, St(S::kWaiting)})});
  b.Strings(2, {{1, "chan receive"}});
  return b.trace();
}

// The shape of Go issue 70883: in gen 1 goroutine 7 is unblocked but never
// runs; gen 2's end-of-generation status pass still reports it Waiting.
Trace Go70883Trace() {
  using T = EvType;
  Builder b;
  b.Freq(1);
  b.Events(1, 1,
           {
               Ev(T::kProcStatus, 100, {0, St(PS::kRunning)}),
               Ev(T::kGoStatus, 101, {1, 1, St(S::kRunning)}),
               Ev(T::kGoStatus, 102, {7, kNoThread, St(S::kWaiting)}),
               Ev(T::kGoUnblock, 103, {7, 1, 0}),
           });
  b.Freq(2);
  b.Events(2, 1,
           {
               Ev(T::kProcStatus, 200, {0, St(PS::kRunning)}),
               Ev(T::kGoStatus, 201, {1, 1, St(S::kRunning)}),
           });
  b.Events(2, kNoThread, {Ev(T::kGoStatus, 202, {7, kNoThread, St(S::kWaiting)})});
  return b.trace();
}

// --- Comparison helpers.

std::string Describe(const Trace& t) { return DumpTrace(t); }

bool SameEvent(const Event& a, const Event& b) {
  return a.type == b.type && a.ts == b.ts && a.args[0] == b.args[0] && a.args[1] == b.args[1] &&
         a.args[2] == b.args[2] && a.args[3] == b.args[3];
}

bool SameBatch(const Batch& a, const Batch& b) {
  if (a.kind != b.kind || a.gen != b.gen || a.m != b.m) return false;
  switch (a.kind) {
    case BatchKind::kFrequency: return a.freq == b.freq;
    case BatchKind::kStrings:
      if (a.strings.size() != b.strings.size()) return false;
      for (size_t i = 0; i < a.strings.size(); ++i) {
        if (a.strings[i].id != b.strings[i].id || a.strings[i].value != b.strings[i].value)
          return false;
      }
      return true;
    case BatchKind::kStacks: return a.stacks == b.stacks;
    case BatchKind::kCPUSamples: return a.samples == b.samples;
    case BatchKind::kSync:
      return a.has_freq == b.has_freq && (!a.has_freq || a.freq == b.freq) &&
             a.has_clock == b.has_clock && a.clock == b.clock;
    case BatchKind::kEndOfGeneration: return true;
    case BatchKind::kExperimental: return a.exp == b.exp && a.data == b.data;
    case BatchKind::kEvents:
      if (a.events.size() != b.events.size()) return false;
      for (size_t i = 0; i < a.events.size(); ++i) {
        if (!SameEvent(a.events[i], b.events[i])) return false;
      }
      return true;
  }
  return false;
}

::testing::AssertionResult SameTrace(const Trace& a, const Trace& b) {
  bool same = a.size() == b.size();
  for (size_t i = 0; same && i < a.size(); ++i) same = SameBatch(a[i], b[i]);
  if (same) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "traces differ:\n--- first\n"
                                       << Describe(a) << "--- second\n"
                                       << Describe(b);
}

std::string Bytes(std::initializer_list<int> bs) {
  std::string s;
  for (int b : bs) s.push_back(static_cast<char>(b));
  return s;
}

std::string Hex(std::string_view s) {
  std::string out;
  char buf[4];
  for (unsigned char c : s) {
    std::snprintf(buf, sizeof(buf), "%02x ", c);
    out += buf;
  }
  return out;
}

// Header plus a batch built from raw pieces.
std::string Header() { return std::string(kWireHeader); }
using wiretest::RawBatch;
std::string FreqBatch(uint64_t gen) {
  std::string p(1, '\x08');
  AppendUvarint(&p, kFreq);
  return RawBatch(gen, kNoThread, 0, p);
}

// Go rejects a generation with nothing to order: give each one an event.
std::string EvBatch(uint64_t gen) {
  return RawBatch(gen, 1, 0, Bytes({0x0b, 0x00}));  // ProcStop
}

// ReadWire's error text, "" when it accepts bytes.
std::string Read(std::string_view bytes, Trace* t) {
  return std::string(ReadWire(bytes, t).message());
}

std::string ReadError(std::string_view bytes) {
  Trace t;
  const absl::Status st = ReadWire(bytes, &t);
  return st.ok() ? "<ok>" : std::string(st.message());
}

// If ReadWire accepts bytes, writing what it read and reading that again
// must give the same Trace (the property fuzz/validator_fuzzer relies on).
void CheckReencodes(std::string_view bytes) {
  Trace t1, t2;
  if (const absl::Status st = ReadWire(bytes, &t1); !st.ok()) {
    ASSERT_FALSE(st.message().empty());
    return;
  }
  ASSERT_EQ(Read(WriteWire(t1), &t2), "");
  ASSERT_TRUE(SameTrace(t1, t2));
}

// --- Varints.

TEST(UvarintTest, RoundTripsBoundaryValues) {
  const uint64_t kValues[] = {
      0, 1, 127, 128, 16383, 16384, 1u << 31, uint64_t{1} << 56, ~0ull >> 1, ~0ull - 1, ~0ull};
  for (uint64_t v : kValues) {
    std::string s;
    AppendUvarint(&s, v);
    EXPECT_EQ(s.size(), UvarintLen(v)) << v;
    size_t pos = 0;
    uint64_t got = 0;
    ASSERT_EQ(DecodeUvarint(s, &pos, &got), UvarintStatus::kOk) << v;
    EXPECT_EQ(got, v);
    EXPECT_EQ(pos, s.size());
  }
  std::string max;
  AppendUvarint(&max, ~0ull);
  EXPECT_EQ(Hex(max), "ff ff ff ff ff ff ff ff ff 01 ");
}

TEST(UvarintTest, AcceptsPaddedEncodingLikeTheRuntimeLength) {
  // The runtime writes batch lengths as ten bytes: 5 padded to ten.
  const std::string s = Bytes({0x85, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
  size_t pos = 0;
  uint64_t v = 0;
  ASSERT_EQ(DecodeUvarint(s, &pos, &v), UvarintStatus::kOk);
  EXPECT_EQ(v, 5u);
  EXPECT_EQ(pos, 10u);
}

TEST(UvarintTest, RejectsOverflowAndTruncation) {
  size_t pos = 0;
  uint64_t v = 0;
  EXPECT_EQ(
      DecodeUvarint(Bytes({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}), &pos, &v),
      UvarintStatus::kOverflow);
  EXPECT_EQ(DecodeUvarint(std::string(11, '\x80'), &pos, &v), UvarintStatus::kOverflow);
  EXPECT_EQ(DecodeUvarint(Bytes({0x80, 0x80}), &pos, &v), UvarintStatus::kTruncated);
  EXPECT_EQ(DecodeUvarint("", &pos, &v), UvarintStatus::kTruncated);
  EXPECT_EQ(pos, 0u);
}

// --- Writing.

TEST(WriteWireTest, ExactBytesOfATinyTrace) {
  Builder b;
  b.Freq(1);
  b.Events(1, 1,
           {
               Ev(EvType::kProcStatus, 100, {0, St(PS::kRunning)}),
               Ev(EvType::kGoStatus, 105, {1, 1, St(S::kRunning)}),
               Ev(EvType::kGoBlock, 300, {0, 0}),
           });
  const std::string want = std::string("go 1.22 trace\0\0\0", 16) +
                           // Frequency batch: gen 1, m = 2^64-1, base ts 0, 6 payload bytes:
                           // 0x08 then 1e9 = 0x3b9aca00 as a varint.
                           Bytes({0x01, 0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                  0xff, 0x01, 0x00, 0x06, 0x08, 0x80, 0x94, 0xeb, 0xdc, 0x03}) +
                           // Event batch: gen 1, m 1, base ts 100 (the first event), 14 bytes.
                           Bytes({0x01, 0x01, 0x01, 0x64, 0x0e, 0x0d, 0x00, 0x00,
                                  0x01,                          // ProcStatus dt=0 p=0 Running
                                  0x19, 0x05, 0x01, 0x01, 0x02,  // GoStatus dt=5 g=1 m=1 Running
                                  0x14, 0xc3, 0x01, 0x00, 0x00}  // GoBlock dt=195 reason=0 stack=0
                           );
  EXPECT_EQ(Hex(WriteWire(b.trace())), Hex(want));
}

TEST(WriteWireTest, AppendsIntoAWarmBufferWithoutAllocating) {
  const Trace t = ValidTwoGenTrace();
  std::string buf;
  AppendWire(t, &buf);
  const std::string first = buf;
  buf.clear();
  g_allocs = 0;
  g_count_allocs = true;
  AppendWire(t, &buf);
  g_count_allocs = false;
  EXPECT_EQ(g_allocs.load(), 0);
  EXPECT_EQ(buf, first);
}

TEST(WriteWireTest, SplitsWhereTimestampsGoBackwards) {
  Builder b;
  b.Freq(1);
  b.Events(1, 3,
           {Ev(EvType::kHeapAlloc, 50, {1}), Ev(EvType::kHeapAlloc, 60, {2}),
            Ev(EvType::kHeapAlloc, 40, {3}), Ev(EvType::kHeapAlloc, 40, {4})});
  Trace got;
  ASSERT_EQ(Read(WriteWire(b.trace()), &got), "");
  Builder want;
  want.Freq(1);
  want.Events(1, 3, {Ev(EvType::kHeapAlloc, 50, {1}), Ev(EvType::kHeapAlloc, 60, {2})});
  want.Events(1, 3, {Ev(EvType::kHeapAlloc, 40, {3}), Ev(EvType::kHeapAlloc, 40, {4})});
  EXPECT_TRUE(SameTrace(got, want.trace()));
}

TEST(WriteWireTest, PayloadOfExactlyTheLimitStaysOneBatch) {
  // ProcStop with dt 0 is two bytes: 32768 of them fill 65536 bytes exactly.
  std::vector<Event> evs(kMaxBatchPayload / 2, Ev(EvType::kProcStop, 7));
  Builder b;
  b.Freq(1).Events(1, 1, evs);
  Trace got;
  ASSERT_EQ(Read(WriteWire(b.trace()), &got), "");
  EXPECT_TRUE(SameTrace(got, b.trace()));

  evs.push_back(Ev(EvType::kProcStop, 7));
  Builder b2;
  b2.Freq(1).Events(1, 1, evs);
  ASSERT_EQ(Read(WriteWire(b2.trace()), &got), "");
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[1].events.size(), kMaxBatchPayload / 2);
  EXPECT_EQ(got[2].events.size(), 1u);
  EXPECT_EQ(got[2].m, 1u);
  EXPECT_EQ(got[2].events[0].ts, 7u);
}

TEST(WriteWireTest, SplitsLargeBatchesAndKeepsEveryEvent) {
  std::vector<Event> evs;
  uint64_t ts = 1000;
  for (uint64_t i = 0; i < 20000; ++i) {
    ts += i * 977;  // growing deltas: varints of several lengths
    evs.push_back(Ev(EvType::kGoUnblock, ts, {i * 1315423911u, i, ~0ull - i}));
  }
  Builder b;
  b.Freq(1).Events(1, 4, evs).Strings(1, {{1, "x"}});
  const std::string wire = WriteWire(b.trace());
  Trace got;
  ASSERT_EQ(Read(wire, &got), "");
  ASSERT_GT(got.size(), 3u);  // split at least once
  std::vector<Event> all;
  for (size_t i = 1; i + 1 < got.size(); ++i) {
    EXPECT_EQ(got[i].kind, BatchKind::kEvents);
    EXPECT_EQ(got[i].gen, 1u);
    EXPECT_EQ(got[i].m, 4u);
    all.insert(all.end(), got[i].events.begin(), got[i].events.end());
  }
  ASSERT_EQ(all.size(), evs.size());
  for (size_t i = 0; i < evs.size(); ++i) {
    ASSERT_TRUE(SameEvent(all[i], evs[i])) << i;
  }
}

TEST(WriteWireTest, SplitsLargeStringTables) {
  std::vector<StringEntry> ss;
  for (uint64_t id = 1; id <= 200; ++id) {
    ss.push_back({id, std::string(1000, static_cast<char>('a' + id % 26))});
  }
  Builder b;
  b.Freq(3).Strings(3, ss).Events(3, 1, {Ev(EvType::kProcStop, 1)});
  Trace got;
  ASSERT_EQ(Read(WriteWire(b.trace()), &got), "");
  ASSERT_EQ(got.size(), 6u);  // 200 KB of strings: four batches
  std::vector<StringEntry> all;
  for (size_t i = 1; i + 1 < got.size(); ++i) {
    EXPECT_EQ(got[i].kind, BatchKind::kStrings);
    all.insert(all.end(), got[i].strings.begin(), got[i].strings.end());
  }
  ASSERT_EQ(all.size(), ss.size());
  for (size_t i = 0; i < ss.size(); ++i) {
    EXPECT_EQ(all[i].id, ss[i].id);
    EXPECT_EQ(all[i].value, ss[i].value);
  }
}

// --- Round trips.

TEST(RoundTripTest, TestdataTraces) {
  for (const Trace& t : {ValidTwoGenTrace(), Go70883Trace()}) {
    Trace got;
    ASSERT_EQ(Read(WriteWire(t), &got), "");
    EXPECT_TRUE(SameTrace(got, t));
  }
}

TEST(RoundTripTest, EveryEventTypeAndTableKind) {
  std::vector<Event> evs;
  uint64_t ts = 5;
  for (int i = 9; i < kNumEvTypes; ++i) {
    Event e = Ev(EvType(i), ts += 3);
    for (int a = 0; a < EvArgCount(e.type); ++a) {
      e.args[a] = (uint64_t{1} << (7 * a + i % 7)) + static_cast<uint64_t>(a);
    }
    evs.push_back(e);
  }
  Builder b;
  b.Freq(7, 15625000)  // the runtime's 1e9/64 on Linux
      .Stacks(7)
      .Events(7, 12345678901234ull, evs)
      .Events(7, kNoThread, {})
      .Events(7, 0, {Ev(EvType::kGoStatus, 0, {3, 0, St(S::kSyscall)})})
      .Strings(7, {{1, ""}, {2, std::string("nul\0byte", 8)}, {~0ull, "max id"}})
      .Freq(8, ~0ull)
      .Strings(8, {})
      .Events(8, 1, {Ev(EvType::kGoStatus, ~0ull, {1, 1, 2})});
  Trace got;
  ASSERT_EQ(Read(WriteWire(b.trace()), &got), "");
  EXPECT_TRUE(SameTrace(got, b.trace()));
}

TEST(RoundTripTest, ReaderReusesTheOutputTrace) {
  Trace got;
  ASSERT_EQ(Read(WriteWire(ValidTwoGenTrace()), &got), "");
  ASSERT_EQ(Read(WriteWire(Go70883Trace()), &got), "");
  EXPECT_TRUE(SameTrace(got, Go70883Trace()));
}

// --- Reading foreign encodings.

TEST(ReadWireTest, AcceptsPaddedLengthsAndNonZeroBaseTimestamps) {
  // As the runtime writes it: ten-byte length, a base timestamp before the
  // first event, dt >= 1.
  std::string payload = Bytes({0x0d, 0x03, 0x00, 0x01,          // ProcStatus dt=3
                               0x19, 0x01, 0x01, 0x05, 0x02});  // GoStatus dt=1
  std::string s = Header() + FreqBatch(1) + Bytes({0x01, 0x01, 0x05, 0x64});
  s += Bytes({0x89, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00});
  s += payload;
  Trace got;
  ASSERT_EQ(Read(s, &got), "");
  ASSERT_EQ(got.size(), 2u);
  ASSERT_EQ(got[1].events.size(), 2u);
  EXPECT_EQ(got[1].m, 5u);
  EXPECT_EQ(got[1].events[0].ts, 103u);
  EXPECT_EQ(got[1].events[1].ts, 104u);
  EXPECT_EQ(got[1].events[1].args[1], 5u);
}

TEST(ReadWireTest, IgnoresTrailingBytesOfAFrequencyBatchAndKeepsCPUSamples) {
  std::string s = Header() + RawBatch(1, kNoThread, 0, Bytes({0x08, 0x10, 0xaa, 0xbb}));
  s += RawBatch(1, kNoThread, 0, Bytes({0x06, 0x07, 1, 2, 3, 4, 5, 0x07, 6, 7, 8, 9, 10}));
  Trace got;
  ASSERT_EQ(Read(s, &got), "");
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].freq, 16u);
  ASSERT_EQ(got[1].kind, BatchKind::kCPUSamples);
  // On the wire a sample is time, m, p, g, stack.
  EXPECT_EQ(got[1].samples, (std::vector<CPUSample>{{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}}));
  CheckReencodes(s);
}

TEST(ReadWireTest, KeepsTheStackTable) {
  // Stack 7: two frames (pc, func, file, line); stack 9: none. The strings
  // the frames name exist.
  std::string s = Header() + FreqBatch(1) + EvBatch(1);
  s += RawBatch(1, kNoThread, 0, Bytes({0x04, 0x05, 1, 1, 'f', 0x05, 2, 1, 'g'}));
  s += RawBatch(1, kNoThread, 0,
                Bytes({0x02, 0x03, 7, 2, 0x80, 0x01, 1, 2, 10, 0x81, 0x01, 2, 2, 11, 0x03, 9, 0}));
  Trace got;
  ASSERT_EQ(Read(s, &got), "");
  ASSERT_EQ(got.size(), 4u);
  ASSERT_EQ(got[3].kind, BatchKind::kStacks);
  const std::vector<StackEntry> want = {{7, {{128, 1, 2, 10}, {129, 2, 2, 11}}}, {9, {}}};
  EXPECT_EQ(got[3].stacks, want);
  CheckReencodes(s);
  EXPECT_EQ(WriteWire(got), s);
}

// --- Error texts (Go's, from internal/trace/v2 as x/exp/trace@814bf88 has
// them).

TEST(ReadWireErrorTest, Header) {
  const std::string kBad = "bad file format: not a Go execution trace?";
  EXPECT_EQ(ReadError(""), kBad);
  EXPECT_EQ(ReadError("go 1.22 trace"), kBad);
  EXPECT_EQ(ReadError(std::string("go 1.22 trace\0\0", 15)), kBad);
  EXPECT_EQ(ReadError(std::string("go1.22 trace\0\0\0", 15)), kBad);
  EXPECT_EQ(ReadError(std::string("go 1.22trace\0\0\0", 15)), kBad);
  EXPECT_EQ(ReadError(std::string("go 1.+22 trace\0\0\0", 17)), kBad);
  EXPECT_EQ(ReadError(std::string("go 1.4294967296 trace\0\0\0", 24)), kBad);
  EXPECT_EQ(ReadError(std::string("go 1.22 \n trace\0\0\0", 18)), kBad);
  EXPECT_EQ(ReadError(std::string("go 1.22 trace\0\0\1", 16)), kBad);
  EXPECT_EQ(ReadError(std::string("GO 1.22 trace\0\0\0", 16)), kBad);
  EXPECT_EQ(ReadError(std::string("go 1.21 trace\0\0\0", 16)),
            "unknown or unsupported trace version go 1.21");
  EXPECT_EQ(ReadError(std::string("go 1.24 trace\0\0\0", 16)),
            "unknown or unsupported trace version go 1.24");
  EXPECT_EQ(ReadError(std::string("go 1.4294967295 trace\0\0\0", 24)),
            "unknown or unsupported trace version go 1.4294967295");
  // Fscanf's blanks: runs of spaces and tabs, leading zeros, NBSP.
  EXPECT_EQ(ReadError(std::string("go\t 1. 022\t trace\0\0\0", 20)), "no frequency event found");
  EXPECT_EQ(ReadError(std::string("go\xc2\xa0"
                                  "1.22 trace\0\0\0",
                                  17)),
            "no frequency event found");
}

TEST(ReadWireErrorTest, BatchFraming) {
  const std::string h = Header();
  EXPECT_EQ(ReadError(h), "no frequency event found");
  EXPECT_EQ(ReadError(h + Bytes({0x02})), "expected batch event (EventBatch), got Stacks");
  EXPECT_EQ(ReadError(h + Bytes({0x00})),
            "expected batch event (EventBatch), got ");  // type 0: no name
  EXPECT_EQ(ReadError(h + Bytes({0x2d})), "expected batch event (EventBatch), got Invalid(45)");
  EXPECT_EQ(ReadError(h + Bytes({0x01})), "error reading batch gen: EOF");
  EXPECT_EQ(ReadError(h + Bytes({0x01, 0x81})), "error reading batch gen: unexpected EOF");
  EXPECT_EQ(ReadError(h + Bytes({0x01, 0x01})), "error reading batch M ID: EOF");
  EXPECT_EQ(ReadError(h + Bytes({0x01, 0x01}) + std::string(10, '\xff')),
            "error reading batch M ID: binary: varint overflows a 64-bit integer");
  EXPECT_EQ(ReadError(h + Bytes({0x01, 0x01, 0x01})), "error reading batch timestamp: EOF");
  EXPECT_EQ(ReadError(h + Bytes({0x01, 0x01, 0x01, 0x00})), "error reading batch size: EOF");
  EXPECT_EQ(ReadError(h + Bytes({0x01, 0x01, 0x01, 0x00, 0x81, 0x80, 0x04})),
            "invalid batch size 65537, maximum is 65536");
  EXPECT_EQ(ReadError(h + Bytes({0x01, 0x01, 0x01, 0x00, 0x0a, 1, 2, 3})),
            "failed to read full batch: read 3 but wanted 10");
}

TEST(ReadWireErrorTest, Generations) {
  const std::string h = Header();
  EXPECT_EQ(ReadError(h + FreqBatch(0)), "invalid generation number 0");
  EXPECT_EQ(ReadError(h + FreqBatch(1) + FreqBatch(3)), "generations out of order");
  EXPECT_EQ(ReadError(h + FreqBatch(2) + FreqBatch(1)), "generations out of order");
  EXPECT_EQ(ReadError(h + FreqBatch(1) + FreqBatch(1)), "found multiple frequency events");
  EXPECT_EQ(ReadError(h + FreqBatch(1) + EvBatch(1) + EvBatch(2)), "no frequency event found");
  EXPECT_EQ(ReadError(h + FreqBatch(5) + EvBatch(5) + FreqBatch(6) + EvBatch(6) + FreqBatch(7) +
                      EvBatch(7)),
            "<ok>");
  // The frequency batch need not come first in its generation.
  EXPECT_EQ(ReadError(h + EvBatch(1) + FreqBatch(1)), "<ok>");
  EXPECT_EQ(ReadError(h + RawBatch(1, kNoThread, 0, Bytes({0x08}))), "EOF");
}

TEST(ReadWireTest, LeavesEmptyGenerationsToTheValidator) {
  // Go's Reader fails these with "broken trace: frontier is empty" while
  // ordering; ReadWire does no ordering and reads them.
  const std::string h = Header();
  EXPECT_EQ(ReadError(h + FreqBatch(5)), "<ok>");
  EXPECT_EQ(ReadError(h + FreqBatch(1) + RawBatch(1, 1, 0, "") + FreqBatch(2)), "<ok>");
  // A generation of CPU samples alone has no events either.
  const std::string samples =
      h + FreqBatch(1) + RawBatch(1, kNoThread, 0, Bytes({0x06, 0x07, 1, 2, 3, 4, 5}));
  Trace got;
  ASSERT_EQ(Read(samples, &got), "");
  EXPECT_EQ(got.size(), 2u);
  CheckReencodes(samples);
}

TEST(ReadWireErrorTest, StringTables) {
  const std::string h = Header() + FreqBatch(1) + EvBatch(1);
  auto strings = [&](std::string payload) {
    return ReadError(h + RawBatch(1, kNoThread, 0, "\x04" + payload));
  };
  EXPECT_EQ(strings(""), "<ok>");
  EXPECT_EQ(strings(Bytes({0x05, 0x01, 0x02}) + "ab"), "<ok>");
  EXPECT_EQ(strings(Bytes({0x06})), "expected string event, got 6");
  EXPECT_EQ(strings(Bytes({0x05})), "EOF");
  EXPECT_EQ(strings(Bytes({0x05, 0x01})), "EOF");
  EXPECT_EQ(strings(Bytes({0x05, 0x01, 0x80})), "unexpected EOF");
  EXPECT_EQ(strings(Bytes({0x05, 0x01, 0x81, 0x08})), "invalid string size 1025, maximum is 1024");
  EXPECT_EQ(strings(Bytes({0x05, 0x01, 0x05}) + "ab"),
            "failed to read full string: read 2 but wanted 5");
  EXPECT_EQ(strings(Bytes({0x05, 0x01, 0x01}) + "a" + Bytes({0x05, 0x01, 0x01}) + "b"),
            "multiple strings with the same ID: id=1, new=b, existing=a");
  EXPECT_EQ(strings(Bytes({0x05, 0x00, 0x01}) + "z"),
            "multiple strings with the same ID: id=0, new=z, existing=");
  // Ids are per generation.
  EXPECT_EQ(
      ReadError(h + RawBatch(1, kNoThread, 0, Bytes({0x04, 0x05, 0x01, 0x00})) + FreqBatch(2) +
                EvBatch(2) + RawBatch(2, kNoThread, 0, Bytes({0x04, 0x05, 0x01, 0x00}))),
      "<ok>");
}

TEST(ReadWireErrorTest, StackTables) {
  const std::string h = Header() + FreqBatch(1) + EvBatch(1);
  auto stacks = [&](std::string payload, std::string strs = "") {
    std::string s = h + RawBatch(1, kNoThread, 0, "\x02" + payload);
    if (!strs.empty()) s += RawBatch(1, kNoThread, 0, "\x04" + strs);
    return ReadError(s);
  };
  const std::string kStrings = Bytes({0x05, 0x01, 0x01, 'f', 0x05, 0x02, 0x01, 'g'});
  // Stack 1: one frame pc=0x40 func=1 file=2 line=9.
  EXPECT_EQ(stacks(Bytes({0x03, 0x01, 0x01, 0x40, 0x01, 0x02, 0x09}), kStrings), "<ok>");
  EXPECT_EQ(stacks(Bytes({0x03, 0x01, 0x01, 0x40, 0x01, 0x02, 0x09})),
            "found invalid func string ID 1 for stack 1");
  EXPECT_EQ(stacks(Bytes({0x03, 0x01, 0x01, 0x40, 0x00, 0x02, 0x09})),
            "found invalid file string ID 2 for stack 1");
  EXPECT_EQ(stacks(Bytes({0x05})), "expected stack event, got 5");
  EXPECT_EQ(stacks(Bytes({0x03, 0x01})), "EOF");
  EXPECT_EQ(stacks(Bytes({0x03, 0x01, 0x81, 0x01})), "invalid stack size 129, maximum is 128");
  EXPECT_EQ(stacks(Bytes({0x03, 0x04, 0x02, 0x40, 0x00, 0x00, 0x01})),
            "reading frame 2's PC for stack 4: EOF");
  EXPECT_EQ(stacks(Bytes({0x03, 0x04, 0x01, 0x40, 0x00, 0x00})),
            "reading frame 1's line for stack 4: EOF");
  EXPECT_EQ(stacks(Bytes({0x03, 0x04, 0x01, 0x40, 0x80})),
            "reading frame 1's funcID for stack 4: unexpected EOF");
  EXPECT_EQ(stacks(Bytes(
                {0x03, 0x02, 0x02, 0x10, 0, 0, 0, 0x20, 0, 0, 0, 0x03, 0x02, 0x01, 0x30, 0, 0, 0})),
            "multiple trace.stacks with the same ID: id=2, new=\t0x30\n, "
            "existing=\t0x10\n\t0x20\n");
  EXPECT_EQ(stacks(Bytes({0x03, 0x00, 0x00})),
            "multiple trace.stacks with the same ID: id=0, new=, existing=");
}

TEST(ReadWireErrorTest, CPUSamples) {
  const std::string h = Header() + FreqBatch(1);
  EXPECT_EQ(ReadError(h + RawBatch(1, kNoThread, 0, Bytes({0x06, 0x08}))),
            "expected CPU sample event, got 8");
  EXPECT_EQ(ReadError(h + RawBatch(1, kNoThread, 0, Bytes({0x06, 0x07, 1, 2, 3}))), "EOF");
}

TEST(ReadWireErrorTest, Events) {
  const std::string h = Header() + FreqBatch(1);
  auto events = [&](std::string payload) { return ReadError(h + RawBatch(1, 1, 10, payload)); };
  EXPECT_EQ(events(Bytes({0x0b, 0x00})), "<ok>");  // ProcStop
  EXPECT_EQ(events(Bytes({0x0b, 0x00, 0x2d, 0x00})), "found invalid event type: 45");
  EXPECT_EQ(events(Bytes({0x0b, 0x00, 0xff})), "found invalid event type: 255");
  EXPECT_EQ(events(Bytes({0x0b, 0x00, 0x01, 0x00})), "found event without a timestamp: type=1");
  EXPECT_EQ(events(Bytes({0x00})), "found event without a timestamp: type=0");
  EXPECT_EQ(events(Bytes({0x0b})), "found invalid uvarint for timestamp");
  EXPECT_EQ(events(Bytes({0x0b, 0x80})), "found invalid uvarint for timestamp");
  EXPECT_EQ(events(Bytes({0x10, 0x00, 0x01})), "found invalid uvarint");
  EXPECT_EQ(events(Bytes({0x10, 0x00}) + std::string(10, '\xff') + "\x01"),
            "found invalid uvarint");
  // A table byte first makes it a table batch, not an event batch.
  EXPECT_EQ(events(Bytes({0x04, 0x07})), "expected string event, got 7");
}

TEST(ReadWireErrorTest, OrderOfChecksFollowsGo) {
  const std::string h = Header();
  // Event decoding waits for the generation's table checks...
  EXPECT_EQ(ReadError(h + RawBatch(1, 1, 0, Bytes({0x2d, 0}))), "no frequency event found");
  // ...which wait for all of the generation's batches to be read...
  EXPECT_EQ(ReadError(h + RawBatch(1, 1, 0, Bytes({0x2d, 0})) + Bytes({0x07})),
            "expected batch event (EventBatch), got CPUSample");
  // ...but not for the next generation's first batch's contents.
  EXPECT_EQ(ReadError(h + FreqBatch(1) + RawBatch(1, 1, 0, Bytes({0x2d, 0})) +
                      RawBatch(2, kNoThread, 0, Bytes({0x04, 0x09}))),
            "found invalid event type: 45");
  EXPECT_EQ(
      ReadError(h + FreqBatch(1) + EvBatch(1) + RawBatch(2, kNoThread, 0, Bytes({0x04, 0x09}))),
      "expected string event, got 9");
}

// --- Robustness: ReadWire is total, and what it accepts it re-encodes
// faithfully (CheckReencodes). Fixed seeds keep the test deterministic.

TEST(ReadWireRobustnessTest, RandomBytes) {
  std::mt19937_64 rng(0x5eed);
  std::string buf;
  for (int iter = 0; iter < 20000; ++iter) {
    buf.clear();
    if (iter % 2 == 0) buf = Header();
    if (iter % 4 == 0) buf.push_back('\x01');  // get past the batch byte
    const size_t n = rng() % 64;
    for (size_t i = 0; i < n; ++i) buf.push_back(static_cast<char>(rng()));
    CheckReencodes(buf);
  }
}

TEST(ReadWireRobustnessTest, MutatedValidTraces) {
  std::mt19937_64 rng(70883);
  const std::string seeds[] = {WriteWire(ValidTwoGenTrace()), WriteWire(Go70883Trace())};
  int accepted = 0;
  for (int iter = 0; iter < 30000; ++iter) {
    std::string s = seeds[iter % 2];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !s.empty(); ++e) {
      const size_t at = rng() % s.size();
      switch (rng() % 5) {
        case 0:  // flip bits
          s[at] = static_cast<char>(s[at] ^ (1 << (rng() % 8)));
          break;
        case 1:  // random byte
          s[at] = static_cast<char>(rng());
          break;
        case 2:  // truncate
          s.resize(at);
          break;
        case 3:  // insert
          s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), static_cast<char>(rng()));
          break;
        case 4:  // erase a few bytes
          s.erase(at, 1 + rng() % 4);
          break;
      }
    }
    Trace t;
    accepted += ReadWire(s, &t).ok();
    CheckReencodes(s);
  }
  // Many mutants only change an argument or a timestamp.
  EXPECT_GT(accepted, 1000);
}

// The same for the later formats: whatever go1.27's rules accept writes back
// and reads again unchanged (validator_fuzzer's property).
TEST(ReadWireRobustnessTest, MutatedValidTracesOfLaterVersions) {
  std::mt19937_64 rng(126);
  std::vector<std::string> seeds;
  for (Version v : {Version::kGo123, Version::kGo125, Version::kGo126}) {
    for (const Trace& base : {ValidTwoGenTrace(), Go70883Trace()}) {
      Trace t;
      Reframe(base, v, &t);
      seeds.push_back(WriteWire(t));
    }
  }
  int accepted = 0;
  for (int iter = 0; iter < 30000; ++iter) {
    std::string s = seeds[static_cast<size_t>(iter) % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && s.size() > 16; ++e) {
      const size_t at = 16 + rng() % (s.size() - 16);
      switch (rng() % 4) {
        case 0: s[at] = static_cast<char>(s[at] ^ (1 << (rng() % 8))); break;
        case 1: s[at] = static_cast<char>(rng() % 0x38); break;  // a structural byte
        case 2: s.resize(at); break;
        case 3:
          s.insert(s.begin() + static_cast<std::ptrdiff_t>(at), static_cast<char>(0x34));
          break;
      }
    }
    Trace t;
    accepted += ReadWire(s, &t).ok();
    CheckReencodes(s);
  }
  EXPECT_GT(accepted, 1000);
}

// --- DumpTrace.

TEST(DumpTraceTest, Go70883Trace) {
  const std::string want =
      "frequency gen=1 freq=1000000000\n"
      "batch gen=1 m=1\n"
      "gen 1 M1 ts=100 ProcStatus p=0 pstatus=Running\n"
      "gen 1 M1 ts=101 GoStatus g=1 m=1 gstatus=Running\n"
      "gen 1 M1 ts=102 GoStatus g=7 m=none gstatus=Waiting\n"
      "gen 1 M1 ts=103 GoUnblock g=7 g_seq=1 stack=0\n"
      "frequency gen=2 freq=1000000000\n"
      "batch gen=2 m=1\n"
      "gen 2 M1 ts=200 ProcStatus p=0 pstatus=Running\n"
      "gen 2 M1 ts=201 GoStatus g=1 m=1 gstatus=Running\n"
      "batch gen=2 m=none (M-less)\n"
      "gen 2 M- ts=202 GoStatus g=7 m=none gstatus=Waiting\n";
  EXPECT_EQ(DumpTrace(Go70883Trace()), want);
}

TEST(DumpTraceTest, StringsStacksAndOddValues) {
  Builder b;
  b.Freq(3)
      .Stacks(3)
      .Strings(3, {{1, "chan receive"}, {2, "quote\"\n"}})
      .Events(3, 2,
              {Ev(EvType::kGoBlock, 9, {1, 0}), Ev(EvType::kGoStop, 10, {2, 5}),
               Ev(EvType::kGoLabel, 11, {3}),
               Ev(EvType::kProcStatus, 12, {1, St(PS::kSyscallAbandoned)}),
               Ev(EvType::kGoStatus, 13, {4, 2, 9}), Ev(EvType::kFrequency, 14, {1, 2, 3, 4})});
  const std::string want =
      "frequency gen=3 freq=1000000000\n"
      "stacks gen=3\n"
      "strings gen=3 [1]=\"chan receive\" [2]=\"quote\\\"\\n\"\n"
      "batch gen=3 m=2\n"
      "gen 3 M2 ts=9 GoBlock reason_string=1(\"chan receive\") stack=0\n"
      "gen 3 M2 ts=10 GoStop reason_string=2(\"quote\\\"\\n\") stack=5\n"
      "gen 3 M2 ts=11 GoLabel label_string=3\n"
      "gen 3 M2 ts=12 ProcStatus p=1 pstatus=SyscallAbandoned\n"
      "gen 3 M2 ts=13 GoStatus g=4 m=2 gstatus=Bad(9)\n"
      "gen 3 M2 ts=14 Frequency arg0=1 arg1=2 arg2=3 arg3=4\n";
  EXPECT_EQ(DumpTrace(b.trace()), want);
}

// --- The traces repro/gocheck feeds to Go's parser.
//
// They are generated here so the bytes always match WriteWire; run with
// SCHEDFUZZ_WRITE_TESTDATA=<dir> to (re)write them, then check them with
// gocheck (see repro/gocheck/README.md).

std::string ReadFile(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return "<missing " + path + ">";
  return std::string(std::istreambuf_iterator<char>(f), {});
}

TEST(GocheckTestdataTest, CommittedFilesMatchWriteWire) {
  const std::pair<const char*, Trace> kFiles[] = {
      {"valid_2gen.trace", ValidTwoGenTrace()},
      {"go70883.trace", Go70883Trace()},
  };
  const char* out_dir = std::getenv("SCHEDFUZZ_WRITE_TESTDATA");
  for (const auto& [name, trace] : kFiles) {
    const std::string bytes = WriteWire(trace);
    if (out_dir != nullptr && *out_dir != '\0') {
      std::ofstream f(std::string(out_dir) + "/" + name, std::ios::binary);
      f << bytes;
      ASSERT_TRUE(f.good()) << name;
    }
    EXPECT_EQ(Hex(ReadFile(std::string(SF_GOCHECK_TESTDATA) + "/" + name)), Hex(bytes))
        << name << " is stale: rerun with SCHEDFUZZ_WRITE_TESTDATA";
  }
}

}  // namespace
}  // namespace schedfuzz::tracefmt
