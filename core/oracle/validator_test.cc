// Tests for the Go 1.22 trace validator, as small stories in the spirit of
// Go's internal/trace/v2/testdata/generators: each test builds one trace by
// hand and states the outcome, with Go's exact error text when it fails.
// Stories named after a Go generator (go122-...) are ports of that generator
// (go1.22.4) with the same batches, events and timestamps. The expected texts
// were confirmed by feeding each trace, in wire form, to go1.22.4's reader
// (except where a test says otherwise).
#include "core/oracle/validator.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

#include "core/tracefmt/event.h"
#include "core/tracefmt/trace.h"

// Counts heap allocations, to check that a warm Validator does not allocate.
// Every non-aligned form is replaced so that news and deletes stay paired
// (ASan checks that).
namespace {
std::atomic<int64_t> g_allocations{0};
void* CountedAlloc(size_t n) noexcept {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(n == 0 ? 1 : n);
}
}  // namespace
void* operator new(size_t n) {
  if (void* p = CountedAlloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](size_t n) {
  if (void* p = CountedAlloc(n)) return p;
  throw std::bad_alloc();
}
void* operator new(size_t n, const std::nothrow_t&) noexcept { return CountedAlloc(n); }
void* operator new[](size_t n, const std::nothrow_t&) noexcept { return CountedAlloc(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace schedfuzz::oracle {
namespace {

using tracefmt::BatchKind;
using tracefmt::EvType;
using tracefmt::kNoThread;
using tracefmt::Trace;

// Statuses as raw numbers so tests can also write invalid ones.
constexpr uint64_t kGoRunnable = 1, kGoRunning = 2, kGoSyscall = 3, kGoWaiting = 4;
constexpr uint64_t kProcRunning = 1, kProcIdle = 2, kProcSyscall = 3, kProcAbandoned = 4;

// Builds a Trace the way Go's testgen does: Batch(gen, m, base) starts an
// event batch whose events get timestamps base+1, base+2, ... (testgen gives
// every event dt=1); At(ts) overrides the timestamp of the next event and the
// count continues from there. Gen(g) starts generation g with its Frequency
// batch.
class TB {
 public:
  TB& Gen(uint64_t gen) {
    gen_ = gen;
    return Freq(gen);
  }
  TB& Freq(uint64_t gen, uint64_t freq = 1'000'000'000) {
    auto& b = t_.Append();
    b.kind = BatchKind::kFrequency;
    b.gen = gen;
    b.freq = freq;
    return *this;
  }
  TB& Strings(std::vector<std::pair<uint64_t, std::string>> strs) {
    auto& b = t_.Append();
    b.kind = BatchKind::kStrings;
    b.gen = gen_;
    for (auto& [id, s] : strs) b.strings.push_back({id, s});
    return *this;
  }
  TB& Stacks(std::vector<tracefmt::StackEntry> stacks = {}) {
    auto& b = t_.Append();
    b.kind = BatchKind::kStacks;
    b.gen = gen_;
    b.stacks = std::move(stacks);
    return *this;
  }
  TB& Samples(std::vector<tracefmt::CPUSample> samples) {
    auto& b = t_.Append();
    b.kind = BatchKind::kCPUSamples;
    b.gen = gen_;
    b.samples = std::move(samples);
    return *this;
  }
  // A batch with an explicit gen (to write out-of-order generations).
  TB& BatchIn(uint64_t gen, uint64_t m, uint64_t base = 0) {
    auto& b = t_.Append();
    b.kind = BatchKind::kEvents;
    b.gen = gen;
    b.m = m;
    cur_ = t_.size() - 1;
    ts_ = base;
    return *this;
  }
  TB& Batch(uint64_t m, uint64_t base = 0) { return BatchIn(gen_, m, base); }
  TB& At(uint64_t ts) {
    ts_ = ts - 1;
    return *this;
  }
  TB& Ev(EvType type, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0) {
    tracefmt::Event e;
    e.type = type;
    e.ts = ++ts_;
    e.args[0] = a0;
    e.args[1] = a1;
    e.args[2] = a2;
    e.args[3] = a3;
    t_[cur_].events.push_back(e);
    return *this;
  }
  TB& Raw(uint8_t type) { return Ev(static_cast<EvType>(type)); }

  TB& ProcStatus(uint64_t p, uint64_t st) { return Ev(EvType::kProcStatus, p, st); }
  TB& ProcStart(uint64_t p, uint64_t seq) { return Ev(EvType::kProcStart, p, seq); }
  TB& ProcStop() { return Ev(EvType::kProcStop); }
  TB& ProcSteal(uint64_t p, uint64_t seq, uint64_t m) { return Ev(EvType::kProcSteal, p, seq, m); }
  TB& GoStatus(uint64_t g, uint64_t m, uint64_t st) { return Ev(EvType::kGoStatus, g, m, st); }
  TB& GoCreate(uint64_t g) { return Ev(EvType::kGoCreate, g); }
  TB& GoCreateSyscall(uint64_t g) { return Ev(EvType::kGoCreateSyscall, g); }
  TB& GoStart(uint64_t g, uint64_t seq) { return Ev(EvType::kGoStart, g, seq); }
  TB& GoDestroy() { return Ev(EvType::kGoDestroy); }
  TB& GoDestroySyscall() { return Ev(EvType::kGoDestroySyscall); }
  TB& GoStop(uint64_t reason = 0) { return Ev(EvType::kGoStop, reason); }
  TB& GoBlock(uint64_t reason = 0, uint64_t stack = 0) {
    return Ev(EvType::kGoBlock, reason, stack);
  }
  TB& GoUnblock(uint64_t g, uint64_t seq) { return Ev(EvType::kGoUnblock, g, seq); }
  TB& SyscallBegin(uint64_t pseq) { return Ev(EvType::kGoSyscallBegin, pseq); }
  TB& SyscallEnd() { return Ev(EvType::kGoSyscallEnd); }
  TB& SyscallEndBlocked() { return Ev(EvType::kGoSyscallEndBlocked); }

  // The usual opening of an M's batch: it runs P p and goroutine g.
  TB& Running(uint64_t m, uint64_t p, uint64_t g) {
    return ProcStatus(p, kProcRunning).GoStatus(g, m, kGoRunning);
  }

  const Trace& trace() const { return t_; }

 private:
  Trace t_;
  uint64_t gen_ = 1;
  size_t cur_ = 0;
  uint64_t ts_ = 0;
};

ValidationResult V(const TB& b) { return ValidateTrace(b.trace()); }

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

// Expects the trace to be accepted; prints the error otherwise.
void ExpectOk(const TB& b) {
  ValidationResult r = V(b);
  EXPECT_TRUE(r.ok) << r.error << "\n" << tracefmt::DumpTrace(b.trace());
  EXPECT_EQ(r.error, "");
}

// Expects Go's exact error text.
void ExpectErr(const TB& b, const std::string& want) {
  ValidationResult r = V(b);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, want) << tracefmt::DumpTrace(b.trace());
}

// ===================================================================
// Traces that must be accepted.

TEST(ValidatorAccepts, OneGoroutineLifecycle) {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).GoCreate(2).GoBlock().GoStart(2, 1).GoDestroy();
  ValidationResult r = V(b);
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.events_ordered, 6u);
}

TEST(ValidatorAccepts, InterleavedMsInOneGeneration) {
  // M2's batch comes first in the file; the reader merges by timestamp.
  TB b;
  b.Gen(1);
  b.Batch(2).At(4).ProcStatus(1, kProcRunning).GoStart(5, 1).GoBlock().At(9).GoStart(5, 3);
  b.Batch(1).At(1).Running(1, 0, 1).GoCreate(5).At(8).GoUnblock(5, 2);
  ValidationResult r = V(b);
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.events_ordered, 8u);
}

TEST(ValidatorAccepts, WrongTimestampsAcrossMsAreOnlyAHint) {
  // M2 starts g5 "before" M1 creates it. Not yet is not an error: the reader
  // takes M1's events first and then comes back to M2.
  TB b;
  b.Gen(1);
  b.Batch(2).At(1).ProcStatus(1, kProcRunning).GoStart(5, 1);
  b.Batch(1).At(10).Running(1, 0, 1).GoCreate(5);
  ExpectOk(b);
}

TEST(ValidatorAccepts, GoroutineCarriedAcrossGenerationsWithLazyGoStatus) {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).GoCreate(7).GoBlock().GoStart(7, 1).GoBlock();
  // Generation 2: g7's status comes from the M-less end-of-generation batch,
  // with a later timestamp than the GoUnblock that needs it; g1's late status
  // too. The GoUnblock (seq 1 of gen 2) has to wait for the GoStatus.
  b.Gen(2).Batch(1, 10).ProcStatus(0, kProcRunning).GoUnblock(7, 1).GoStart(7, 2).GoDestroy();
  b.Batch(kNoThread, 50).GoStatus(7, kNoThread, kGoWaiting).GoStatus(1, kNoThread, kGoWaiting);
  ValidationResult r = V(b);
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.events_ordered, 6u + 6u);
}

TEST(ValidatorAccepts, GenerationSwitchesKeepStateAndResetSequences) {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).GoCreate(2).GoStop().GoStart(2, 1).GoStop();
  b.Gen(2).Batch(1, 100).ProcStatus(0, kProcRunning).GoStatus(2, kNoThread, kGoRunnable);
  b.GoStart(2, 1).GoStop().GoStatus(1, kNoThread, kGoRunnable).GoStart(1, 1);
  b.Gen(3).Batch(1, 200).ProcStatus(0, kProcRunning).GoStatus(1, 1, kGoRunning).GoDestroy();
  ExpectOk(b);
}

TEST(ValidatorAccepts, StringsAndStacksBatches) {
  TB b;
  b.Gen(1).Strings({{1, "chan receive"}, {2, "sleep"}}).Stacks();
  b.Batch(1).Running(1, 0, 1).Ev(EvType::kGoLabel, 2).GoBlock(1);
  b.Batch(2).At(10).ProcStatus(1, kProcRunning).GoUnblock(1, 1).GoStart(1, 2).GoBlock(2);
  ExpectOk(b);
}

TEST(ValidatorAccepts, ProcStatusThenProcStartStop) {
  TB b;
  b.Gen(1).Batch(1).ProcStatus(0, kProcIdle).ProcStart(0, 1).GoStatus(1, 1, kGoRunning);
  b.GoStop().ProcStop().ProcStart(0, 2).GoStart(1, 1).GoBlock().ProcStop();
  b.Batch(2).At(20).ProcStatus(1, kProcIdle).ProcStart(1, 1).ProcStop();
  // A P's sequence restarts after its ProcStatus in the next generation.
  b.Gen(2).Batch(2, 100).ProcStatus(0, kProcIdle).ProcStart(0, 1).ProcStop();
  ExpectOk(b);
}

TEST(ValidatorAccepts, SyscallFastPathAndBlockedExit) {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).SyscallBegin(1).SyscallEnd();
  b.SyscallBegin(2).SyscallEndBlocked().ProcStatus(3, kProcIdle).ProcStart(3, 1);
  // M2 (a bare sysmon-like M) retakes P0 while g1 is in its second syscall;
  // the GoSyscallEndBlocked above waits for it.
  b.Batch(2).At(20).ProcSteal(0, 3, 1);
  ExpectOk(b);
}

TEST(ValidatorAccepts, CreateAndDestroyInSyscall) {
  // A cgo callback: the goroutine appears in a syscall on a P-less M.
  TB b;
  b.Gen(1).Batch(3).GoCreateSyscall(9).GoDestroySyscall();
  ExpectOk(b);
}

TEST(ValidatorAccepts, GCAndRanges) {
  TB b;
  b.Gen(1).Strings({{1, "stop-the-world (GC)"}});
  b.Batch(1).Running(1, 0, 1).Ev(EvType::kGCBegin, 1).Ev(EvType::kSTWBegin, 1).Ev(EvType::kSTWEnd);
  b.Ev(EvType::kGCSweepBegin).Ev(EvType::kGCSweepEnd, 10, 5).Ev(EvType::kGCMarkAssistBegin);
  b.Ev(EvType::kHeapAlloc, 4096).Ev(EvType::kHeapGoal, 8192).Ev(EvType::kProcsChange, 4);
  // The next generation re-announces the running GC and the assist.
  b.Gen(2).Batch(1, 100).Running(1, 0, 1).Ev(EvType::kGCActive, 2);
  b.Ev(EvType::kGCMarkAssistActive, 1).Ev(EvType::kGCMarkAssistEnd).Ev(EvType::kGCEnd, 3);
  ExpectOk(b);
}

TEST(ValidatorAccepts, TasksRegionsAndLogs) {
  TB b;
  b.Gen(1).Strings({{1, "task"}, {2, "region"}, {3, "key"}, {4, "value"}});
  b.Batch(1)
      .Running(1, 0, 1)
      .Ev(EvType::kUserTaskBegin, 7, 0, 1)
      .Ev(EvType::kUserRegionBegin, 7, 2);
  b.Ev(EvType::kUserLog, 7, 3, 4).Ev(EvType::kUserRegionEnd, 7, 2).Ev(EvType::kUserTaskEnd, 7);
  // A region end with no known begin (it began before tracing) is fine.
  b.Ev(EvType::kUserRegionEnd, 9, 2);
  ExpectOk(b);
}

TEST(ValidatorAccepts, GoStatusLowByteOnly) {
  // Go converts the status argument to uint8: 0x104 is Waiting (4).
  TB b;
  b.Gen(1).Batch(kNoThread).GoStatus(3, kNoThread, 0x104);
  b.Batch(1).At(5).Running(1, 0, 1).GoUnblock(3, 1);
  ExpectOk(b);
}

// --- Ports of Go's generator stories that expect SUCCESS.

TEST(ValidatorGoStories, ConfuseSeqAcrossGenerations) {
  TB b;
  b.Gen(1);
  b.Batch(0, 0).ProcStatus(0, kProcRunning).GoStatus(1, 0, kGoRunning).GoStop();
  b.Batch(1, 0).ProcStatus(1, kProcRunning).GoStart(1, 1).GoStop();
  b.Gen(2);
  b.Batch(1, 3).ProcStatus(1, kProcRunning).GoStart(1, 2);
  b.Batch(0, 5).ProcStatus(0, kProcRunning).GoStatus(1, 0, kGoRunnable).GoStart(1, 1).GoStop();
  ExpectOk(b);
}

TEST(ValidatorGoStories, CreateSyscallReuseThreadId) {
  TB b;
  b.Gen(1);
  b.Batch(0, 0).GoCreateSyscall(4).SyscallEndBlocked().ProcStatus(0, kProcIdle).ProcStart(0, 1);
  b.GoStatus(4, kNoThread, kGoRunnable).GoStart(4, 1).SyscallBegin(2).GoDestroySyscall();
  b.Batch(0, 0).ProcStatus(1, kProcIdle).ProcStart(1, 1).ProcSteal(0, 3, 0);
  ValidationResult r = V(b);
  EXPECT_TRUE(r.ok) << r.error;
  // 11 events, plus the ProcSteal Go synthesizes when GoDestroySyscall drops P0.
  EXPECT_EQ(r.events_ordered, 12u);
}

TEST(ValidatorGoStories, GoCreateWithoutRunningG) {
  TB b;
  b.Gen(1).Batch(0, 0).ProcStatus(0, kProcRunning).GoCreate(5).GoStart(5, 1).GoStop();
  ExpectOk(b);
}

TEST(ValidatorGoStories, SyscallStealProcSimple) {
  TB b;
  b.Gen(1);
  b.Batch(0, 0).Running(0, 0, 1).SyscallBegin(1).SyscallEndBlocked();
  b.Batch(1, 0).Running(1, 2, 2).ProcSteal(0, 2, 0);
  ExpectOk(b);
}

TEST(ValidatorGoStories, SyscallStealProcSimpleBareM) {
  TB b;
  b.Gen(1);
  b.Batch(0, 0).Running(0, 0, 1).SyscallBegin(1).SyscallEndBlocked();
  b.Batch(1, 0).ProcSteal(0, 2, 0);
  ExpectOk(b);
}

TEST(ValidatorGoStories, SyscallStealProcAmbiguous) {
  // Go disables timestamps here: every event is at time 0.
  TB b;
  b.Gen(1);
  b.Batch(0).At(0).ProcStatus(0, kProcRunning).At(0).GoStatus(1, 0, kGoRunning);
  b.At(0).SyscallBegin(1).At(0).SyscallEnd().At(0).SyscallBegin(2).At(0).SyscallEndBlocked();
  b.Batch(1).At(0).ProcStatus(2, kProcRunning).At(0).GoStatus(2, 1, kGoRunning);
  b.At(0).ProcSteal(0, 3, 0);
  ExpectOk(b);
}

TEST(ValidatorGoStories, SyscallStealProcSelf) {
  TB b;
  b.Gen(1).Batch(0).At(0).Running(0, 0, 1).At(0).SyscallBegin(1).At(0).ProcSteal(0, 2, 0);
  b.At(0).ProcStart(0, 3).At(0).SyscallEndBlocked();
  ExpectOk(b);
}

TEST(ValidatorGoStories, SyscallStealProcGenBoundary) {
  TB b;
  b.Gen(1);
  b.Batch(0, 0).ProcStatus(1, kProcRunning).GoStatus(1, 0, kGoSyscall).SyscallEndBlocked();
  b.Batch(1, 0).Running(1, 2, 2).ProcStatus(0, kProcAbandoned).ProcSteal(0, 1, 0);
  ExpectOk(b);
}

TEST(ValidatorGoStories, SyscallStealProcGenBoundaryBareM) {
  TB b;
  b.Gen(1);
  b.Batch(0, 0).ProcStatus(1, kProcRunning).GoStatus(1, 0, kGoSyscall).SyscallEndBlocked();
  b.Batch(1, 0).ProcStatus(0, kProcAbandoned).ProcSteal(0, 1, 0);
  ExpectOk(b);
}

TEST(ValidatorGoStories, SyscallStealProcGenBoundaryReacquireNewProc) {
  TB b;
  b.Gen(1);
  b.Batch(0, 0).GoStatus(1, 0, kGoSyscall).ProcStatus(1, kProcIdle).ProcStart(1, 1);
  b.SyscallEndBlocked();
  b.Batch(1, 0).Running(1, 2, 2).ProcStatus(0, kProcAbandoned).ProcSteal(0, 1, 0);
  ExpectOk(b);
}

TEST(ValidatorGoStories, SyscallStealProcGenBoundaryReacquireNewProcBareM) {
  TB b;
  b.Gen(1);
  b.Batch(0, 0).GoStatus(1, 0, kGoSyscall).ProcStatus(1, kProcIdle).ProcStart(1, 1);
  b.SyscallEndBlocked();
  b.Batch(1, 0).ProcStatus(0, kProcAbandoned).ProcSteal(0, 1, 0);
  ExpectOk(b);
}

TEST(ValidatorGoStories, SyscallStealProcReacquireNewProc) {
  TB b;
  b.Gen(1);
  b.Batch(0, 0).ProcStatus(1, kProcIdle).Running(0, 0, 1).SyscallBegin(1).ProcStart(1, 1);
  b.SyscallEndBlocked();
  b.Batch(1, 0).Running(1, 2, 2).ProcSteal(0, 2, 0);
  ExpectOk(b);
}

TEST(ValidatorGoStories, SyscallStealProcReacquireNewProcBareM) {
  TB b;
  b.Gen(1);
  b.Batch(0, 0).ProcStatus(1, kProcIdle).Running(0, 0, 1).SyscallBegin(1).ProcStart(1, 1);
  b.SyscallEndBlocked();
  b.Batch(1, 0).ProcSteal(0, 2, 0);
  ExpectOk(b);
}

TEST(ValidatorGoStories, SyscallStealProcSittingInSyscall) {
  TB b;
  b.Gen(1);
  b.Batch(0, 0).ProcStatus(0, kProcAbandoned).ProcSteal(0, 1, 1);
  b.Batch(kNoThread, 0).GoStatus(1, 1, kGoSyscall);
  ExpectOk(b);
}

TEST(ValidatorGoStories, TaskAcrossGenerations) {
  TB b;
  b.Gen(1).Strings({{1, "my task"}});
  b.Batch(0, 0).Running(0, 0, 1).Ev(EvType::kUserTaskBegin, 2, 0, 1);
  b.Gen(2).Batch(0, 5).Running(0, 0, 1).Ev(EvType::kUserTaskEnd, 2);
  ExpectOk(b);
}

// --- The Go story that expects FAILURE.

TEST(ValidatorGoStories, CreateSyscallWithP) {
  TB b;
  b.Gen(1).Batch(0, 0).GoCreateSyscall(4).ProcStatus(0, kProcIdle).ProcStart(0, 1);
  b.SyscallEndBlocked().GoStart(4, 1).SyscallBegin(2).GoDestroySyscall().GoCreateSyscall(4);
  b.SyscallEnd().SyscallBegin(3).GoDestroySyscall();
  ExpectErr(b, "expected a proc but didn't have one");
}

// ===================================================================
// Go issue 70883: pre-fix injectglist wrote GoUnblock(g7) in generation 1 but
// changed g7's status only after the tracer had snapshotted it as Waiting for
// generation 2's end-of-generation GoStatus.

TEST(ValidatorRejects, Go70883StaleWaitingStatusAfterUnblock) {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).GoStatus(7, kNoThread, kGoWaiting).GoUnblock(7, 1);
  b.GoStop();
  // Generation 2: nothing about g7 in any M's batch...
  b.Gen(2).Batch(1, 100).ProcStatus(0, kProcRunning).GoStatus(1, kNoThread, kGoRunnable);
  b.GoStart(1, 1).GoBlock();
  // ...and the late status pass writes what it snapshotted.
  b.Batch(kNoThread, 200).GoStatus(7, kNoThread, kGoWaiting);
  ValidationResult r = V(b);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.error, "inconsistent status for goroutine 7: old Runnable vs. new Waiting");
  EXPECT_EQ(r.gen, 2u);
  EXPECT_EQ(r.batch, 4u);  // Freq(1), M1 (gen 1), Freq(2), M1 (gen 2), M-less (gen 2)
  EXPECT_EQ(r.event, 0u);
  EXPECT_EQ(r.events_ordered, 5u + 4u);
}

TEST(ValidatorRejects, Go70883FixedOrderIsAccepted) {
  // With the fix, the GoUnblock and the status change are atomic: the late
  // status pass of generation 2 sees g7 Runnable.
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).GoStatus(7, kNoThread, kGoWaiting).GoUnblock(7, 1);
  b.GoStop();
  b.Gen(2).Batch(1, 100).ProcStatus(0, kProcRunning).GoStatus(1, kNoThread, kGoRunnable);
  b.GoStart(1, 1).GoBlock();
  b.Batch(kNoThread, 200).GoStatus(7, kNoThread, kGoRunnable);
  ExpectOk(b);
}

// ===================================================================
// Generation-level errors (generation.go, base.go).

TEST(ValidatorRejects, GenerationZero) {
  TB b;
  b.BatchIn(0, 1).ProcStatus(0, kProcRunning);
  ValidationResult r = V(b);
  EXPECT_EQ(r.error, "invalid generation number 0");
  EXPECT_EQ(r.batch, 0u);
  EXPECT_EQ(r.event, SIZE_MAX);
}

TEST(ValidatorRejects, GenerationSkipped) {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1);
  b.Freq(3);
  ValidationResult r = V(b);
  EXPECT_EQ(r.error, "generations out of order");
  EXPECT_EQ(r.gen, 1u);
  EXPECT_EQ(r.batch, 2u);
  // Go reads a whole generation before ordering any of it.
  EXPECT_EQ(r.events_ordered, 0u);
}

TEST(ValidatorRejects, GenerationGoesBackwards) {
  TB b;
  b.Gen(2).Batch(1).Running(1, 0, 1);
  b.BatchIn(1, 1).GoStop();
  ExpectErr(b, "generations out of order");
}

TEST(ValidatorRejects, GenerationBatchesInterleaved) {
  // The first batch of gen 2 ends gen 1; a later gen-1 batch is then out of
  // order while gen 2 is read (gen 1 is fully ordered first).
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1);
  b.Freq(2);
  b.BatchIn(1, 2).ProcStatus(1, kProcRunning);
  ValidationResult r = V(b);
  EXPECT_EQ(r.error, "generations out of order");
  EXPECT_EQ(r.gen, 2u);
  EXPECT_EQ(r.events_ordered, 2u);
}

TEST(ValidatorRejects, NoFrequency) {
  TB b;
  b.BatchIn(1, 1).Running(1, 0, 1);
  ExpectErr(b, "no frequency event found");
}

TEST(ValidatorRejects, EmptyTraceHasNoFrequency) {
  TB b;
  ExpectErr(b, "no frequency event found");
}

TEST(ValidatorRejects, MultipleFrequencies) {
  TB b;
  b.Gen(1).Freq(1).Batch(1).Running(1, 0, 1);
  ValidationResult r = V(b);
  EXPECT_EQ(r.error, "found multiple frequency events");
  EXPECT_EQ(r.batch, 1u);
}

TEST(ValidatorRejects, DuplicateStringId) {
  TB b;
  b.Gen(1).Strings({{1, "a"}}).Strings({{2, "c"}, {1, "b"}}).Batch(1).Running(1, 0, 1);
  ExpectErr(b, "multiple strings with the same ID: id=1, new=b, existing=a");
}

TEST(ValidatorRejects, StringIdZeroAlwaysExists) {
  TB b;
  b.Gen(1).Strings({{0, "x"}}).Batch(1).Running(1, 0, 1);
  ExpectErr(b, "multiple strings with the same ID: id=0, new=x, existing=");
}

TEST(ValidatorRejects, StringTooLong) {
  TB b;
  b.Gen(1).Strings({{1, std::string(1025, 'x')}}).Batch(1).Running(1, 0, 1);
  ExpectErr(b, "invalid string size 1025, maximum is 1024");
  TB ok;
  ok.Gen(1).Strings({{1, std::string(1024, 'x')}}).Batch(1).Running(1, 0, 1).GoBlock(1);
  ExpectOk(ok);
}

TEST(ValidatorRejects, EmptyGenerationHasEmptyFrontier) {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1);
  b.Gen(2).Batch(1);  // an event batch with no events
  ValidationResult r = V(b);
  EXPECT_EQ(FirstLine(r.error), "broken trace: frontier is empty:");
  EXPECT_EQ(r.gen, 2u);
  EXPECT_EQ(r.events_ordered, 2u);
}

// ===================================================================
// Event decoding (batchcursor.go) and table IDs (event.go).

TEST(ValidatorRejects, UnknownEventType) {
  TB b;
  b.Gen(1).Batch(1).ProcStatus(0, kProcRunning).Raw(200);
  ValidationResult r = V(b);
  EXPECT_EQ(r.error, "found invalid event type: 200");
  EXPECT_EQ(r.batch, 1u);
  EXPECT_EQ(r.event, 1u);
  // The ProcStatus advanced, but Go's reader returns it with the error.
  EXPECT_EQ(r.events_ordered, 0u);
}

TEST(ValidatorRejects, StructuralEventInEventBatch) {
  TB b;
  b.Gen(1).Batch(1).ProcStatus(0, kProcRunning).Raw(static_cast<uint8_t>(EvType::kFrequency));
  ExpectErr(b, "found event without a timestamp: type=8");
  TB none;
  none.Gen(1).Batch(1).ProcStatus(0, kProcRunning).Raw(0);
  ExpectErr(none, "found event without a timestamp: type=0");
  // Here the batch's kind says what it is. (On the wire Go decides by the
  // first byte, and would take this batch for a second Frequency batch.)
  TB first;
  first.Gen(1).Batch(1).Raw(static_cast<uint8_t>(EvType::kFrequency));
  ExpectErr(first, "found event without a timestamp: type=8");
}

TEST(ValidatorRejects, BadEventIsOnlySeenWhenItsMReachesIt) {
  // M2's second event is garbage, but M1 breaks the ordering first.
  TB b;
  b.Gen(1);
  b.Batch(2).At(10).ProcStatus(1, kProcRunning).Raw(99);
  b.Batch(1).At(1).Running(1, 0, 1).ProcStatus(0, kProcIdle);
  ExpectErr(b, "inconsistent status for proc 0: old Running vs. new Idle");
}

TEST(ValidatorAccepts, StackIdsOfTheGenerationsTable) {
  // Stack ids are per generation: 3 exists in gen 1 only.
  TB b;
  b.Gen(1).Strings({{1, "main"}, {2, "main.go"}}).Stacks({{3, {{0x40, 1, 2, 7}}}});
  b.Batch(1).Running(1, 0, 1).GoBlock(0, 3);
  ExpectOk(b);
  b.Gen(2).Batch(1).GoStatus(1, 1, kGoWaiting).Ev(EvType::kGoUnblock, 1, 1, 3);
  ExpectErr(b, "found invalid stack ID 3 for event GoUnblock");
}

TEST(ValidatorRejects, StackTableErrors) {
  TB dup;
  dup.Gen(1).Stacks({{3, {{0x40, 0, 0, 1}}}, {3, {{0x41, 0, 0, 1}}}});
  dup.Batch(1).Running(1, 0, 1);
  ExpectErr(dup, "multiple trace.stacks with the same ID: id=3, new=\t0x41\n, existing=\t0x40\n");
  TB names;
  names.Gen(1).Strings({{1, "f"}}).Stacks({{3, {{0x40, 1, 2, 1}}}});
  names.Batch(1).Running(1, 0, 1);
  ExpectErr(names, "found invalid file string ID 2 for stack 3");
  TB big;
  big.Gen(1).Stacks({{3, std::vector<tracefmt::StackFrame>(129)}});
  big.Batch(1).Running(1, 0, 1);
  ExpectErr(big, "invalid stack size 129, maximum is 128");
}

TEST(ValidatorAccepts, CPUSamplesCountAsEvents) {
  TB b;
  b.Gen(1).Samples({{5, 1, 0, 1, 0}, {6, 1, 0, 0, 0}});
  b.Batch(1).Running(1, 0, 1);
  const ValidationResult r = V(b);
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.events_ordered, 4u);
  EXPECT_EQ(r.generations, 1u);
  // A generation with samples but no events is not empty to Go.
  TB only;
  only.Gen(1).Samples({{5, 1, 0, 1, 0}});
  ExpectOk(only);
  TB none;
  none.Gen(1).Samples({});
  EXPECT_EQ(V(none).error.substr(0, 31), "broken trace: frontier is empty");
}

TEST(ValidatorRejects, InvalidStackId) {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).GoBlock(0, 3);
  ValidationResult r = V(b);
  EXPECT_EQ(r.error, "found invalid stack ID 3 for event GoBlock");
  EXPECT_EQ(r.event, 2u);
  EXPECT_EQ(r.events_ordered, 2u);
  // GoCreate checks its own stack (arg 3) before the new goroutine's (arg 2).
  TB c;
  c.Gen(1).Batch(1).Running(1, 0, 1).Ev(EvType::kGoCreate, 2, 5, 4);
  ExpectErr(c, "found invalid stack ID 4 for event GoCreate");
  TB d;
  d.Gen(1).Batch(1).Running(1, 0, 1).Ev(EvType::kGoCreate, 2, 5, 0);
  ExpectErr(d, "found invalid stack ID 5 for event GoCreate");
}

TEST(ValidatorRejects, InvalidStringId) {
  TB b;
  b.Gen(1).Strings({{1, "select"}}).Batch(1).Running(1, 0, 1).GoStop(1).GoStart(1, 1);
  b.GoBlock(9);
  ExpectErr(b, "found invalid string ID 9 for event GoBlock");
}

TEST(ValidatorRejects, StringIdsArePerGeneration) {
  TB b;
  b.Gen(1).Strings({{1, "select"}}).Batch(1).Running(1, 0, 1).GoBlock(1);
  b.Gen(2).Batch(1, 100).ProcStatus(0, kProcRunning).GoStatus(1, kNoThread, kGoWaiting);
  b.GoUnblock(1, 1).GoStart(1, 2).GoBlock(1);
  ValidationResult r = V(b);
  EXPECT_EQ(r.error, "found invalid string ID 1 for event GoBlock");
  EXPECT_EQ(r.gen, 2u);
}

TEST(ValidatorRejects, TableIdsAreCheckedAfterTheNextEventIsRead) {
  // Go refreshes the cursor before it checks the IDs of the taken event.
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).GoBlock(7).Raw(250);
  ExpectErr(b, "found invalid event type: 250");
}

// ===================================================================
// The frontier (reader.go).

TEST(ValidatorRejects, FailedToAdvance) {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).GoStart(5, 1);
  ValidationResult r = V(b);
  EXPECT_EQ(FirstLine(r.error), "broken trace: failed to advance: frontier:");
  EXPECT_EQ(r.error,
            "broken trace: failed to advance: frontier:\n"
            "[gen=1]\n"
            "\n"
            "M 1 [GoStart time=3 g=5 g_seq=1]\n"
            "\n"
            "G 1 [status=Running seq=0 (gen=1)]\n"
            "\n"
            "P 0 [status=Running seq=0 (gen=1)]\n"
            "\n"
            "M 1 [g=1 p=0]\n"
            "\n"
            "GC 0 Undetermined\n"
            "\n");
  EXPECT_EQ(r.batch, 1u);
  EXPECT_EQ(r.event, 2u);
  EXPECT_EQ(r.events_ordered, 2u);
}

TEST(ValidatorRejects, MissingGoStatusInLaterGenerationCannotAdvance) {
  // A carried-over goroutine keeps its old-generation sequence counter: its
  // first GoUnblock of generation 2 waits for a GoStatus that never comes.
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).GoBlock();
  b.Gen(2).Batch(2, 100).ProcStatus(1, kProcRunning).GoUnblock(1, 1);
  ValidationResult r = V(b);
  EXPECT_EQ(FirstLine(r.error), "broken trace: failed to advance: frontier:");
  EXPECT_EQ(r.gen, 2u);
}

// ===================================================================
// The ordering state machine (order.go): every error it can raise.

TEST(ValidatorRejects, InvalidGoStatus) {
  TB b;
  b.Gen(1).Batch(kNoThread).GoStatus(3, kNoThread, 5);
  ExpectErr(b, "invalid status for goroutine 3: 5");
}

TEST(ValidatorRejects, InvalidProcStatus) {
  TB b;
  b.Gen(1).Batch(1).ProcStatus(0, 7);
  ExpectErr(b, "invalid status for proc 0: 7");
}

TEST(ValidatorRejects, InconsistentProcStatus) {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).GoStop();
  b.Gen(2).Batch(1, 100).ProcStatus(0, kProcIdle);
  ExpectErr(b, "inconsistent status for proc 0: old Running vs. new Idle");
}

TEST(ValidatorRejects, InconsistentProcStatusPrintsAbandonedAsBad) {
  TB b;
  b.Gen(1).Batch(1).ProcStatus(2, kProcAbandoned).ProcStatus(2, kProcSyscall);
  ExpectErr(b, "inconsistent status for proc 2: old Bad vs. new Syscall");
}

TEST(ValidatorRejects, InconsistentGoStatusBad) {
  // Status 0 (Bad) is accepted in the first generation, and then sticks.
  TB b;
  b.Gen(1).Batch(kNoThread).GoStatus(3, kNoThread, 0).GoStatus(3, kNoThread, kGoWaiting);
  ExpectErr(b, "inconsistent status for goroutine 3: old Bad vs. new Waiting");
}

TEST(ValidatorRejects, InconsistentGoStatusAcrossGenerations) {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).GoCreate(4).GoBlock();
  b.Gen(2).Batch(kNoThread, 100).GoStatus(4, kNoThread, kGoWaiting);
  ExpectErr(b, "inconsistent status for goroutine 4: old Runnable vs. new Waiting");
}

TEST(ValidatorRejects, NewGoroutineStatusAfterFirstGeneration) {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1);
  b.Gen(2).Batch(kNoThread, 100).GoStatus(9, kNoThread, kGoWaiting);
  ExpectErr(b,
            "found goroutine status for new goroutine after the first generation: id=9 "
            "status=Waiting");
}

TEST(ValidatorRejects, SyscallStatusWithoutThread) {
  TB b;
  b.Gen(1).Batch(kNoThread).GoStatus(4, kNoThread, kGoSyscall);
  ExpectErr(b, "found goroutine 4 in syscall without a thread");
}

TEST(ValidatorRejects, SyscallStatusOnThreadRunningAnotherGoroutine) {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1);
  b.Batch(kNoThread, 10).GoStatus(4, 2, kGoSyscall);
  // Generation 2: M1 claims g4 is in a syscall on M1, but M1 runs g1.
  b.Gen(2).Batch(1, 100).GoStatus(4, 1, kGoSyscall);
  ExpectErr(b, "inconsistent thread for syscalling goroutine 4: thread has goroutine 1");
}

TEST(ValidatorRejects, SyscallStatusOnAnotherThreadHoldingAnotherGoroutine) {
  TB b;
  b.Gen(1).Batch(kNoThread).GoStatus(4, 2, kGoSyscall).GoStatus(5, 2, kGoSyscall);
  ExpectErr(b, "inconsistent thread for syscalling goroutine 5: thread has goroutine 4");
}

TEST(ValidatorRejects, AbandonedProcWithoutThread) {
  TB b;
  b.Gen(1).Batch(kNoThread).ProcStatus(3, kProcSyscall).ProcStatus(3, kProcAbandoned);
  ExpectErr(b, "failed to find sched context for proc 3 that's about to be stolen");
}

TEST(ValidatorRejects, ContextChecks) {
  TB no_thread;
  no_thread.Gen(1).Batch(kNoThread).GoCreate(2);
  ExpectErr(no_thread, "expected a thread but didn't have one");
  TB no_thread_start;
  no_thread_start.Gen(1).Batch(kNoThread).ProcStatus(0, kProcIdle).ProcStart(0, 1);
  ExpectErr(no_thread_start, "expected a thread but didn't have one");
  TB no_proc;
  no_proc.Gen(1).Batch(1).GoCreate(2);
  ExpectErr(no_proc, "expected a proc but didn't have one");
  TB heap_no_proc;
  heap_no_proc.Gen(1).Batch(1).Ev(EvType::kHeapAlloc, 1);
  ExpectErr(heap_no_proc, "expected a proc but didn't have one");
  TB no_g;
  no_g.Gen(1).Batch(1).ProcStatus(0, kProcRunning).GoBlock();
  ExpectErr(no_g, "expected a goroutine but didn't have one");
  TB procs_no_g;
  procs_no_g.Gen(1).Batch(1).ProcStatus(0, kProcRunning).Ev(EvType::kProcsChange, 8);
  ExpectErr(procs_no_g, "expected a goroutine but didn't have one");
  TB has_g;
  has_g.Gen(1).Batch(1).Running(1, 0, 1).GoCreate(2).GoStart(2, 1);
  ExpectErr(has_g, "expected no goroutine but had one");
  TB syscall_has_g;
  syscall_has_g.Gen(1).Batch(1).Running(1, 0, 1).GoCreateSyscall(2);
  ExpectErr(syscall_has_g, "expected no goroutine but had one");
}

TEST(ValidatorRejects, ProcStopWithoutProc) {
  TB b;
  b.Gen(1).Batch(1).ProcStop();
  ExpectErr(b, "event ProcStop for proc (-1) that doesn't exist");
}

TEST(ValidatorRejects, ProcStopOfIdleProc) {
  // Two Ms claim P0; after M1 stops it, M2's ProcStop finds it idle.
  TB b;
  b.Gen(1);
  b.Batch(1).At(1).ProcStatus(0, kProcRunning).At(3).ProcStop();
  b.Batch(2).At(2).ProcStatus(0, kProcRunning).At(4).ProcStop();
  ExpectErr(b, "ProcStop event for proc that's not Running or Syscall");
}

TEST(ValidatorRejects, GoCreateExisting) {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).GoCreate(1);
  ExpectErr(b, "tried to create goroutine (1) that already exists");
}

// Two Ms both claim to run g1; M2 changes it; M1 still has it bound.
TB SharedG(EvType m2_event) {
  TB b;
  b.Gen(1);
  b.Batch(1).At(1).Running(1, 0, 1);
  b.Batch(2).At(3).Running(2, 1, 1).Ev(m2_event);
  b.Batch(1).At(10);
  return b;
}

TEST(ValidatorRejects, GoCreateFromGoroutineNotRunning) {
  TB b = SharedG(EvType::kGoBlock);
  b.GoCreate(9);
  ExpectErr(b, "GoCreate event for goroutine that's not Running");
}

TEST(ValidatorRejects, GoroutineEventsForNonRunningOrMissingGoroutine) {
  TB stop = SharedG(EvType::kGoBlock);
  stop.GoStop();
  ExpectErr(stop, "GoStop event for goroutine that's not Running");
  TB block = SharedG(EvType::kGoDestroy);
  block.GoBlock();
  ExpectErr(block, "event GoBlock for goroutine (1) that doesn't exist");
  TB destroy = SharedG(EvType::kGoDestroy);
  destroy.GoDestroy();
  ExpectErr(destroy, "event GoDestroy for goroutine (1) that doesn't exist");
  TB sys = SharedG(EvType::kGoDestroy);
  sys.SyscallBegin(1);
  ExpectErr(sys, "event GoSyscallBegin for goroutine (1) that doesn't exist");
  TB sys2 = SharedG(EvType::kGoBlock);
  sys2.SyscallBegin(1);
  ExpectErr(sys2, "GoSyscallBegin event for goroutine that's not Running");
}

TEST(ValidatorRejects, SyscallBeginSequence) {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).SyscallBegin(2);
  ExpectErr(b, "failed to advance GoSyscallBegin: can't make sequence: 0 (gen=1) -> 2 (gen=1)");
}

TEST(ValidatorRejects, SyscallEndWhenNotInSyscall) {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).SyscallEnd();
  ExpectErr(b, "GoSyscallEnd event for goroutine that's not Running");
}

TEST(ValidatorRejects, SyscallEndWithRunningProc) {
  TB b;
  b.Gen(1).Batch(1).ProcStatus(0, kProcRunning).GoStatus(1, 1, kGoSyscall).SyscallEnd();
  ExpectErr(b, "expected proc 0 in state Syscall, but got Running instead");
}

TEST(ValidatorRejects, SyscallEndBlockedWhenNotInSyscall) {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).SyscallEndBlocked();
  ExpectErr(b, "GoSyscallEndBlocked event for goroutine that's not Running");
}

TEST(ValidatorRejects, SyscallEndBlockedWaitsForItsProcToBeStolen) {
  // Nobody steals P0: the GoSyscallEndBlocked can never advance.
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).SyscallBegin(1).SyscallEndBlocked();
  EXPECT_EQ(FirstLine(V(b).error), "broken trace: failed to advance: frontier:");
}

TEST(ValidatorRejects, CreateSyscallExisting) {
  TB b;
  b.Gen(1).Batch(kNoThread).GoStatus(4, kNoThread, kGoWaiting);
  b.Batch(1, 5).GoCreateSyscall(4);
  ExpectErr(b, "tried to create goroutine (4) in syscall that already exists");
}

TEST(ValidatorRejects, DestroySyscallWhenNotInSyscall) {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).GoDestroySyscall();
  ExpectErr(b, "GoDestroySyscall event for goroutine that's not Syscall");
}

TEST(ValidatorRejects, DestroySyscallWithRunningProc) {
  TB b;
  b.Gen(1).Batch(1).ProcStatus(0, kProcRunning).GoStatus(1, 1, kGoSyscall).GoDestroySyscall();
  ExpectErr(b, "proc 0 in unexpected state Running during GoDestroySyscall");
}

TEST(ValidatorRejects, SelfStealOfWrongProc) {
  TB b;
  b.Gen(1).Batch(0).ProcStatus(0, kProcSyscall).ProcStatus(1, kProcRunning).ProcSteal(0, 1, 0);
  ExpectErr(b, "tried to self-steal proc 0 (thread 0), but got proc 1 instead");
}

TEST(ValidatorRejects, StealFromUnknownThread) {
  TB b;
  b.Gen(1).Batch(kNoThread).ProcStatus(0, kProcSyscall);
  b.Batch(1, 5).ProcSteal(0, 1, 9);
  ExpectErr(b, "stole proc from non-existent thread 9");
}

TEST(ValidatorRejects, StealWrongProcFromThread) {
  TB b;
  b.Gen(1).Batch(kNoThread).ProcStatus(0, kProcSyscall);
  b.Batch(2, 1).ProcStatus(1, kProcRunning);
  b.Batch(1, 5).ProcSteal(0, 1, 2);
  ExpectErr(b, "tried to steal proc 0 from thread 2, but got proc 1 instead");
  TB none;  // Go prints NoProc as -1.
  none.Gen(1).Batch(kNoThread).ProcStatus(0, kProcSyscall);
  none.Batch(2, 1).ProcStatus(1, kProcRunning).ProcStop();
  none.Batch(1, 5).ProcSteal(0, 1, 2);
  ExpectErr(none, "tried to steal proc 0 from thread 2, but got proc -1 instead");
}

TEST(ValidatorRejects, Tasks) {
  TB conflict;
  conflict.Gen(1)
      .Batch(1)
      .Running(1, 0, 1)
      .Ev(EvType::kUserTaskBegin, 2)
      .Ev(EvType::kUserTaskBegin, 2);
  ExpectErr(conflict, "task ID conflict: 2");
  TB name;  // Go prints the event type as a number here.
  name.Gen(1).Batch(1).Running(1, 0, 1).Ev(EvType::kUserTaskBegin, 2, 0, 7);
  ExpectErr(name, "invalid string ID 7 for 40 event");
  TB ctx;  // The task is recorded, then the context check fails.
  ctx.Gen(1).Batch(1).Ev(EvType::kUserTaskBegin, 2);
  ExpectErr(ctx, "expected a proc but didn't have one");
  TB end_ctx;
  end_ctx.Gen(1).Batch(1).ProcStatus(0, kProcRunning).Ev(EvType::kUserTaskEnd, 2);
  ExpectErr(end_ctx, "expected a goroutine but didn't have one");
}

TEST(ValidatorRejects, Regions) {
  TB misuse;
  misuse.Gen(1).Strings({{1, "a"}, {2, "b"}}).Batch(1).Running(1, 0, 1);
  misuse.Ev(EvType::kUserRegionBegin, 1, 1).Ev(EvType::kUserRegionEnd, 1, 2);
  ExpectErr(misuse,
            "misuse of region in goroutine 1: region end {1 b} when the inner-most active region "
            "start event is {1 a}");
  TB name;
  name.Gen(1).Batch(1).Running(1, 0, 1).Ev(EvType::kUserRegionEnd, 1, 3);
  ExpectErr(name, "invalid string ID 3 for 43 event");
  TB begin = SharedG(EvType::kGoDestroy);
  begin.Ev(EvType::kUserRegionBegin);
  ExpectErr(begin, "encountered EvUserRegionBegin without known state for current goroutine 1");
  TB end = SharedG(EvType::kGoDestroy);
  end.Ev(EvType::kUserRegionEnd);
  ExpectErr(end, "encountered EvUserRegionEnd without known state for current goroutine 1");
}

TEST(ValidatorRejects, GCSequence) {
  TB active_first;
  active_first.Gen(1).Batch(1).Running(1, 0, 1).Ev(EvType::kGCBegin, 1).Ev(EvType::kGCActive, 1);
  ExpectErr(active_first, "GCActive in the first generation isn't first GC event");
  TB active_stopped;
  active_stopped.Gen(1).Batch(1).Running(1, 0, 1).Ev(EvType::kGCBegin, 1).Ev(EvType::kGCEnd, 2);
  active_stopped.Gen(2).Batch(1, 100).Running(1, 0, 1).Ev(EvType::kGCActive, 3);
  ExpectErr(active_stopped, "encountered GCActive while GC was not in progress");
  TB begin_twice;
  begin_twice.Gen(1).Batch(1).Running(1, 0, 1).Ev(EvType::kGCBegin, 1).Ev(EvType::kGCBegin, 2);
  ExpectErr(begin_twice, "encountered GCBegin while GC was already in progress");
  TB end_twice;
  end_twice.Gen(1).Batch(1).Running(1, 0, 1).Ev(EvType::kGCBegin, 1).Ev(EvType::kGCEnd, 2);
  end_twice.Ev(EvType::kGCEnd, 3);
  ExpectErr(end_twice, "encountered GCEnd when GC was not in progress");
  TB end_first;
  end_first.Gen(1).Batch(1).Running(1, 0, 1).Ev(EvType::kGCEnd, 1);
  ExpectErr(end_first, "encountered GCEnd when GC was in an undetermined state");
  TB wrong_seq;
  wrong_seq.Gen(1).Batch(1).Running(1, 0, 1).Ev(EvType::kGCBegin, 1).Ev(EvType::kGCEnd, 5);
  EXPECT_EQ(FirstLine(V(wrong_seq).error), "broken trace: failed to advance: frontier:");
}

TEST(ValidatorRejects, Ranges) {
  TB sweep_twice;
  sweep_twice.Gen(1)
      .Batch(1)
      .ProcStatus(0, kProcRunning)
      .Ev(EvType::kGCSweepBegin)
      .Ev(EvType::kGCSweepBegin);
  ExpectErr(sweep_twice, "discovered event already in-flight for when starting event GCSweepBegin");
  TB active_twice;
  active_twice.Gen(1)
      .Batch(1)
      .ProcStatus(0, kProcRunning)
      .Ev(EvType::kGCSweepActive, 0)
      .Ev(EvType::kGCSweepActive, 0);
  ExpectErr(active_twice, "found named active range already in first gen: {32 0}");
  TB missing;
  missing.Gen(1).Batch(1).ProcStatus(0, kProcRunning);
  missing.Gen(2).Batch(1, 100).ProcStatus(0, kProcRunning).Ev(EvType::kGCSweepActive, 0);
  ExpectErr(missing, "resource is missing active range: GCSweepBegin []");
  TB missing2;
  missing2.Gen(1).Batch(1).Running(1, 0, 1).Ev(EvType::kSTWBegin).Ev(EvType::kGCSweepBegin);
  missing2.Gen(2).Batch(1, 100).Ev(EvType::kGCMarkAssistActive, 1);
  ExpectErr(missing2, "resource is missing active range: GCMarkAssistBegin [{26 0}]");
  TB sweep_end;
  sweep_end.Gen(1).Batch(1).ProcStatus(0, kProcRunning).Ev(EvType::kGCSweepEnd);
  ExpectErr(sweep_end, "tried to end event GCSweepBegin, but not in-flight");
  TB sweep_unknown;
  sweep_unknown.Gen(1).Batch(1).Ev(EvType::kGCSweepActive, 5);
  ExpectErr(sweep_unknown, "encountered GCSweepActive for unknown proc 5");
  TB assist_unknown;
  assist_unknown.Gen(1).Batch(1).Ev(EvType::kGCMarkAssistActive, 5);
  ExpectErr(assist_unknown, "uninitialized goroutine 5 found during GCMarkAssistActive");
  TB stw_end;
  stw_end.Gen(1).Batch(1).Running(1, 0, 1).Ev(EvType::kSTWEnd);
  ExpectErr(stw_end, "tried to end event STWBegin, but not in-flight");
  TB stw_kind;  // STW ranges are told apart by their kind string.
  stw_kind.Gen(1).Strings({{1, "gc"}, {2, "other"}}).Batch(1).Running(1, 0, 1);
  stw_kind.Ev(EvType::kSTWBegin, 1).Ev(EvType::kSTWBegin, 2).Ev(EvType::kSTWBegin, 1);
  ExpectErr(stw_kind, "discovered event already in-flight for when starting event STWBegin");
  TB stw_gone = SharedG(EvType::kGoDestroy);
  stw_gone.Ev(EvType::kSTWBegin);
  ExpectErr(stw_gone, "encountered event of type 26 without known state for current goroutine 1");
  TB assist_gone = SharedG(EvType::kGoDestroy);
  assist_gone.Ev(EvType::kGCMarkAssistEnd);
  ExpectErr(assist_gone,
            "encountered event of type 36 without known state for current goroutine 1");
}

TEST(ValidatorRejects, IdsAreSignedLikeGos) {
  // 2^64-1 as a goroutine id is Go's NoGoroutine: binding it binds nothing.
  TB b;
  b.Gen(1).Batch(1).ProcStatus(0, kProcRunning).GoStatus(~uint64_t{0}, 1, kGoRunning).GoBlock();
  ExpectErr(b, "expected a goroutine but didn't have one");
  TB c;
  c.Gen(1).Batch(1).ProcStatus(0, kProcRunning).Ev(EvType::kGoCreate, ~uint64_t{1});
  c.Ev(EvType::kGoCreate, ~uint64_t{1});
  ExpectErr(c, "tried to create goroutine (-2) that already exists");
}

// ===================================================================
// Reuse, determinism and robustness.

TB Go70883() {
  TB b;
  b.Gen(1).Batch(1).Running(1, 0, 1).GoStatus(7, kNoThread, kGoWaiting).GoUnblock(7, 1);
  b.Gen(2).Batch(kNoThread, 200).GoStatus(7, kNoThread, kGoWaiting);
  return b;
}

void ExpectSame(const ValidationResult& a, const ValidationResult& b) {
  EXPECT_EQ(a.ok, b.ok);
  EXPECT_EQ(a.error, b.error);
  EXPECT_EQ(a.gen, b.gen);
  EXPECT_EQ(a.batch, b.batch);
  EXPECT_EQ(a.event, b.event);
  EXPECT_EQ(a.events_ordered, b.events_ordered);
}

TEST(Validator, ReusedValidatorForgetsPreviousTraces) {
  Validator v;
  TB bad = Go70883();
  TB good;
  good.Gen(1).Batch(1).Running(1, 0, 1).GoCreate(7).GoBlock().GoStart(7, 1);
  for (int i = 0; i < 3; ++i) {
    ValidationResult r1 = v.Validate(bad.trace());
    EXPECT_EQ(r1.error, "inconsistent status for goroutine 7: old Runnable vs. new Waiting");
    ValidationResult r2 = v.Validate(good.trace());
    EXPECT_TRUE(r2.ok) << r2.error;
    EXPECT_EQ(r2.events_ordered, 5u);
  }
}

// A random trace: mostly plausible vocabulary with small ids so the state
// machine gets deep, plus garbage of every kind.
void RandomTrace(std::mt19937_64& rng, Trace* t) {
  auto pick = [&](uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng); };
  t->Clear();
  const uint64_t nbatches = pick(14);
  uint64_t gen = 1;
  uint64_t ts = 0;
  for (uint64_t i = 0; i < nbatches; ++i) {
    tracefmt::Batch& b = t->Append();
    if (pick(6) == 0) ++gen;
    b.gen = pick(30) == 0 ? pick(5) : gen;
    const uint64_t kind = pick(10);
    if (kind == 0) {
      b.kind = BatchKind::kFrequency;
      b.freq = pick(3) == 0 ? pick(1u << 30) : 1'000'000'000;
    } else if (kind == 1) {
      b.kind = BatchKind::kStrings;
      for (uint64_t n = pick(4); n > 0; --n)
        b.strings.push_back({pick(6), std::string(pick(4), 'x')});
    } else if (kind == 2 && pick(4) == 0) {
      b.kind = BatchKind::kStacks;
    } else if (kind == 3 && pick(20) == 0) {
      b.kind = static_cast<BatchKind>(pick(256));
    } else {
      b.kind = BatchKind::kEvents;
    }
    const uint64_t mchoice = pick(8);
    b.m = mchoice < 4 ? mchoice : mchoice < 7 ? kNoThread : rng();
    for (uint64_t n = pick(12); n > 0; --n) {
      tracefmt::Event e;
      const uint64_t tc = pick(20);
      e.type = static_cast<EvType>(tc == 0 ? pick(256) : 9 + pick(36));
      ts = pick(8) == 0 ? rng() : ts + pick(3);
      e.ts = ts;
      for (auto& a : e.args) a = pick(10) == 0 ? rng() : pick(5);
      b.events.push_back(e);
    }
  }
}

// A tiny Go scheduler that writes the trace Go's runtime would: Ms run Ps and
// goroutines, goroutines block, get unblocked, make syscalls, lose their P to
// a steal, and so on; statuses are written lazily per generation (before the
// first event that needs them) and by an M-less batch at the end of each
// generation, as traceAdvance does. Timestamps follow emission order, and
// each generation's batches are shuffled (keeping each M's order). Every
// trace it writes must be accepted.
class SchedSim {
 public:
  explicit SchedSim(uint64_t seed) : rng_(seed) {}

  void Run(Trace* t) {
    t_ = t;
    t_->Clear();
    ts_ = 0;
    ms_.assign(1 + Pick(4), M{});
    ps_.assign(1 + Pick(3), P{});
    gs_.clear();
    next_g_ = 1;
    // The world as tracing finds it.
    for (uint64_t i = Pick(5); i > 0; --i) NewG(Pick(2) ? kGoRunnable : kGoWaiting, 0);
    for (size_t m = 0; m < ms_.size(); ++m) {
      const int64_t p = IdleP();
      if (p < 0 || Pick(3) == 0) continue;
      ps_[p].status = kProcRunning;
      ms_[m].p = p;
      const int64_t g = Find(kGoRunnable);
      if (g >= 0 && Pick(2)) {
        gs_[g].status = kGoRunning;
        ms_[m].g = g;
      }
    }
    const uint64_t ngens = 1 + Pick(3);
    for (gen_ = 1; gen_ <= ngens; ++gen_) {
      const size_t first = t_->size();
      tracefmt::Batch& f = t_->Append();
      f.kind = BatchKind::kFrequency;
      f.gen = gen_;
      f.freq = 1'000'000'000;
      for (M& m : ms_) m.batch = SIZE_MAX;
      any_event_ = false;
      if (Pick(2)) StatusForEveryP();
      for (uint64_t n = Pick(60); n > 0; --n) Step();
      // Go's reader rejects a generation without events; the runtime always
      // writes some (ProcsChange, ProcStatus for every P).
      if (!any_event_) StatusForEveryP();
      EndOfGeneration();
      ShuffleBatches(first);
    }
  }

 private:
  struct M {
    int64_t p = -1;
    int64_t g = -1;
    size_t batch = SIZE_MAX;  // this generation's current batch
  };
  struct P {
    uint64_t status = kProcIdle;
    uint64_t seq = 0;
    uint64_t traced = 0;  // generation of the last status record
  };
  struct G {
    uint64_t id = 0;
    uint64_t status = 0;  // 0: dead
    int64_t m = -1;       // for Syscall
    uint64_t seq = 0;
    uint64_t traced = 0;
  };

  uint64_t Pick(uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng_); }

  size_t NewG(uint64_t status, uint64_t traced) {
    gs_.push_back(G{next_g_++, status, -1, 0, traced});
    return gs_.size() - 1;
  }
  // A random goroutine (index) with this status, or -1.
  int64_t Find(uint64_t status) {
    std::vector<size_t> c;
    for (size_t i = 0; i < gs_.size(); ++i) {
      if (gs_[i].status == status) c.push_back(i);
    }
    return c.empty() ? -1 : static_cast<int64_t>(c[Pick(c.size())]);
  }
  int64_t IdleP() {
    std::vector<size_t> c;
    for (size_t i = 0; i < ps_.size(); ++i) {
      if (ps_[i].status == kProcIdle) c.push_back(i);
    }
    return c.empty() ? -1 : static_cast<int64_t>(c[Pick(c.size())]);
  }

  void Emit(size_t m, EvType type, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0) {
    if (ms_[m].batch == SIZE_MAX || Pick(10) == 0) {  // sometimes split
      tracefmt::Batch& b = t_->Append();
      b.gen = gen_;
      b.m = m;
      ms_[m].batch = t_->size() - 1;
    }
    any_event_ = true;
    tracefmt::Event e;
    e.type = type;
    e.ts = ts_ += 1 + Pick(3);
    e.args[0] = a0;
    e.args[1] = a1;
    e.args[2] = a2;
    (*t_)[ms_[m].batch].events.push_back(e);
  }
  // What the runtime's eventWriter does before an M's event: status records
  // for its P and its goroutine if this generation has none yet.
  void EnsureM(size_t m) {
    if (ms_[m].p >= 0 && ps_[ms_[m].p].traced != gen_) {
      P& p = ps_[ms_[m].p];
      Emit(m, EvType::kProcStatus, ms_[m].p, p.status);
      p.traced = gen_;
      p.seq = 0;
    }
    if (ms_[m].g >= 0 && gs_[ms_[m].g].traced != gen_) {
      G& g = gs_[ms_[m].g];
      Emit(m, EvType::kGoStatus, g.id, m, g.status);
      g.traced = gen_;
      g.seq = 0;
    }
  }
  void EnsureG(size_t m, size_t gi) {
    G& g = gs_[gi];
    if (g.traced == gen_) return;
    Emit(m, EvType::kGoStatus, g.id, kNoThread, g.status);
    g.traced = gen_;
    g.seq = 0;
  }
  void EnsureIdleP(size_t m, size_t pi) {
    if (ps_[pi].traced == gen_) return;
    Emit(m, EvType::kProcStatus, pi, kProcIdle);
    ps_[pi].traced = gen_;
    ps_[pi].seq = 0;
  }

  // traceAdvance's forEachP pass: a status record for every P, written by
  // the P's M, or for an idle P by some M.
  void StatusForEveryP() {
    for (size_t p = 0; p < ps_.size(); ++p) {
      size_t owner = SIZE_MAX;
      for (size_t m = 0; m < ms_.size(); ++m) {
        if (ms_[m].p == static_cast<int64_t>(p)) owner = m;
      }
      if (owner != SIZE_MAX) {
        EnsureM(owner);
      } else {
        EnsureIdleP(Pick(ms_.size()), p);
      }
    }
  }

  void Unblock(size_t m) {
    const int64_t w = Find(kGoWaiting);
    if (w < 0) return;
    EnsureG(m, w);
    gs_[w].status = kGoRunnable;
    Emit(m, EvType::kGoUnblock, gs_[w].id, ++gs_[w].seq);
  }

  void Step() {
    const size_t m = Pick(ms_.size());
    M& mm = ms_[m];
    const bool has_p = mm.p >= 0;
    const bool has_g = mm.g >= 0;
    const uint64_t pst = has_p ? ps_[mm.p].status : 0;
    const uint64_t gst = has_g ? gs_[mm.g].status : 0;
    if (has_g && gst == kGoSyscall) {
      if (has_p && pst == kProcSyscall) {
        const uint64_t c = Pick(3);
        if (c == 0) {  // fast exit
          EnsureM(m);
          Emit(m, EvType::kGoSyscallEnd);
          gs_[mm.g].status = kGoRunning;
          ps_[mm.p].status = kProcRunning;
        } else if (c == 1) {  // sysmon (another M) retakes the P
          size_t s = Pick(ms_.size());
          if (s == m) return;
          EnsureM(s);
          P& p = ps_[mm.p];
          if (p.traced != gen_) {
            Emit(s, EvType::kProcStatus, mm.p, kProcAbandoned);
            p.traced = gen_;
            p.seq = 0;
          }
          Emit(s, EvType::kProcSteal, mm.p, ++p.seq, m);
          p.status = kProcIdle;
          mm.p = -1;
        }
        return;
      }
      if (!has_p) {
        const uint64_t c = Pick(3);
        if (c == 0) {  // reacquire a P first
          const int64_t p = IdleP();
          if (p < 0) return;
          EnsureM(m);
          EnsureIdleP(m, p);
          Emit(m, EvType::kProcStart, p, ++ps_[p].seq);
          ps_[p].status = kProcRunning;
          mm.p = p;
        } else if (c == 1) {
          EnsureM(m);
          Emit(m, EvType::kGoSyscallEndBlocked);
          gs_[mm.g].status = kGoRunnable;
          gs_[mm.g].m = -1;
          mm.g = -1;
        } else if (gs_[mm.g].id >= 1000) {  // a cgo callback goroutine leaves
          EnsureM(m);
          Emit(m, EvType::kGoDestroySyscall);
          gs_[mm.g].status = 0;
          mm.g = -1;
        }
        return;
      }
      if (has_p && pst == kProcRunning) {  // reacquired: exit blocked
        EnsureM(m);
        Emit(m, EvType::kGoSyscallEndBlocked);
        gs_[mm.g].status = kGoRunnable;
        gs_[mm.g].m = -1;
        mm.g = -1;
      }
      return;
    }
    if (has_p && has_g) {  // running user code
      EnsureM(m);
      G& g = gs_[mm.g];
      switch (Pick(8)) {
        case 0:
          Emit(m, EvType::kGoBlock);
          g.status = kGoWaiting;
          mm.g = -1;
          break;
        case 1:
          Emit(m, EvType::kGoStop);
          g.status = kGoRunnable;
          mm.g = -1;
          break;
        case 2:
          Emit(m, EvType::kGoDestroy);
          g.status = 0;
          mm.g = -1;
          break;
        case 3: {
          const size_t n = NewG(kGoRunnable, gen_);
          Emit(m, EvType::kGoCreate, gs_[n].id);
          break;
        }
        case 4:
          Emit(m, EvType::kGoSyscallBegin, ++ps_[mm.p].seq);
          g.status = kGoSyscall;
          g.m = m;
          ps_[mm.p].status = kProcSyscall;
          break;
        case 5: Unblock(m); break;
        case 6: Emit(m, EvType::kHeapAlloc, Pick(1000)); break;
        default: Emit(m, EvType::kProcsChange, ps_.size()); break;
      }
      return;
    }
    if (has_p) {  // idle P: schedule
      const uint64_t c = Pick(4);
      if (c == 0) {
        const int64_t r = Find(kGoRunnable);
        if (r < 0) return;
        EnsureM(m);
        EnsureG(m, r);
        Emit(m, EvType::kGoStart, gs_[r].id, ++gs_[r].seq);
        gs_[r].status = kGoRunning;
        mm.g = r;
      } else if (c == 1) {
        EnsureM(m);
        Emit(m, EvType::kProcStop);
        ps_[mm.p].status = kProcIdle;
        mm.p = -1;
      } else if (c == 2) {
        EnsureM(m);
        Unblock(m);
      } else {
        EnsureM(m);
        const size_t n = NewG(kGoRunnable, gen_);
        Emit(m, EvType::kGoCreate, gs_[n].id);
      }
      return;
    }
    // A bare M.
    const uint64_t c = Pick(3);
    if (c == 0) {
      const int64_t p = IdleP();
      if (p < 0) return;
      EnsureIdleP(m, p);
      Emit(m, EvType::kProcStart, p, ++ps_[p].seq);
      ps_[p].status = kProcRunning;
      mm.p = p;
    } else if (c == 1) {
      Unblock(m);
    } else if (Pick(4) == 0) {  // a C thread calls into Go
      const size_t n = NewG(kGoSyscall, gen_);
      gs_[n].id += 1000;
      gs_[n].m = m;
      Emit(m, EvType::kGoCreateSyscall, gs_[n].id);
      mm.g = n;
    }
  }

  // traceAdvance's late status pass: every goroutine without a status record
  // in this generation gets one, in an M-less batch.
  void EndOfGeneration() {
    size_t b = SIZE_MAX;
    for (G& g : gs_) {
      if (g.status == 0 || g.traced == gen_) continue;
      if (b == SIZE_MAX) {
        tracefmt::Batch& nb = t_->Append();
        nb.gen = gen_;
        nb.m = kNoThread;
        b = t_->size() - 1;
      }
      tracefmt::Event e;
      e.type = EvType::kGoStatus;
      e.ts = ts_ += 1;
      e.args[0] = g.id;
      e.args[1] = g.status == kGoSyscall ? static_cast<uint64_t>(g.m) : kNoThread;
      e.args[2] = g.status;
      (*t_)[b].events.push_back(e);
      g.traced = gen_;
    }
  }

  // Batches of one generation may be written in any order as long as each M's
  // batches keep theirs.
  void ShuffleBatches(size_t first) {
    std::vector<uint64_t> key(ms_.size() + 1);
    for (auto& k : key) k = Pick(1000);
    auto key_of = [&](const tracefmt::Batch& b) {
      if (b.kind != BatchKind::kEvents) return key[ms_.size()] / 2;
      return b.m == kNoThread ? key[ms_.size()] : key[b.m];
    };
    std::stable_sort(
        t_->batches.begin() + first, t_->batches.begin() + t_->size(),
        [&](const tracefmt::Batch& a, const tracefmt::Batch& b) { return key_of(a) < key_of(b); });
  }

  std::mt19937_64 rng_;
  Trace* t_ = nullptr;
  uint64_t gen_ = 0;
  uint64_t ts_ = 0;
  uint64_t next_g_ = 1;
  bool any_event_ = false;
  std::vector<M> ms_;
  std::vector<P> ps_;
  std::vector<G> gs_;
};

uint64_t CountEvents(const Trace& t) {
  uint64_t n = 0;
  for (const auto& b : t) n += b.events.size();
  return n;
}

TEST(Validator, SimulatedSchedulerTracesAreAccepted) {
  Trace t;
  Validator v;
  for (uint64_t seed = 1; seed <= 5000; ++seed) {
    SchedSim(seed).Run(&t);
    ValidationResult r = v.Validate(t);
    ASSERT_TRUE(r.ok) << "seed " << seed << ": " << r.error << "\n" << tracefmt::DumpTrace(t);
    ASSERT_EQ(r.events_ordered, CountEvents(t)) << "seed " << seed;
  }
}

TEST(Validator, WarmValidatorDoesNotAllocate) {
  Trace a, b;
  SchedSim(11).Run(&a);
  SchedSim(12).Run(&b);
  Validator v;
  ASSERT_TRUE(v.Validate(a).ok);  // warm up the containers
  ASSERT_TRUE(v.Validate(b).ok);
  const int64_t before = g_allocations.load();
  ValidationResult ra = v.Validate(a);
  ValidationResult rb = v.Validate(b);
  EXPECT_EQ(g_allocations.load() - before, 0);
  EXPECT_TRUE(ra.ok && rb.ok);
  EXPECT_GT(ra.events_ordered + rb.events_ordered, 50u);
}

// Small damage to a valid trace: the validator must still terminate, agree
// with itself, and mostly find something.
void Mutate(std::mt19937_64& rng, Trace* t) {
  auto pick = [&](uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng); };
  if (t->size() == 0) return;
  for (uint64_t k = 1 + pick(3); k > 0; --k) {
    tracefmt::Batch& b = (*t)[pick(t->size())];
    if (b.events.empty()) continue;
    const size_t i = pick(b.events.size());
    tracefmt::Event& e = b.events[i];
    switch (pick(7)) {
      case 0: e.args[pick(3)] += 1; break;
      case 1: e.args[pick(3)] -= 1; break;
      case 2: b.events.erase(b.events.begin() + i); break;
      case 3: std::swap(e, b.events[pick(b.events.size())]); break;
      case 4: e.ts = pick(2) ? 0 : e.ts * 2; break;
      case 5: b.events.insert(b.events.begin() + i, e); break;
      default: e.type = static_cast<EvType>(9 + pick(36)); break;
    }
  }
}

TEST(Validator, DamagedSimulatedTracesAreHandled) {
  std::mt19937_64 rng(70883);
  Trace t;
  Validator reused;
  int rejected = 0;
  for (uint64_t seed = 1; seed <= 5000; ++seed) {
    SchedSim(seed).Run(&t);
    Mutate(rng, &t);
    ValidationResult a = reused.Validate(t);
    Validator fresh;
    ExpectSame(a, fresh.Validate(t));
    rejected += !a.ok;
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << "seed " << seed << ":\n" << tracefmt::DumpTrace(t);
      break;
    }
  }
  EXPECT_GT(rejected, 1000);
}

TEST(Validator, RandomTracesNeverCrashAndAreDeterministic) {
  std::mt19937_64 rng(20241218);
  Trace t;
  Validator reused;
  int ok = 0, failed_to_advance = 0, other = 0;
  for (int i = 0; i < 20000; ++i) {
    RandomTrace(rng, &t);
    ValidationResult a = reused.Validate(t);
    Validator fresh;
    ValidationResult b = fresh.Validate(t);
    ExpectSame(a, b);
    EXPECT_EQ(a.ok, a.error.empty());
    if (a.ok) {
      ++ok;
    } else if (a.error.rfind("broken trace: failed to advance", 0) == 0) {
      ++failed_to_advance;
    } else {
      ++other;
    }
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << "trace #" << i << ":\n" << tracefmt::DumpTrace(t);
      break;
    }
  }
  // Garbage is almost never a valid trace (seed 20241218 makes one), but it
  // reaches both kinds of failure.
  EXPECT_GE(ok, 1);
  EXPECT_GT(failed_to_advance, 100);
  EXPECT_GT(other, 10000);
}

TEST(Validator, ManyMsStayFast) {
  // 400 Ms pass g1000 around; the M with the earliest timestamps goes last,
  // so every step scans most of the frontier before it finds the one event
  // that can advance. Quadratic in the number of Ms, and still quick.
  constexpr uint64_t n = 400;
  TB b;
  b.Gen(1).Batch(kNoThread).At(1).GoStatus(1000, kNoThread, kGoWaiting);
  for (uint64_t i = 1; i <= n; ++i) {
    const uint64_t k = n - i + 1;  // M i takes the k-th turn
    b.Batch(i).At(10 + 4 * i).ProcStatus(i, kProcRunning).GoUnblock(1000, 2 * k - 1);
    b.GoStart(1000, 2 * k).GoBlock();
  }
  ValidationResult r = V(b);
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.events_ordered, 1 + 4 * n);
}

}  // namespace
}  // namespace schedfuzz::oracle
