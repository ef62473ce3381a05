// The garbage collector's wait reasons: the goroutine running the `gc` op
// goes to _Gwaiting, untraced, where Go's code puts it (gcMarkTermination
// with waitReasonGarbageCollection in both releases; Go 1.27's
// stopTheWorldWithSema with waitReasonStoppingTheWorld as well), and each
// release's goStatusToTraceGoStatus reports those waits as running. With
// tracing on during the cycle the discipline oracle judges every untraced
// status change by that mapping (D1: a change a snapshot could see, with no
// event describing it), so a wait the mapping called Waiting would fire it.
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "core/scenario/run.h"
#include "core/scenario/text.h"
#include "core/sim/script.h"

namespace schedfuzz::scenario {
namespace {

Scenario Machine() {
  const absl::StatusOr<Scenario> sc = ParseText(R"(schedfuzz scenario v1
procs 2
ms 4
sysmon off
fds 1
program 0: work 1; gc; work 1
program 1: work 4
g 1 runnable program 0
g 2 runnable program 1
tracer start delay 0
)");
  EXPECT_TRUE(sc.ok()) << sc.status();
  return sc.value_or(Scenario{});
}

// Tracing on before any goroutine runs; then the goroutines run, the tracer
// held back (its timeline would stop tracing at once) until nothing else can
// run.
std::vector<sim::ScriptStep> Script() {
  return {{"tracer", "StartTrace: semrelease(traceAdvanceSema)", 1, {"M1", "M2", "M3", "M4"}},
          {"M1", "", 1, {"tracer"}}};
}

// A change of the collector's status word (scan bit changes left out), with
// its wait reason, the generation it happened in, and how the release's
// tracer would report the new status.
struct Change {
  uint32_t from = 0, to = 0;
  rt::waitReason wr = rt::waitReason::waitReasonZero;
  uint64_t gen = 0;
  tracefmt::GoStatus traced = tracefmt::GoStatus::kBad;
  std::string site;
};

struct Watch {
  const Runner* runner = nullptr;  // its runtime is the variant's, chosen by Run
  std::vector<Change> changes;
  static void OnStatus(void* ctx, rt::g* gp, uint32_t o, uint32_t n, rt::m*, const char* site) {
    auto* w = static_cast<Watch*>(ctx);
    if (gp->goid != 1 || ((o | n) & rt::_Gscan)) return;
    const rt::Runtime& r = w->runner->runtime();
    w->changes.push_back({o, n, gp->waitreason, r.trace.gen.Raw(),
                          r.goStatusToTraceGoStatus(n, gp->waitreason), site});
  }
};

// The collector's changes into and out of _Gwaiting while it runs the cycle.
std::vector<Change> RunCycle(const char* variant, Outcome* out) {
  Runner r;
  Watch watch;
  watch.runner = &r;
  sim::ScriptChooser chooser(&r.engine(), Script());
  RunOptions opts;
  opts.variant = rt::FindVariant(variant);
  opts.observer_hooks.ctx = &watch;
  opts.observer_hooks.on_status = &Watch::OnStatus;
  *out = r.Run(Machine(), chooser, opts);
  EXPECT_GE(chooser.steps_done(), 1u) << variant;
  std::vector<Change> gc;
  for (const Change& c : watch.changes)
    if (c.from == rt::_Gwaiting || c.to == rt::_Gwaiting) gc.push_back(c);
  return gc;
}

void ExpectWait(const Change& into, const Change& out, rt::waitReason wr, const char* where) {
  EXPECT_EQ(into.from, rt::_Grunning) << where;
  EXPECT_EQ(into.to, rt::_Gwaiting) << where;
  EXPECT_EQ(into.wr, wr) << where << ": " << rt::WaitReasonString(into.wr);
  EXPECT_NE(into.site.find(where), std::string::npos) << into.site;
  EXPECT_NE(into.gen, 0u) << where << ": tracing was off";
  // Untraced, and no event needed: the tracer reports the wait as running.
  EXPECT_EQ(into.traced, tracefmt::GoStatus::kRunning) << where;
  EXPECT_EQ(out.from, rt::_Gwaiting) << where;
  EXPECT_EQ(out.to, rt::_Grunning) << where;
  EXPECT_NE(out.site.find(where), std::string::npos) << out.site;
}

TEST(GcWaitReason, Go122MarkTerminationOnly) {
  // Go 1.22: gcStart and gcMarkDone call stopTheWorldWithSema directly
  // (mgc.go:681, 864), so the collector stays _Grunning through both stops;
  // gcMarkTermination waits with waitReasonGarbageCollection (mgc.go:946).
  Outcome out;
  const std::vector<Change> gc = RunCycle("fixed", &out);
  EXPECT_FALSE(out.verdict.violation) << DescribeVerdict(out.verdict);
  EXPECT_EQ(out.engine.status, sim::RunStatus::kQuiescent) << out.discarded;
  ASSERT_EQ(gc.size(), 2u);
  ExpectWait(gc[0], gc[1], rt::waitReason::waitReasonGarbageCollection, "gcMarkTermination");
}

TEST(GcWaitReason, Go127StopsTheWorldWaitingToo) {
  // Go 1.27: stopTheWorldWithSema itself waits with
  // waitReasonStoppingTheWorld (proc.go:1654, back at 1757), for the sweep
  // termination and the mark termination stop; then gcMarkTermination's
  // waitReasonGarbageCollection (mgc.go:1374).
  Outcome out;
  const std::vector<Change> gc = RunCycle("shipped", &out);
  EXPECT_FALSE(out.verdict.violation) << DescribeVerdict(out.verdict);
  EXPECT_EQ(out.engine.status, sim::RunStatus::kQuiescent) << out.discarded;
  ASSERT_EQ(gc.size(), 6u);
  ExpectWait(gc[0], gc[1], rt::waitReason::waitReasonStoppingTheWorld, "stopTheWorld");
  ExpectWait(gc[2], gc[3], rt::waitReason::waitReasonStoppingTheWorld, "stopTheWorld");
  ExpectWait(gc[4], gc[5], rt::waitReason::waitReasonGarbageCollection, "gcMarkTermination");
}

TEST(GcWaitReason, TheTraceSaysRunningThroughTheCycle) {
  // Whatever the trace says of the collector in the generation of its cycle
  // is Running: its waits left no mark.
  for (const char* variant : {"fixed", "shipped"}) {
    Runner r;
    sim::ScriptChooser chooser(&r.engine(), Script());
    RunOptions opts;
    opts.variant = rt::FindVariant(variant);
    const Outcome& out = r.Run(Machine(), chooser, opts);
    EXPECT_FALSE(out.verdict.violation) << variant << ": " << DescribeVerdict(out.verdict);
    ASSERT_EQ(r.traces().size(), 1u) << variant;
    int stw = 0;
    const tracefmt::Trace& t = r.traces()[0];
    for (size_t i = 0; i < t.used; ++i) {
      for (const tracefmt::Event& ev : t.batches[i].events) {
        if (ev.type == tracefmt::EvType::kSTWBegin) ++stw;
        if (ev.type == tracefmt::EvType::kGoStatus && ev.args[0] == 1)
          EXPECT_NE(ev.args[2], static_cast<uint64_t>(tracefmt::GoStatus::kWaiting)) << variant;
      }
    }
    EXPECT_EQ(stw, 3) << variant << ": StartTrace's stop and the collector's two";
  }
}

}  // namespace
}  // namespace schedfuzz::scenario
