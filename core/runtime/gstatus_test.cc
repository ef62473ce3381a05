// The status word: the scan bit as a lock, suspendG's refusal to snapshot a
// running goroutine, and casgstatus's checks.
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "core/runtime/test_harness.h"

namespace schedfuzz::rt {
namespace {

struct Log {
  std::vector<std::pair<uint32_t, uint32_t>> changes;
  static void OnStatus(void* ctx, g*, uint32_t o, uint32_t n, m*, const char*) {
    static_cast<Log*>(ctx)->changes.push_back({o, n});
  }
};

TEST(GStatusTest, CasgstatusWaitsWhileTheScanBitIsHeld) {
  int runs = 0, spun = 0;
  sim::DfsChooser dfs;
  do {
    Harness h(2, 256, 1);
    Log log;
    ModelHooks watch;
    watch.ctx = &log;
    watch.on_status = &Log::OnStatus;
    h.rt.hooks.Add(watch);
    g* gp = h.G(0);
    gp->atomicstatus.SetRaw(_Gwaiting);
    h.OnM(0, [&] {
      Runtime::suspendGState s = h.rt.suspendG(gp);
      sim::Yield("test: hold the scan bit");
      h.rt.resumeG(s);
    });
    h.OnM(1, [&] { h.rt.casgstatus(gp, _Gwaiting, _Grunnable, "test: casgstatus"); });
    h.engine.set_record_steps(true);
    ASSERT_EQ(h.Run(dfs).status, sim::RunStatus::kCompleted);
    EXPECT_EQ(gp->atomicstatus.Raw(), _Grunnable);
    // Whatever the order, the CAS never lands while the scan bit is held.
    bool scanned = false;
    for (auto [o, n] : log.changes) {
      if (n & _Gscan) scanned = true;
      if (o & _Gscan) scanned = false;
      if (o == _Gwaiting && n == _Grunnable) EXPECT_FALSE(scanned);
    }
    for (const sim::StepRecord& r : h.engine.steps())
      if (r.op == sim::OpKind::kSpin && std::string(r.site) == "test: casgstatus") ++spun;
    ++runs;
  } while (dfs.Advance());
  EXPECT_GT(runs, 5);
  EXPECT_GT(spun, 0) << "some schedule must make casgstatus wait";
}

TEST(GStatusTest, SuspendGNeverSnapshotsARunningGoroutine) {
  sim::DfsChooser dfs;
  int runs = 0;
  do {
    Harness h(2, 256, 1);
    g* gp = h.G(0);
    gp->atomicstatus.SetRaw(_Grunning);
    uint32_t seen = 0;
    h.OnM(0, [&] {
      Runtime::suspendGState s = h.rt.suspendG(gp);
      seen = h.rt.readgstatus(gp, "test: read") & ~_Gscan;
      h.rt.resumeG(s);
    });
    h.OnM(1, [&] {
      sim::Yield("test: run a little");
      sim::Yield("test: run a little more");
      h.rt.casgstatus(gp, _Grunning, _Gwaiting, "test: park");
    });
    ASSERT_EQ(h.Run(dfs).status, sim::RunStatus::kCompleted);
    EXPECT_EQ(seen, _Gwaiting);
    ++runs;
  } while (dfs.Advance());
  EXPECT_GT(runs, 3);
}

TEST(GStatusTest, WaitingToRunnableTwiceThrowsGosText) {
  Harness h(1, 256, 1);
  g* gp = h.G(0);
  gp->atomicstatus.SetRaw(_Grunnable);
  h.OnM(0, [&] { h.rt.casgstatus(gp, _Gwaiting, _Grunnable, "test: double ready"); });
  EXPECT_EQ(h.Run().status, sim::RunStatus::kAborted);
  EXPECT_EQ(h.rt.violation, "casgstatus: waiting for Gwaiting but is Grunnable");
}

TEST(GStatusTest, ScanBitIsOnlyTakenFromSnapshotableStates) {
  Harness h(1, 256, 1);
  g* gp = h.G(0);
  bool ok_waiting = false;
  h.OnM(0, [&] {
    gp->atomicstatus.SetRaw(_Gwaiting);
    ok_waiting = h.rt.castogscanstatus(gp, _Gwaiting, _Gscanwaiting, "test");
    h.rt.casfrom_Gscanstatus(gp, _Gscanwaiting, _Gwaiting, "test");
    gp->atomicstatus.SetRaw(_Gdead);
    h.rt.castogscanstatus(gp, _Gdead, _Gdead | _Gscan, "test");  // throws
  });
  EXPECT_EQ(h.Run().status, sim::RunStatus::kAborted);
  EXPECT_TRUE(ok_waiting);
  EXPECT_EQ(h.rt.violation, "castogscanstatus: bad dead -> scan dead");
}

}  // namespace
}  // namespace schedfuzz::rt
