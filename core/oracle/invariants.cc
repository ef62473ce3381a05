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

namespace {
// Where gp waits: *on = the P whose local queue or runnext holds it (null:
// the global queue). False if it is on no run queue (taken already).
bool QueuedOn(const rt::Runtime& r, const rt::g* gp, const rt::p** on) {
  for (int i = 0; i < r.gomaxprocs; ++i) {
    const rt::p& pp = r.allp[i];
    bool here = pp.runnext.Raw() == gp;
    for (uint32_t k = pp.runqhead.Raw(); !here && k != pp.runqtail.Raw(); ++k)
      here = pp.runq[k % r.runq_size] == gp;
    if (here) {
      *on = &pp;
      return true;
    }
  }
  int n = 0;
  for (const rt::g* q = r.sched.runq.head; q && n <= rt::kMaxG; q = q->schedlink, ++n) {
    if (q == gp) {
      *on = nullptr;
      return true;
    }
  }
  return false;
}
}  // namespace

bool FindStranded(const rt::Runtime& r, const rt::m* submitter,
                  std::span<const rt::g* const> queued, uint64_t rechecking, Stranded* out) {
  if (queued.empty() || r.sched.gcwaiting.Raw() != 0 || r.sched.nmspinning.Raw() > 0) return false;
  const rt::p* idle = nullptr;
  for (int i = 0; i < r.gomaxprocs && !idle; ++i)
    if (r.allp[i].idle && r.allp[i].status.Raw() == rt::_Pidle) idle = &r.allp[i];
  if (!idle) return false;
  // Another scheduler M that will look at the run queues before it sleeps.
  bool parked[rt::kMaxM + 2] = {};
  int n = 0;
  for (const rt::m* mp = r.sched.midle; mp && n <= rt::kMaxM; mp = mp->schedlink, ++n)
    parked[mp->id] = true;
  for (int i = 0; i < r.nsched_m; ++i) {
    const rt::m& mp = r.allm[i];
    if (&mp == submitter || !mp.is_sched_m || parked[mp.id]) continue;
    if (mp.nextp) return false;                    // startm handed it a P
    if (mp.pp && !mp.curg) return false;           // schedule/findRunnable with a P
    if ((rechecking >> mp.id) & 1u) return false;  // findRunnable's recheck
  }
  for (const rt::g* gp : queued) {
    if (gp->atomicstatus.Raw() != rt::_Grunnable) continue;
    const rt::p* on = nullptr;
    if (!QueuedOn(r, gp, &on)) continue;
    *out = Stranded{.gp = gp, .on = on, .idle = idle};
    return true;
  }
  return false;
}

std::string DescribeStranded(const Stranded& s, const char* by) {
  const std::string where =
      s.on ? absl::StrFormat("P%d's run queue", s.on->id) : std::string("the global run queue");
  return absl::StrFormat(
      "goroutine %d waits on %s after %s while P%d is idle and no M is spinning or "
      "woken",
      s.gp->goid, where, by, s.idle->id);
}

void LivenessWatch::Attach(rt::Runtime* r) {
  rt_ = r;
  rt::ModelHooks h;
  h.ctx = this;
  h.on_status = &OnStatus;
  h.on_probe = &OnProbe;
  r->hooks.Add(h);
}

void LivenessWatch::Reset() {
  for (PerM& pm : m_) pm.n = 0;
  rechecking_ = 0;
  v_ = Verdict{};
}

void LivenessWatch::OnStatus(void* ctx, rt::g* gp, uint32_t, uint32_t nw, rt::m* mp,
                             const char* site) {
  auto* w = static_cast<LivenessWatch*>(ctx);
  if (!mp || site != rt::kSiteInjectglistCas || nw != rt::_Grunnable) return;
  PerM& pm = w->m_[mp->id];
  if (pm.n < rt::kMaxG) pm.queued[pm.n++] = gp;
}

void LivenessWatch::OnProbe(void* ctx, rt::Probe what, rt::m* mp, const rt::g* gp, const rt::p* pp,
                            uint64_t submitter) {
  auto* w = static_cast<LivenessWatch*>(ctx);
  if (what == rt::Probe::kSpinningRecheck && mp) {
    const uint64_t bit = uint64_t{1} << mp->id;
    w->rechecking_ = submitter ? (w->rechecking_ | bit) : (w->rechecking_ & ~bit);
    return;
  }
  if (what != rt::Probe::kSubmitted || !mp) return;
  PerM& pm = w->m_[mp->id];
  const rt::g* one[1] = {gp};
  const std::span<const rt::g* const> queued =
      gp ? std::span<const rt::g* const>(one) : std::span<const rt::g* const>(pm.queued, pm.n);
  Stranded s;
  const bool stranded = !w->v_.violation && FindStranded(*w->rt_, mp, queued, w->rechecking_, &s);
  if (!gp) pm.n = 0;
  if (!stranded) return;
  const char* by = rt::SubmitterName(submitter);
  (void)pp;
  Verdict& v = w->v_;
  v.violation = true;
  v.oracle = "invariant";
  v.check = "liveness";
  v.message = DescribeStranded(s, by);
  v.site = by;
  v.step = w->rt_->engine->step();
  v.thread = w->rt_->engine->current();
  v.goid = s.gp->goid;
  v.m_acted = true;
  v.AddCulprit(Culprit{
      .goid = s.gp->goid, .p = s.on ? int64_t{s.on->id} : -1, .m = mp->procid, .step = v.step});
}

}  // namespace schedfuzz::oracle
