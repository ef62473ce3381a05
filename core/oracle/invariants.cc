#include "core/oracle/invariants.h"

#include <cstring>

#include "absl/strings/str_format.h"

namespace schedfuzz::oracle {

std::string CheckSchedulerInvariants(const rt::Runtime& r, sim::RunStatus status) {
  if (status != sim::RunStatus::kQuiescent && status != sim::RunStatus::kCompleted) return "";
  int where[rt::kMaxG] = {};
  const char* place[rt::kMaxG] = {};
  auto note = [&](const rt::g* gp, const char* what) -> std::string {
    if (!gp || gp < r.allgs || gp >= r.allgs + r.nallgs)
      return absl::StrFormat("a non-goroutine pointer is on %s", what);
    const int i = static_cast<int>(gp - r.allgs);
    if (++where[i] > 1)
      return absl::StrFormat("goroutine %d is in two places: %s and %s", gp->goid, place[i], what);
    place[i] = what;
    return "";
  };
  for (int i = 0; i < r.gomaxprocs; ++i) {
    const rt::p& pp = r.allp[i];
    const uint32_t h = pp.runqhead.Raw(), t = pp.runqtail.Raw();
    if (t - h > r.runq_size)
      return absl::StrFormat("P%d's run queue holds %d > %d", i, t - h, r.runq_size);
    for (uint32_t k = h; k != t; ++k)
      if (auto e = note(pp.runq[k % r.runq_size], "a local run queue"); !e.empty()) return e;
    if (rt::g* nx = pp.runnext.Raw())
      if (auto e = note(nx, "runnext"); !e.empty()) return e;
    if (pp.mp && pp.mp->pp != &pp) return absl::StrFormat("P%d's m does not point back at it", i);
    if (pp.status.Raw() == rt::_Prunning && !pp.mp)
      return absl::StrFormat("P%d is running without an M", i);
    if (pp.status.Raw() == rt::_Pidle && !pp.idle)
      return absl::StrFormat("P%d is idle but not on the idle list", i);
  }
  int32_t gq = 0;
  for (const rt::g* gp = r.sched.runq.head; gp; gp = gp->schedlink) {
    if (auto e = note(gp, "the global run queue"); !e.empty()) return e;
    if (++gq > rt::kMaxG) return "the global run queue is cyclic";
  }
  if (gq != r.sched.runqsize)
    return absl::StrFormat("sched.runqsize is %d but the global queue holds %d", r.sched.runqsize,
                           gq);
  for (const rt::waitq& q : r.chans)
    for (const rt::g* gp = q.first; gp; gp = gp->chanlink)
      if (auto e = note(gp, "a wait queue"); !e.empty()) return e;
  for (int fd = 0; fd < rt::kMaxFds; ++fd) {
    const int32_t v = r.pd_rg[fd].Raw();
    if (v > 0)
      if (auto e = note(&r.allgs[v - 1], "a descriptor"); !e.empty()) return e;
  }
  for (int i = 0; i < r.nallgs; ++i) {
    const rt::g& gp = r.allgs[i];
    const uint32_t s = gp.atomicstatus.Raw();
    switch (s) {
      case rt::_Grunnable:
        if (where[i] != 1)
          return absl::StrFormat("goroutine %d is runnable but on no run queue (lost)", gp.goid);
        return absl::StrFormat("goroutine %d is runnable on %s but every M is idle", gp.goid,
                               place[i]);
      case rt::_Gwaiting:
        if (where[i] > 0 && std::strcmp(place[i], "a wait queue") != 0 &&
            std::strcmp(place[i], "a descriptor") != 0)
          return absl::StrFormat("goroutine %d is waiting but on %s", gp.goid, place[i]);
        break;
      case rt::_Gdead:
        if (where[i] != 0)
          return absl::StrFormat("goroutine %d is dead but on %s", gp.goid, place[i]);
        break;
      default:
        return absl::StrFormat("goroutine %d is %s at the end of the run", gp.goid,
                               rt::GStatusName(s));
    }
  }
  return "";
}

}  // namespace schedfuzz::oracle
