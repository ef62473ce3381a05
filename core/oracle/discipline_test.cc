// The discipline oracle's per-release check D3 (go1.27 trace.go invariant 5):
// acquiring a P inside a trace critical section.
#include "core/oracle/discipline.h"

#include <string>

#include "gtest/gtest.h"

#include "core/runtime/test_harness.h"

namespace schedfuzz::oracle {
namespace {

// M0 gives its P back to the idle list, then takes an idle P either inside
// or after a trace critical section, with tracing on.
template <typename R>
Verdict AcquireP(bool inside) {
  rt::BasicHarness<R> h;
  Discipline d;
  d.Reset();
  d.Attach(&h.rt, /*canaries=*/nullptr);
  h.rt.trace.gen.SetRaw(1);
  h.OnM(0, [&] {
    rt::Runtime& r = h.rt;
    rt::p* pp = r.releasepNoTrace();
    r.sched.lock.Lock("test: lock sched");
    r.pidleput(pp);
    r.sched.lock.Unlock("test: unlock sched");
    rt::traceLocker tl = r.traceAcquire();
    if (!inside) r.traceRelease(tl);
    r.sched.lock.Lock("test: lock sched");
    r.pidleget();
    r.sched.lock.Unlock("test: unlock sched");
    if (inside) r.traceRelease(tl);
  });
  h.Run();
  return d.verdicts().empty() ? Verdict{} : d.verdicts().front();
}

TEST(DisciplineD3, Go127PidlegetInsideASectionFires) {
  const Verdict v = AcquireP<rt::Go127>(/*inside=*/true);
  ASSERT_TRUE(v.violation);
  EXPECT_EQ(std::string(v.check), "D3");
  EXPECT_NE(v.message.find("M1 acquired P 0 inside its generation-1 trace critical section"),
            std::string::npos)
      << v.message;
}

TEST(DisciplineD3, Go127PidlegetOutsideASectionIsFine) {
  EXPECT_FALSE(AcquireP<rt::Go127>(/*inside=*/false).violation);
}

// Go 1.22 acquires Ps under the tracer by design (exitsyscallfast), and its
// trace2.go states no such invariant: D3 is not checked there.
TEST(DisciplineD3, NotCheckedOnGo122) {
  EXPECT_FALSE(AcquireP<rt::Go122>(/*inside=*/true).violation);
}

}  // namespace
}  // namespace schedfuzz::oracle
