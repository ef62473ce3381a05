// goStatusToTraceGoStatus per release: which wait reasons each release traces
// as running. Go 1.22 lists six reasons inline, with its && binding tighter
// than the ||s (trace2status.go:127); Go 1.27 asks isWaitingForSuspendG
// (tracestatus.go:114, runtime2.go:1358).
#include <memory>
#include <set>

#include "gtest/gtest.h"

#include "core/runtime/go127/go127.h"
#include "core/runtime/runtime.h"

namespace schedfuzz::rt {
namespace {

using tracefmt::GoStatus;
using W = waitReason;

constexpr W kAll[] = {
    W::waitReasonZero,
    W::waitReasonIOWait,
    W::waitReasonChanReceive,
    W::waitReasonPreempted,
    W::waitReasonStoppingTheWorld,
    W::waitReasonTraceGoroutineStatus,
    W::waitReasonGarbageCollection,
    W::waitReasonGarbageCollectionScan,
    W::waitReasonGCAssistMarking,
    W::waitReasonGCWorkerActive,
    W::waitReasonGCMarkTermination,
    W::waitReasonFlushProcCaches,
    W::waitReasonTraceProcStatus,
    W::waitReasonPageTraceFlush,
};
static_assert(std::size(kAll) == kNumWaitReasons);

// Go 1.22 (trace2status.go:145-151).
const std::set<W> kGo122Running = {
    W::waitReasonStoppingTheWorld, W::waitReasonGCMarkTermination, W::waitReasonGarbageCollection,
    W::waitReasonTraceProcStatus,  W::waitReasonPageTraceFlush,    W::waitReasonGCWorkerActive,
};
// Go 1.27 (runtime2.go:1368-1379).
const std::set<W> kGo127Running = {
    W::waitReasonStoppingTheWorld,     W::waitReasonGCMarkTermination,
    W::waitReasonGarbageCollection,    W::waitReasonGarbageCollectionScan,
    W::waitReasonTraceGoroutineStatus, W::waitReasonTraceProcStatus,
    W::waitReasonPageTraceFlush,       W::waitReasonGCAssistMarking,
    W::waitReasonGCWorkerActive,       W::waitReasonFlushProcCaches,
};

TEST(GoStatusToTraceGoStatus, Go122Waiting) {
  const std::unique_ptr<Runtime> r = NewRuntime(Release::kGo122);
  for (W w : kAll) {
    const GoStatus want = kGo122Running.count(w) ? GoStatus::kRunning : GoStatus::kWaiting;
    EXPECT_EQ(r->goStatusToTraceGoStatus(_Gwaiting, w), want) << WaitReasonString(w);
  }
  // Missing from Go 1.22's list: waits Go 1.27 reports as running.
  EXPECT_EQ(r->goStatusToTraceGoStatus(_Gwaiting, W::waitReasonTraceGoroutineStatus),
            GoStatus::kWaiting);
  EXPECT_EQ(r->goStatusToTraceGoStatus(_Gwaiting, W::waitReasonFlushProcCaches),
            GoStatus::kWaiting);
}

TEST(GoStatusToTraceGoStatus, Go122PreemptedFollowsThePrecedence) {
  // `status == _Gwaiting && wr == waitReasonStoppingTheWorld || wr == ...`:
  // only the first reason needs _Gwaiting.
  const std::unique_ptr<Runtime> r = NewRuntime(Release::kGo122);
  for (W w : kAll) {
    const GoStatus want = kGo122Running.count(w) && w != W::waitReasonStoppingTheWorld
                              ? GoStatus::kRunning
                              : GoStatus::kWaiting;
    EXPECT_EQ(r->goStatusToTraceGoStatus(_Gpreempted, w), want) << WaitReasonString(w);
  }
}

TEST(GoStatusToTraceGoStatus, Go127IsWaitingForSuspendG) {
  const std::unique_ptr<Runtime> r = NewRuntime(Release::kGo127);
  for (W w : kAll) {
    const bool running = kGo127Running.count(w) != 0;
    EXPECT_EQ(isWaitingForSuspendG(w), running) << WaitReasonString(w);
    EXPECT_EQ(r->goStatusToTraceGoStatus(_Gwaiting, w),
              running ? GoStatus::kRunning : GoStatus::kWaiting)
        << WaitReasonString(w);
    EXPECT_EQ(r->goStatusToTraceGoStatus(_Gpreempted, w), GoStatus::kWaiting)
        << WaitReasonString(w);
  }
}

TEST(GoStatusToTraceGoStatus, OtherStatusesIgnoreTheReason) {
  for (Release rel : kReleases) {
    const std::unique_ptr<Runtime> r = NewRuntime(rel);
    for (W w : kAll) {
      EXPECT_EQ(r->goStatusToTraceGoStatus(_Grunnable, w), GoStatus::kRunnable);
      EXPECT_EQ(r->goStatusToTraceGoStatus(_Grunning, w), GoStatus::kRunning);
      EXPECT_EQ(r->goStatusToTraceGoStatus(_Gcopystack, w), GoStatus::kRunning);
      EXPECT_EQ(r->goStatusToTraceGoStatus(_Gsyscall, w), GoStatus::kSyscall);
      EXPECT_EQ(r->goStatusToTraceGoStatus(_Gscansyscall, w), GoStatus::kSyscall);
      EXPECT_EQ(r->goStatusToTraceGoStatus(_Gdead, w), GoStatus::kBad);
    }
  }
}

TEST(WaitReasonString, GoStrings) {
  EXPECT_STREQ(WaitReasonString(W::waitReasonGarbageCollection), "garbage collection");
  EXPECT_STREQ(WaitReasonString(W::waitReasonStoppingTheWorld), "stopping the world");
  EXPECT_STREQ(WaitReasonString(W::waitReasonGCMarkTermination), "GC mark termination");
  EXPECT_STREQ(WaitReasonString(W::waitReasonFlushProcCaches), "flushing proc caches");
  EXPECT_STREQ(WaitReasonString(W::waitReasonGCWorkerActive), "GC worker (active)");
  for (W w : kAll) EXPECT_STRNE(WaitReasonString(w), "?");
}

}  // namespace
}  // namespace schedfuzz::rt
