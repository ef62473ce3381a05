// Building the machine for a scenario, the thread-to-M map, the model's
// throw, and the scheduler invariants checked at the end of a run.
#include <cstring>

#include "absl/strings/str_format.h"

#include "core/base/nocov.h"
#include "core/runtime/runtime.h"

namespace schedfuzz::rt {

namespace {
const char* const kMNames[kMaxM] = {"M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8"};
}  // namespace

Runtime::Runtime() {
  // Batch objects for every session exist from the start, so that appending
  // one never takes a growth path that earlier runs did not: a fuzzer sees
  // the same code for the same input whatever ran before (AFL++ stability).
  for (tracefmt::Trace& t : trace.sessions) t.batches.resize(256);
}
Runtime::~Runtime() = default;

const char* CanaryName(Canary c) {
  switch (c) {
    case kCanaryGo70883: return "go70883";
    case kCanaryStartTracePless: return "starttrace-pless-injectglist";
    case kCanaryEntersyscallblock: return "entersyscallblock";
    case kCanaryEntersyscallblockSplit: return "entersyscallblock-procstop";
    case kCanaryGenStraggler: return "gen-straggler";
    case kCanaryStartTraceExitsyscallfast: return "starttrace-exitsyscallfast";
    case kCanaryStopTraceStraggler: return "stoptrace-straggler";
    case kNumCanaries: break;
  }
  return "?";
}

void Runtime::Trigger(Canary c, const g* gp, const p* pp) {
  CanaryHit& h = stats.canary[c];
  h.reached = true;
  if (pp && pp->id < 32) h.procs |= 1u << pp->id;
  if (gp && gp->goid > 0 && gp->goid < CanaryHit::kMaxGoidTracked) h.goids.set(gp->goid);
  if (h.triggered) return;
  h.triggered = true;
  h.goid = gp ? gp->goid : 0;
  h.step = engine->step();
}

void Runtime::throw_(const char* msg) {
  if (violation.empty()) violation = msg;
  engine->Abort();
}

void Runtime::Setup(const scenario::Scenario& scen, const Variant& v, sim::Engine* e) {
  Init(scen, v, e);
  e->Reset();
  for (int i = 0; i < nallm; ++i) {
    m* mp = &allm[i];
    int t;
    if (mp == sysmon_m)
      t = e->Spawn(&Runtime::SysmonThread, this, "sysmon");
    else if (mp == tracer_m)
      t = e->Spawn(&Runtime::TracerThread, this, "tracer");
    else
      t = e->Spawn(&Runtime::MThread, mp, mp->name);
    BindThreadToM(t, mp);
  }
  if (!scen.batches.empty()) e->Spawn(&Runtime::PollerThread, this, "poller");
}

void Runtime::BindThreadToM(int thread, m* mp) {
  mp->thread = thread;
  thread_mp_[thread + 1] = mp;
}

void Runtime::Init(const scenario::Scenario& scen, const Variant& v, sim::Engine* e) {
  sc = &scen;
  variant = &v;
  engine = e;
  // Reset everything a run touches; the trace output keeps its capacity.
  // Of the G, M and P tables, the slots the last run handed out: a run takes
  // slots only through nallgs, nallm and gomaxprocs, so every slot beyond
  // them is still blank (core/scenario/reuse_test.cc checks this after runs
  // of every size). Resetting all of them copied about 40 KB per run, which
  // ASan checks byte range by byte range. The copies go through nocov::Fill
  // because their length depends on the previous run, which an instrumented
  // loop would show AFL++ as coverage. From constant blanks rather than
  // temporaries: under ASan each temporary (a P with its run queue is 2 KB)
  // is a stack object poisoned and unpoisoned every time.
  static const g kBlankG{};
  static const m kBlankM{};
  static const p kBlankP{};
  nocov::Fill(allgs, nallgs, kBlankG);
  nocov::Fill(allm, nallm, kBlankM);
  nocov::Fill(allp, gomaxprocs, kBlankP);
  sched = schedt{};
  netpoll_ = netpollState{};
  netpollWaiters.SetRaw(0);
  for (auto& rg : pd_rg) rg.SetRaw(kPdNil);
  for (auto& c : chans) c = waitq{};
  chanlock.ResetRaw();
  worldsema.ResetRaw();
  trace.lock.ResetRaw();
  trace.gen.SetRaw(0);
  trace.lastNonZeroGen = 0;
  trace.shutdown.SetRaw(0);
  trace.exitingSyscall.SetRaw(0);
  trace.advanceSema.ResetRaw();
  for (auto& b : trace.bufs) b.in_use = false;
  trace.last_ts = 0;
  trace.nsessions = 0;
  trace.nclosed = 0;
  tracer_g = kBlankG;
  tracer_p = kBlankP;
  stats = RunStats{};
  violation.clear();
  limit_reached.clear();
  tracer_done = poller_done = false;
  tracer_op = 0;
  session_ = nullptr;
  gFree = gList{};
  nsnap_ = 0;
  for (m*& t : thread_mp_) t = nullptr;

  gomaxprocs = scen.nprocs;
  runq_size = scen.runq_size;
  for (int i = 0; i < gomaxprocs; ++i) {
    allp[i].id = i;
    allp[i].status.SetRaw(_Pidle);
  }
  nsched_m = scen.nms;
  nallm = 0;
  for (int i = 0; i < nsched_m; ++i) {
    m& mm = allm[nallm++];
    mm.id = i;
    mm.procid = i + 1;
    mm.rt = this;
    mm.name = kMNames[i];
  }
  // Ms 1..nprocs start out running P0..P(nprocs-1), as if each had been
  // woken for it; the other M slots are threads not created yet.
  for (int i = 0; i < gomaxprocs; ++i) {
    allm[i].pp = &allp[i];
    allp[i].mp = &allm[i];
    allp[i].status.SetRaw(_Prunning);
  }
  sysmon_m = nullptr;
  if (scen.sysmon) {
    sysmon_m = &allm[nallm++];
    sysmon_m->id = kMaxM;
    sysmon_m->procid = kMaxM + 1;
    sysmon_m->rt = this;
    sysmon_m->name = "sysmon";
    sysmon_m->is_sched_m = false;
  }
  tracer_m = &allm[nallm++];
  tracer_m->id = kMaxM + 1;
  tracer_m->procid = kMaxM + 2;
  tracer_m->rt = this;
  tracer_m->name = "tracer";
  tracer_m->is_sched_m = false;
  tracer_g.goid = kTracerGoid;
  tracer_g.atomicstatus.SetRaw(_Grunning);
  tracer_g.mp = tracer_m;
  tracer_p.id = gomaxprocs;
  tracer_p.status.SetRaw(_Prunning);
  tracer_m->curg = &tracer_g;
  tracer_m->trace_p = &tracer_p;

  // Goroutines that exist at the start.
  nallgs = 0;
  int rr = 0;
  for (const scenario::GoroutineSpec& spec : scen.goroutines) {
    if (nallgs >= kMaxG) break;
    g* gp = &allgs[nallgs++];
    gp->in_use = true;
    gp->goid = nallgs;
    gp->prog = spec.program < scen.programs.size() ? &scen.programs[spec.program] : nullptr;
    switch (spec.init) {
      case scenario::InitState::kRunnable: {
        gp->atomicstatus.SetRaw(_Grunnable);
        p* pp = &allp[rr++ % gomaxprocs];
        const uint32_t t = pp->runqtail.Raw();
        if (t - pp->runqhead.Raw() < runq_size) {
          pp->runq[t % runq_size] = gp;
          pp->runqtail.SetRaw(t + 1);
        } else {
          sched.runq.pushBack(gp);
          sched.runqsize++;
        }
        gp->ever_readied = 1;
        break;
      }
      case scenario::InitState::kParkedFd: {
        gp->atomicstatus.SetRaw(_Gwaiting);
        gp->waitreason = waitReason::waitReasonIOWait;
        const int fd = spec.wait_arg < scen.nfds ? spec.wait_arg : -1;
        if (fd >= 0 && pd_rg[fd].Raw() == kPdNil) {
          pd_rg[fd].SetRaw(static_cast<int32_t>(gp - allgs) + 1);
          netpollWaiters.SetRaw(netpollWaiters.Raw() + 1);
          gp->pending_swap_fd = fd;
        }
        break;
      }
      case scenario::InitState::kParkedChan: {
        gp->atomicstatus.SetRaw(_Gwaiting);
        gp->waitreason = waitReason::waitReasonChanReceive;
        gp->phase = 0;
        waitq& q = chans[spec.wait_arg % scenario::kMaxChans];
        if (q.last)
          q.last->chanlink = gp;
        else
          q.first = gp;
        q.last = gp;
        break;
      }
    }
  }
  goidgen = nallgs;
  sched.lastpoll.SetRaw(1);  // nonzero: nobody is in a blocking netpoll
}

std::string Runtime::CheckFinalInvariants(sim::RunStatus status) const {
  if (status != sim::RunStatus::kQuiescent && status != sim::RunStatus::kCompleted) return "";
  int where[kMaxG] = {};
  const char* place[kMaxG] = {};
  auto note = [&](const g* gp, const char* what) -> std::string {
    if (!gp || gp < allgs || gp >= allgs + nallgs)
      return absl::StrFormat("a non-goroutine pointer is on %s", what);
    const int i = static_cast<int>(gp - allgs);
    if (++where[i] > 1)
      return absl::StrFormat("goroutine %d is in two places: %s and %s", gp->goid, place[i], what);
    place[i] = what;
    return "";
  };
  for (int i = 0; i < gomaxprocs; ++i) {
    const p& pp = allp[i];
    const uint32_t h = pp.runqhead.Raw(), t = pp.runqtail.Raw();
    if (t - h > runq_size)
      return absl::StrFormat("P%d's run queue holds %d > %d", i, t - h, runq_size);
    for (uint32_t k = h; k != t; ++k)
      if (auto e = note(pp.runq[k % runq_size], "a local run queue"); !e.empty()) return e;
    if (g* nx = pp.runnext.Raw())
      if (auto e = note(nx, "runnext"); !e.empty()) return e;
    if (pp.mp && pp.mp->pp != &pp) return absl::StrFormat("P%d's m does not point back at it", i);
    if (pp.status.Raw() == _Prunning && !pp.mp)
      return absl::StrFormat("P%d is running without an M", i);
    if (pp.status.Raw() == _Pidle && !pp.idle)
      return absl::StrFormat("P%d is idle but not on the idle list", i);
  }
  int32_t gq = 0;
  for (const g* gp = sched.runq.head; gp; gp = gp->schedlink) {
    if (auto e = note(gp, "the global run queue"); !e.empty()) return e;
    if (++gq > kMaxG) return "the global run queue is cyclic";
  }
  if (gq != sched.runqsize)
    return absl::StrFormat("sched.runqsize is %d but the global queue holds %d", sched.runqsize,
                           gq);
  for (const waitq& q : chans)
    for (const g* gp = q.first; gp; gp = gp->chanlink)
      if (auto e = note(gp, "a wait queue"); !e.empty()) return e;
  for (int fd = 0; fd < scenario::kMaxFds; ++fd) {
    const int32_t v = pd_rg[fd].Raw();
    if (v > 0)
      if (auto e = note(&allgs[v - 1], "a descriptor"); !e.empty()) return e;
  }
  for (int i = 0; i < nallgs; ++i) {
    const g& gp = allgs[i];
    const uint32_t s = gp.atomicstatus.Raw();
    switch (s) {
      case _Grunnable:
        if (where[i] != 1)
          return absl::StrFormat("goroutine %d is runnable but on no run queue (lost)", gp.goid);
        return absl::StrFormat("goroutine %d is runnable on %s but every M is idle", gp.goid,
                               place[i]);
        break;
      case _Gwaiting:
        if (where[i] > 0 && std::strcmp(place[i], "a wait queue") != 0 &&
            std::strcmp(place[i], "a descriptor") != 0)
          return absl::StrFormat("goroutine %d is waiting but on %s", gp.goid, place[i]);
        break;
      case _Gdead:
        if (where[i] != 0)
          return absl::StrFormat("goroutine %d is dead but on %s", gp.goid, place[i]);
        break;
      default:
        return absl::StrFormat("goroutine %d is %s at the end of the run", gp.goid, GStatusName(s));
    }
  }
  return "";
}

}  // namespace schedfuzz::rt
