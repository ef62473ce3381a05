// The tracer's per-M seqlock and the event writer's lazy statuses.
#include <vector>

#include "gtest/gtest.h"

#include "core/runtime/test_harness.h"

namespace schedfuzz::rt {
namespace {

using tracefmt::EvType;

TEST(TraceAcquireTest, SeqlockIsOddExactlyInsideTheWindow) {
  Harness h(1, 256, 1);
  uint64_t off = 99, inside = 99, after = 99;
  bool ok_off = true, ok_on = false;
  h.OnM(0, [&] {
    traceLocker a = h.rt.traceAcquire();  // tracing off: no seqlock traffic
    ok_off = a.ok();
    off = h.M(0)->trace.seqlock.Raw();
    h.rt.trace.gen.SetRaw(1);
    traceLocker b = h.rt.traceAcquire();
    ok_on = b.ok();
    inside = h.M(0)->trace.seqlock.Raw();
    h.rt.traceRelease(b);
    after = h.M(0)->trace.seqlock.Raw();
  });
  h.Run();
  EXPECT_FALSE(ok_off);
  EXPECT_EQ(off, 0u);
  EXPECT_TRUE(ok_on);
  EXPECT_EQ(inside, 1u);
  EXPECT_EQ(after, 2u);
}

TEST(TraceAcquireTest, GenerationIsReadAfterTheSeqlockTurnsOdd) {
  // Whatever the interleaving of an acquire with tracing being turned off,
  // the locker is ok only if it read a nonzero generation after making its
  // seqlock odd, and the seqlock always ends even.
  sim::DfsChooser dfs;
  int runs = 0, ok_runs = 0, not_ok_runs = 0;
  do {
    Harness h(2, 256, 1);
    h.rt.trace.gen.SetRaw(5);
    bool ok = false;
    uint64_t gen_seen = 0;
    h.OnM(0, [&] {
      traceLocker tl = h.rt.traceAcquire();
      ok = tl.ok();
      gen_seen = tl.gen;
      if (ok) h.rt.traceRelease(tl);
    });
    h.OnM(1, [&] { h.rt.trace.gen.Store(0, "test: stop tracing"); });
    ASSERT_EQ(h.Run(dfs).status, sim::RunStatus::kCompleted);
    EXPECT_EQ(h.M(0)->trace.seqlock.Raw() % 2, 0u);
    if (ok) {
      EXPECT_EQ(gen_seen, 5u);
      ++ok_runs;
    } else {
      ++not_ok_runs;
    }
    ++runs;
  } while (dfs.Advance());
  EXPECT_GT(ok_runs, 0);
  EXPECT_GT(not_ok_runs, 0);
}

std::vector<EvType> Types(const Runtime& rt, const m* mp, uint64_t gen) {
  std::vector<EvType> t;
  const int b = mp->trace.buf[gen % 2];
  if (b < 0) return t;
  for (const tracefmt::Event& e : rt.trace.bufs[b].batch.events) t.push_back(e.type);
  return t;
}

TEST(EventWriterTest, StatusesAreWrittenOncePerGeneration) {
  Harness h(1, 256, 2);
  g* cur = h.G(0);
  g* other = h.G(1);
  h.OnM(0, [&] {
    cur->atomicstatus.SetRaw(_Grunning);
    h.M(0)->curg = cur;
    other->atomicstatus.SetRaw(_Gwaiting);
    h.rt.trace.gen.SetRaw(1);
    for (int i = 0; i < 2; ++i) {
      traceLocker tl = h.rt.traceAcquire();
      h.rt.tlGoUnpark(tl, other);  // Running M, P; the target asserted Waiting once
      h.rt.traceRelease(tl);
    }
    // The next generation: everything is untraced again.
    h.rt.trace.gen.SetRaw(2);
    traceLocker tl = h.rt.traceAcquire();
    h.rt.tlGoSched(tl);
    h.rt.traceRelease(tl);
  });
  h.Run();
  EXPECT_EQ(Types(h.rt, h.M(0), 1),
            (std::vector<EvType>{EvType::kProcStatus, EvType::kGoStatus, EvType::kGoStatus,
                                 EvType::kGoUnblock, EvType::kGoUnblock}));
  EXPECT_EQ(Types(h.rt, h.M(0), 2),
            (std::vector<EvType>{EvType::kProcStatus, EvType::kGoStatus, EvType::kGoStop}));
  // The GoUnblock's sequence numbers continue within the generation.
  const auto& ev = h.rt.trace.bufs[h.M(0)->trace.buf[1]].batch.events;
  EXPECT_EQ(ev[2].args[0], 2u);  // goroutine 2...
  EXPECT_EQ(ev[2].args[2],
            static_cast<uint64_t>(tracefmt::GoStatus::kWaiting));  // ...asserted Waiting
  EXPECT_EQ(ev[3].args[1], 1u);
  EXPECT_EQ(ev[4].args[1], 2u);
}

}  // namespace
}  // namespace schedfuzz::rt
