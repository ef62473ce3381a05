// The Go 1.23, 1.25 and 1.26 formats: headers, framing, sync batches and
// EndOfGeneration, read with go1.27's rules (internal/trace batch.go,
// generation.go), and re-framing (reframe.h).
#include <string>
#include <string_view>

#include "gtest/gtest.h"

#include "core/tracefmt/reframe.h"
#include "core/tracefmt/spec.h"
#include "core/tracefmt/wire.h"
#include "core/tracefmt/wire_testing.h"

namespace schedfuzz::tracefmt {
namespace {

constexpr uint64_t kFreq = 1000000000;

std::string Bytes(std::initializer_list<int> bs) {
  std::string s;
  for (int b : bs) s.push_back(static_cast<char>(b));
  return s;
}
std::string Header(Version v) {
  std::string s;
  AppendWireHeader(v, &s);
  return s;
}
using wiretest::RawBatch;
std::string FreqEntry() {
  std::string p(1, '\x08');
  AppendUvarint(&p, kFreq);
  return p;
}
std::string ClockEntry() { return Bytes({0x33, 0x00, 0x05, 0x06, 0x07}); }
// A Go 1.23 frequency batch, a Go 1.25+ sync batch.
std::string FreqBatch(uint64_t gen) { return RawBatch(gen, kNoThread, 0, FreqEntry()); }
std::string SyncBatch(uint64_t gen, std::string_view entries) {
  return RawBatch(gen, kNoThread, 10, std::string(1, '\x32') + std::string(entries));
}
std::string FullSync(uint64_t gen) { return SyncBatch(gen, FreqEntry() + ClockEntry()); }
std::string EvBatch(uint64_t gen) { return RawBatch(gen, 1, 0, Bytes({0x0b, 0x00})); }
const std::string kEOG = Bytes({0x34});

std::string ReadError(std::string_view bytes) {
  Trace t;
  const absl::Status st = ReadWire(bytes, &t);
  return st.ok() ? "<ok>" : std::string(st.message());
}

// A small valid Go 1.22 trace: two generations, one goroutine running on M1.
Trace TwoGens() {
  Trace t;
  for (uint64_t gen : {1, 2}) {
    Batch& f = t.Append();
    f.kind = BatchKind::kFrequency;
    f.gen = gen;
    f.freq = kFreq;
    Batch& s = t.Append();
    s.kind = BatchKind::kStrings;
    s.gen = gen;
    s.strings = {{1, "chan receive"}};
    Batch& e = t.Append();
    e.gen = gen;
    e.m = 1;
    const uint64_t t0 = gen * 100;
    e.events = {{EvType::kProcStatus, t0, {0, 1}},
                {EvType::kGoStatus, t0 + 1, {1, 1, 2}},
                {EvType::kGoSwitch, t0 + 2, {7, 1}},
                {EvType::kGoStatusStack, t0 + 3, {2, 1, 4, 0}}};
  }
  return t;
}

TEST(VersionTest, SpecsAreSlicedWhereGoSlicesThem) {
  EXPECT_EQ(NumSpecs(Version::kGo122), 45u);
  EXPECT_EQ(NumSpecs(Version::kGo123), 50u);
  EXPECT_EQ(NumSpecs(Version::kGo125), 52u);
  EXPECT_EQ(NumSpecs(Version::kGo126), 137u);
  EXPECT_FALSE(IsKnown(EvType::kGoSwitch));
  EXPECT_TRUE(IsKnown(EvType::kGoSwitch, Version::kGo123));
  EXPECT_FALSE(IsKnown(EvType::kSync, Version::kGo123));
  EXPECT_TRUE(IsKnown(EvType::kClockSnapshot, Version::kGo125));
  EXPECT_FALSE(IsKnown(EvType::kEndOfGeneration, Version::kGo125));
  EXPECT_TRUE(IsKnown(EvType::kGoroutineStackFree, Version::kGo126));
  EXPECT_EQ(EvArgCount(EvType::kGoStatusStack, Version::kGo123), 4);
  EXPECT_EQ(EvArgCount(EvType::kGoStatusStack), -1);  // not a Go 1.22 type
  EXPECT_EQ(EvArgCount(EvType::kSync, Version::kGo126), -1);
  EXPECT_EQ(EvName(EvType::kGoSwitch), "EvType(45)");
  EXPECT_EQ(EvName(EvType::kGoSwitch, Version::kGo126), "GoSwitch");
  EXPECT_EQ(EvName(EvType{60}, Version::kGo126), "EvType(60)");
  EXPECT_EQ(ProcStatusName(ProcStatus::kSyscallAbandoned), "Bad");
  EXPECT_EQ(ProcStatusName(ProcStatus::kSyscallAbandoned, Version::kGo126), "SyscallAbandoned");
  Version v;
  EXPECT_TRUE(ParseVersionFlag("go126", &v));
  EXPECT_EQ(v, Version::kGo126);
  EXPECT_FALSE(ParseVersionFlag("go124", &v));
}

TEST(VersionWireTest, Headers) {
  EXPECT_EQ(Header(Version::kGo126), std::string("go 1.26 trace\0\0\0", 16));
  EXPECT_EQ(ReadError(std::string("go 1.24 trace\0\0\0", 16)),
            "unknown or unsupported trace version go 1.24");
  EXPECT_EQ(ReadError(Header(Version::kGo123)), "no frequency event found");
  EXPECT_EQ(ReadError(Header(Version::kGo125)), "no frequency event found");
  // Go 1.26: no generation at all is a complete trace.
  EXPECT_EQ(ReadError(Header(Version::kGo126)), "<ok>");
}

TEST(VersionWireTest, RoundTripsEveryVersion) {
  const Trace base = TwoGens();
  for (Version v : {Version::kGo123, Version::kGo125, Version::kGo126}) {
    SCOPED_TRACE(VersionFlagName(v));
    Trace t, back;
    Reframe(base, v, &t);
    EXPECT_EQ(t.version, v);
    const std::string bytes = WriteWire(t);
    ASSERT_EQ(ReadError(bytes), "<ok>");
    ASSERT_TRUE(ReadWire(bytes, &back).ok());
    EXPECT_EQ(back.version, v);
    ASSERT_EQ(back.size(), t.size());
    EXPECT_EQ(DumpTrace(back), DumpTrace(t));
    EXPECT_EQ(WriteWire(back), bytes);
  }
  Trace t126;
  Reframe(base, Version::kGo126, &t126);
  ASSERT_EQ(t126.size(), 8u);  // sync, strings, events, EndOfGeneration per generation
  EXPECT_EQ(t126[0].kind, BatchKind::kSync);
  EXPECT_TRUE(t126[0].has_clock);
  EXPECT_EQ(t126[0].clock.ts, 100u);
  EXPECT_EQ(t126[3].kind, BatchKind::kEndOfGeneration);
  EXPECT_EQ(t126[7].kind, BatchKind::kEndOfGeneration);
}

TEST(VersionWireTest, SyncBatchesGo125) {
  const std::string h = Header(Version::kGo125);
  EXPECT_EQ(ReadError(h + FullSync(1) + EvBatch(1)), "<ok>");
  EXPECT_EQ(ReadError(h + SyncBatch(1, FreqEntry()) + EvBatch(1)), "no clock snapshot event found");
  EXPECT_EQ(ReadError(h + SyncBatch(1, ClockEntry()) + EvBatch(1)), "no frequency event found");
  // The two entries may come in separate sync batches, but each only once.
  EXPECT_EQ(ReadError(h + SyncBatch(1, ClockEntry()) + SyncBatch(1, FreqEntry())), "<ok>");
  EXPECT_EQ(ReadError(h + FullSync(1) + SyncBatch(1, FreqEntry())),
            "found multiple frequency events");
  EXPECT_EQ(ReadError(h + FullSync(1) + SyncBatch(1, ClockEntry())),
            "found multiple clock snapshot events");
  EXPECT_EQ(ReadError(h + SyncBatch(1, Bytes({0x09}))),
            "expected frequency or clock snapshot event, got 9");
  EXPECT_EQ(ReadError(h + SyncBatch(1, Bytes({0x33, 0x00, 0x01}))), "EOF");
  // A plain Frequency batch is no sync batch from Go 1.25 on: an event batch
  // whose first byte is no timed event.
  EXPECT_EQ(ReadError(h + FullSync(1) + FreqBatch(1)), "found event without a timestamp: type=8");
  // The ClockSnapshot's time is the batch time plus its delta.
  Trace t;
  ASSERT_TRUE(ReadWire(h + SyncBatch(1, FreqEntry() + Bytes({0x33, 0x04, 1, 2, 3})), &t).ok());
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t[0].clock, (ClockSnapshot{14, 1, 2, 3}));
}

TEST(VersionWireTest, FrequencyBatchesGo123) {
  const std::string h = Header(Version::kGo123);
  EXPECT_EQ(ReadError(h + FreqBatch(1) + EvBatch(1)), "<ok>");
  // go1.27 reads the whole batch: a second entry is a second frequency.
  EXPECT_EQ(ReadError(h + RawBatch(1, kNoThread, 0, FreqEntry() + FreqEntry())),
            "found multiple frequency events");
  EXPECT_EQ(ReadError(h + RawBatch(1, kNoThread, 0, FreqEntry() + ClockEntry())),
            "expected frequency or clock snapshot event, got 51");
  // A second frequency batch is refused before its value is read.
  EXPECT_EQ(ReadError(h + FreqBatch(1) + RawBatch(1, kNoThread, 0, Bytes({0x08}))),
            "found multiple frequency events");
  // A Sync batch is just an event batch before Go 1.25.
  EXPECT_EQ(ReadError(h + FreqBatch(1) + FullSync(1)), "found event without a timestamp: type=50");
}

TEST(VersionWireTest, FramingGo123And125) {
  for (Version v : {Version::kGo123, Version::kGo125}) {
    SCOPED_TRACE(VersionFlagName(v));
    const std::string h = Header(v);
    const std::string sync = v == Version::kGo123 ? FreqBatch(1) : FullSync(1);
    EXPECT_EQ(ReadError(h + Bytes({0x07})), "expected batch event, got event 7");
    // EndOfGeneration has generation 0 before Go 1.26.
    EXPECT_EQ(ReadError(h + sync + EvBatch(1) + kEOG), "invalid generation number 0");
    // A bad batch after a generation has started waits until that generation
    // has been read: its own errors come first.
    EXPECT_EQ(ReadError(h + sync + EvBatch(1) + Bytes({0x07})),
              "expected batch event, got event 7");
    EXPECT_EQ(ReadError(h + EvBatch(1) + Bytes({0x07})), "no frequency event found");
    // An experimental batch cut before its experiment byte is a clean end.
    EXPECT_EQ(ReadError(h + sync + EvBatch(1) + Bytes({0x31})), "<ok>");
    // An ordinary batch whose payload starts with EndOfGeneration.
    EXPECT_EQ(ReadError(h + sync + RawBatch(1, 1, 0, kEOG)),
              "internal error: unexpectedly processing EndOfGeneration; broken trace?");
    // Experimental batches are kept aside whatever their payload.
    Trace t;
    const std::string exp = Bytes({0x31, 0x01, 0x01, 0x02, 0x00, 0x02, 0x04, 0x05});
    ASSERT_TRUE(ReadWire(h + sync + exp + EvBatch(1), &t).ok());
    ASSERT_EQ(t.size(), 3u);
    EXPECT_EQ(t[1].kind, BatchKind::kExperimental);
    EXPECT_EQ(t[1].exp, 1);
    EXPECT_EQ(t[1].data, Bytes({0x04, 0x05}));
  }
}

TEST(VersionWireTest, EndOfGenerationGo126) {
  const std::string h = Header(Version::kGo126);
  EXPECT_EQ(ReadError(h + FullSync(1) + EvBatch(1) + kEOG), "<ok>");
  EXPECT_EQ(ReadError(h + FullSync(1) + EvBatch(1)),
            "incomplete generation found; trace likely truncated");
  // Tables alone after the last EndOfGeneration: Go stops there.
  EXPECT_EQ(ReadError(h + FullSync(1) + EvBatch(1) + kEOG + FullSync(2)), "<ok>");
  EXPECT_EQ(ReadError(h + FullSync(1) + EvBatch(2) + kEOG),
            "broken trace: missing end-of-generation event, or generations are interleaved");
  // Generation numbers need not follow each other.
  EXPECT_EQ(ReadError(h + FullSync(1) + EvBatch(1) + kEOG + FullSync(7) + EvBatch(7) + kEOG),
            "<ok>");
  EXPECT_EQ(ReadError(h + kEOG), "no frequency event found");
  EXPECT_EQ(ReadError(h + FullSync(1) + kEOG), "<ok>");
  EXPECT_EQ(ReadError(h + SyncBatch(1, FreqEntry()) + kEOG), "no clock snapshot event found");
  EXPECT_EQ(ReadError(h + FullSync(0) + kEOG), "invalid generation number 0");
  // An ordinary batch starting with EndOfGeneration ends the generation.
  EXPECT_EQ(ReadError(h + FullSync(1) + RawBatch(1, 1, 0, kEOG)), "<ok>");
  EXPECT_EQ(ReadError(h + Bytes({0x07})), "expected batch event, got event 7");
}

TEST(VersionWireTest, EventTypesGo123On) {
  const std::string h = Header(Version::kGo126) + FullSync(1);
  // go1.27 decodes every timed type of its table, whatever the version.
  EXPECT_EQ(ReadError(h + RawBatch(1, 1, 0, Bytes({0x33, 0x00, 1, 2, 3})) + kEOG), "<ok>");
  EXPECT_EQ(ReadError(h + RawBatch(1, 1, 0, Bytes({0x3c, 0x00})) + kEOG),
            "found event without a timestamp: type=60");
  EXPECT_EQ(ReadError(h + RawBatch(1, 1, 0, Bytes({0x89, 0x00})) + kEOG),
            "found invalid event type: 137");
  EXPECT_EQ(ReadError(h + RawBatch(1, 1, 0, Bytes({0x80, 0x00, 1, 2, 3})) + kEOG), "<ok>");
}

}  // namespace
}  // namespace schedfuzz::tracefmt
