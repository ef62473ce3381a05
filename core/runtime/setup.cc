// Building the machine from its description, the thread-to-M map, and the
// model's throw.
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

void Runtime::throw_(const char* msg) {
  if (violation.empty()) violation = msg;
  engine->Abort();
}

void Runtime::Setup(const Machine& mc, const Variant& v, sim::Engine* e) {
  Init(mc, v, e);
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
  if (!mc.batches.empty()) e->Spawn(&Runtime::PollerThread, this, "poller");
}

void Runtime::BindThreadToM(int thread, m* mp) {
  mp->thread = thread;
  thread_mp_[thread + 1] = mp;
}

void Runtime::Init(const Machine& mc, const Variant& v, sim::Engine* e) {
  machine = &mc;
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
  gcsema.ResetRaw();
  trace.lock.ResetRaw();
  trace.gen.SetRaw(0);
  trace.lastNonZeroGen = 0;
  trace.shutdown.SetRaw(0);
  trace.exitingSyscall.SetRaw(0);
  trace.advanceSema.ResetRaw();
  for (auto& b : trace.bufs) b.in_use = false;
  trace.last_ts = 0;
  trace.gcStrings[0] = trace.gcStrings[1] = 0;
  nocov::Clear(trace.written);
  trace.nsessions = 0;
  trace.nclosed = 0;
  tracer_g = kBlankG;
  tracer_p = kBlankP;
  ncreated = 0;
  violation.clear();
  limit_reached.clear();
  tracer_done = poller_done = false;
  tracer_op = 0;
  session_ = nullptr;
  gFree = gList{};
  nsnap_ = 0;
  for (m*& t : thread_mp_) t = nullptr;

  gomaxprocs = mc.nprocs;
  runq_size = mc.runq_size;
  for (int i = 0; i < gomaxprocs; ++i) {
    allp[i].id = i;
    allp[i].status.SetRaw(_Pidle);
  }
  nsched_m = mc.nms;
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
  if (mc.sysmon) {
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
  for (const GoroutineSpec& spec : mc.goroutines) {
    if (nallgs >= kMaxG) break;
    g* gp = &allgs[nallgs++];
    gp->in_use = true;
    gp->goid = nallgs;
    gp->prog = spec.program < mc.programs.size() ? &mc.programs[spec.program] : nullptr;
    switch (spec.init) {
      case InitState::kRunnable: {
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
        break;
      }
      case InitState::kParkedFd: {
        gp->atomicstatus.SetRaw(_Gwaiting);
        gp->waitreason = waitReason::waitReasonIOWait;
        const int fd = spec.wait_arg < mc.nfds ? spec.wait_arg : -1;
        if (fd >= 0 && pd_rg[fd].Raw() == kPdNil) {
          pd_rg[fd].SetRaw(static_cast<int32_t>(gp - allgs) + 1);
          netpollWaiters.SetRaw(netpollWaiters.Raw() + 1);
          gp->pending_swap_fd = fd;
        }
        break;
      }
      case InitState::kParkedChan: {
        gp->atomicstatus.SetRaw(_Gwaiting);
        gp->waitreason = waitReason::waitReasonChanReceive;
        gp->phase = 0;
        waitq& q = chans[spec.wait_arg % kMaxChans];
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

}  // namespace schedfuzz::rt
