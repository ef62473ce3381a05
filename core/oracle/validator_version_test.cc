// The validator on Go 1.23, 1.25 and 1.26 traces: what go1.27's
// internal/trace does differently from go1.22's (generation.go: sync batches,
// clock snapshots, EndOfGeneration; reader.go: empty generations; order.go:
// GoSwitch, GoSwitchDestroy, GoCreateBlocked, GoStatusStack, AllocFree
// events). Each trace is built as Go 1.22 and re-framed (tracefmt/reframe.h),
// then edited. The expected texts were confirmed by writing each trace in
// wire form (SF_WRITE_VERSION_TRACES=DIR writes them) and reading it with
// repro/gocheck126 (and repro/gocheck for the Go 1.22 ones). One text is
// go1.27.4's where the x/exp snapshot behind gocheck126 differs: its
// ProcStatus.String has no SyscallAbandoned and prints "Bad".
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>

#include "gtest/gtest.h"

#include "core/oracle/validator.h"
#include "core/tracefmt/reframe.h"
#include "core/tracefmt/trace.h"
#include "core/tracefmt/wire.h"

namespace schedfuzz::oracle {
namespace {

using tracefmt::Batch;
using tracefmt::BatchKind;
using tracefmt::Event;
using tracefmt::EvType;
using tracefmt::kNoThread;
using tracefmt::Trace;
using tracefmt::Version;

constexpr uint64_t kGoRunning = 2, kGoSyscall = 3, kGoWaiting = 4;
constexpr uint64_t kProcRunning = 1, kProcIdle = 2, kProcAbandoned = 4;

// A Go 1.22 trace under construction: Gen starts a generation with its
// Frequency batch, Batch an M's event batch; events get timestamps 1, 2, ...
class G {
 public:
  G& Gen(uint64_t gen) {
    gen_ = gen;
    tracefmt::Batch& b = t_.Append();
    b.kind = BatchKind::kFrequency;
    b.gen = gen;
    b.freq = 1'000'000'000;
    return *this;
  }
  G& Batch(uint64_t m) {
    tracefmt::Batch& b = t_.Append();
    b.gen = gen_;
    b.m = m;
    cur_ = t_.size() - 1;
    return *this;
  }
  G& Ev(EvType type, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0) {
    t_[cur_].events.push_back(Event{type, ++ts_, {a0, a1, a2, a3}});
    return *this;
  }
  G& Running(uint64_t m, uint64_t p, uint64_t g) {
    return Ev(EvType::kProcStatus, p, kProcRunning).Ev(EvType::kGoStatus, g, m, kGoRunning);
  }
  // The trace in format v.
  Trace In(Version v) const {
    Trace out;
    tracefmt::Reframe(t_, v, &out);
    return out;
  }

 private:
  Trace t_;
  uint64_t gen_ = 1;
  size_t cur_ = 0;
  uint64_t ts_ = 0;
};

ValidationResult Check(const Trace& t, const char* name) {
  if (const char* dir = std::getenv("SF_WRITE_VERSION_TRACES")) {
    std::ofstream(std::string(dir) + "/" + name + ".trace", std::ios::binary)
        << tracefmt::WriteWire(t);
  }
  return ValidateTrace(t);
}

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

void ExpectErr(const Trace& t, const char* name, const std::string& want) {
  const ValidationResult r = Check(t, name);
  EXPECT_FALSE(r.ok) << name;
  EXPECT_EQ(FirstLine(r.error), want) << name << "\n" << tracefmt::DumpTrace(t);
}

// Go's event count (gocheck's "ok N events"): go1.27 returns a Sync before
// each generation and one at the end.
uint64_t GoEvents(const ValidationResult& r) { return r.events_ordered + r.generations + 1; }

// M1 runs P0 and goroutine 1; goroutine 2 waits.
G TwoGoroutines() {
  G g;
  g.Gen(1).Batch(1).Running(1, 0, 1).Ev(EvType::kGoStatus, 2, kNoThread, kGoWaiting);
  return g;
}

TEST(ValidatorVersions, EveryFormatAcceptsTheSameStory) {
  G g = TwoGoroutines();
  g.Ev(EvType::kGoUnblock, 2, 1).Ev(EvType::kGoStop).Ev(EvType::kGoStart, 2, 2);
  for (Version v : {Version::kGo122, Version::kGo123, Version::kGo125, Version::kGo126}) {
    const ValidationResult r = Check(g.In(v), "story");
    EXPECT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.events_ordered, 6u);
    EXPECT_EQ(r.generations, 1u);
  }
}

TEST(ValidatorVersions, GoSwitchHandsTheMToAWaitingGoroutine) {
  G g = TwoGoroutines();
  g.Ev(EvType::kGoSwitch, 2, 1).Ev(EvType::kGoSwitchDestroy, 1, 1).Ev(EvType::kGoDestroy);
  const ValidationResult r = Check(g.In(Version::kGo126), "goswitch_ok");
  EXPECT_TRUE(r.ok) << r.error;
  // Each switch comes back as three events (the switch, the switching
  // goroutine's GoBlock or GoDestroy, the other's GoStart).
  EXPECT_EQ(r.events_ordered, 3u + 3 + 3 + 1);
  EXPECT_EQ(GoEvents(r), 12u);
}

TEST(ValidatorVersions, GoSwitchWaitsForItsTarget) {
  G g = TwoGoroutines();
  g.Ev(EvType::kGoSwitch, 2, 2);  // seq 2 before seq 1
  ExpectErr(g.In(Version::kGo126), "goswitch_seq", "broken trace: failed to advance: frontier:");
}

TEST(ValidatorVersions, GoSwitchNeedsARunningGoroutine) {
  G g = TwoGoroutines();
  g.Ev(EvType::kGoSyscallBegin, 1).Ev(EvType::kGoSwitch, 2, 1);
  ExpectErr(g.In(Version::kGo125), "goswitch_syscall",
            "GoSwitch event for goroutine that's not Running");
}

TEST(ValidatorVersions, GoCreateBlockedMakesAWaitingGoroutine) {
  G ok;
  ok.Gen(1).Batch(1).Running(1, 0, 1).Ev(EvType::kGoCreateBlocked, 5).Ev(EvType::kGoUnblock, 5, 1);
  const ValidationResult r = Check(ok.In(Version::kGo123), "createblocked_ok");
  EXPECT_TRUE(r.ok) << r.error;
  G bad;
  bad.Gen(1).Batch(1).Running(1, 0, 1).Ev(EvType::kGoCreateBlocked, 5).Ev(EvType::kGoStop);
  bad.Batch(2).Ev(EvType::kProcStatus, 1, kProcRunning).Ev(EvType::kGoStart, 5, 1);
  ExpectErr(bad.In(Version::kGo123), "createblocked_start",
            "broken trace: failed to advance: frontier:");
}

TEST(ValidatorVersions, GoStatusStackIsAGoStatusWithAStack) {
  G g;
  g.Gen(1)
      .Batch(1)
      .Ev(EvType::kProcStatus, 0, kProcRunning)
      .Ev(EvType::kGoStatusStack, 1, 1, kGoRunning, 0)
      .Ev(EvType::kGoStatusStack, 1, 1, kGoWaiting, 0);
  ExpectErr(g.In(Version::kGo126), "statusstack_inconsistent",
            "inconsistent status for goroutine 1: old Running vs. new Waiting");
  G s;
  s.Gen(1).Batch(1).Ev(EvType::kGoStatusStack, 3, kNoThread, kGoWaiting, 9);
  ExpectErr(s.In(Version::kGo126), "statusstack_badstack",
            "found invalid stack ID 9 for event GoStatusStack");
}

TEST(ValidatorVersions, ClockSnapshotInAnEventBatchHasNoHandler) {
  G g;
  g.Gen(1).Batch(1).Ev(EvType::kClockSnapshot, 1, 2, 3);
  ExpectErr(g.In(Version::kGo126), "clock_in_batch", "bad event type found while ordering: 51");
}

TEST(ValidatorVersions, AllocFreeEventsNeedAThread) {
  G ok;
  ok.Gen(1).Batch(1).Ev(EvType::kSpan, 1, 2, 3).Ev(EvType::kGoroutineStackFree, 4);
  EXPECT_TRUE(Check(ok.In(Version::kGo126), "allocfree_ok").ok);
  G bad;
  bad.Gen(1).Batch(kNoThread).Ev(EvType::kHeapObjectAlloc, 1, 2);
  ExpectErr(bad.In(Version::kGo126), "allocfree_nothread", "expected a thread but didn't have one");
  // Past Go 1.26's table there are no types at all.
  G unnamed;
  unnamed.Gen(1).Batch(1).Ev(EvType{60});
  ExpectErr(unnamed.In(Version::kGo126), "unnamed_type",
            "found event without a timestamp: type=60");
  // Go 1.22 knows none of the newer types.
  G old;
  old.Gen(1).Batch(1).Ev(EvType::kGoSwitch, 2, 1);
  ExpectErr(old.In(Version::kGo122), "goswitch_go122", "found invalid event type: 45");
}

TEST(ValidatorVersions, SyscallAbandonedHasANameFromGo123On) {
  G g;
  g.Gen(1)
      .Batch(1)
      .Ev(EvType::kProcStatus, 0, kProcIdle)
      .Ev(EvType::kProcStatus, 0, kProcAbandoned);
  ExpectErr(g.In(Version::kGo123), "abandoned_name",
            "inconsistent status for proc 0: old Idle vs. new SyscallAbandoned");
  ExpectErr(g.In(Version::kGo122), "abandoned_name_go122",
            "inconsistent status for proc 0: old Idle vs. new Bad");
}

TEST(ValidatorVersions, EmptyGenerationsAreFineAfterGo122) {
  G g;
  g.Gen(1).Batch(1).Running(1, 0, 1).Gen(2);
  ExpectErr(g.In(Version::kGo122), "empty_gen_go122", "broken trace: frontier is empty:");
  for (Version v : {Version::kGo123, Version::kGo125, Version::kGo126}) {
    const ValidationResult r = Check(g.In(v), "empty_gen");
    EXPECT_TRUE(r.ok) << r.error;
    EXPECT_EQ(r.generations, 2u);
    EXPECT_EQ(GoEvents(r), 5u);
  }
}

TEST(ValidatorVersions, ClockSnapshotsFromGo125) {
  const G g = TwoGoroutines();
  Trace t = g.In(Version::kGo125);
  ASSERT_EQ(t[0].kind, BatchKind::kSync);
  t[0].has_clock = false;
  ExpectErr(t, "noclock", "no clock snapshot event found");
  t[0].has_clock = true;
  t[0].has_freq = false;
  ExpectErr(t, "nofreq", "no frequency event found");
  // A second sync batch may hold what the first lacks, but nothing twice.
  Trace two = g.In(Version::kGo125);
  two[0].has_freq = false;
  Batch& f = two.Append();
  f = two[0];
  f.has_freq = true;
  f.has_clock = false;
  EXPECT_TRUE(Check(two, "split_sync").ok);
  two[0].has_freq = true;
  ExpectErr(two, "double_freq", "found multiple frequency events");
  Trace clocks = g.In(Version::kGo126);
  Batch& c = clocks.Append();
  c = clocks[0];
  c.has_freq = false;
  std::swap(clocks[clocks.size() - 1], clocks[clocks.size() - 2]);  // before EndOfGeneration
  ExpectErr(clocks, "double_clock", "found multiple clock snapshot events");
}

TEST(ValidatorVersions, FramingOfOtherVersionsIsNoFraming) {
  const G g = TwoGoroutines();
  // A Frequency batch is an event batch from Go 1.25 on, a Sync batch one
  // before; neither decodes.
  Trace freq = g.In(Version::kGo125);
  Batch& f = freq.Append();
  f.kind = BatchKind::kFrequency;
  f.gen = 1;
  f.freq = 1'000'000'000;
  ExpectErr(freq, "freq_go125", "found event without a timestamp: type=8");
  Trace sync = g.In(Version::kGo125);
  Batch& f2 = sync.Append();  // the frequency, as Go 1.22 and 1.23 write it
  f2.kind = BatchKind::kFrequency;
  f2.gen = 1;
  f2.freq = 1'000'000'000;
  sync.version = Version::kGo123;
  ExpectErr(sync, "sync_go123", "found event without a timestamp: type=50");
  sync.version = Version::kGo122;
  ExpectErr(sync, "sync_go122", "found invalid event type: 50");
  // EndOfGeneration: no batch header to go1.22; generation 0 to go1.27 before 1.26.
  Trace eog = g.In(Version::kGo126);
  eog.version = Version::kGo122;
  eog[0].kind = BatchKind::kFrequency;
  ExpectErr(eog, "eog_go122", "expected batch event (EventBatch), got Invalid(52)");
  eog.version = Version::kGo123;
  ExpectErr(eog, "eog_go123", "invalid generation number 0");
}

TEST(ValidatorVersions, EndOfGenerationGo126) {
  G g = TwoGoroutines();
  g.Gen(2)
      .Batch(1)
      .Ev(EvType::kProcStatus, 0, kProcRunning)
      .Ev(EvType::kGoStatus, 1, 1, kGoRunning);
  const Trace t = g.In(Version::kGo126);
  const ValidationResult r = Check(t, "eog_ok");
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.generations, 2u);
  // The last EndOfGeneration missing: the trace was cut.
  Trace cut = t;
  cut.used--;
  ExpectErr(cut, "eog_cut", "incomplete generation found; trace likely truncated");
  // Without the first, generations 1 and 2 run into each other.
  Trace merged = t;
  for (size_t i = 0; i < merged.size(); ++i) {
    if (merged[i].kind == BatchKind::kEndOfGeneration) {
      for (size_t j = i; j + 1 < merged.size(); ++j) std::swap(merged[j], merged[j + 1]);
      merged.used--;
      break;
    }
  }
  ExpectErr(merged, "eog_merged",
            "broken trace: missing end-of-generation event, or generations are interleaved");
  // Tables alone after the last EndOfGeneration are dropped; a generation
  // number need not follow the last one.
  Trace tail = t;
  Batch& s = tail.Append();
  s = tail[0];
  s.gen = 9;
  EXPECT_TRUE(Check(tail, "eog_tail").ok);
  Trace jump = t;
  for (size_t i = 0; i < jump.size(); ++i)
    if (jump[i].gen == 2) jump[i].gen = 7;
  EXPECT_TRUE(Check(jump, "eog_jump").ok);
}

}  // namespace
}  // namespace schedfuzz::oracle
