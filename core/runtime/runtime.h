// The Go scheduler core as a deterministic model: goroutines (g), threads
// (m), processors (p) and the global scheduler state (schedt), with Go's
// names, fields and step order. Every access Go makes atomically or under a
// lock is a scheduling point (core/sim/sync.h); plain data Go protects with a
// lock is plain data here too.
//
// One Runtime object holds what Go keeps in globals (sched, allp, allm, allgs,
// trace). Its methods carry the Go function names; each says in one line which
// Go function it models. Runtime holds what Go 1.22 and Go 1.27 share (the
// line numbers are go1.22.4's; go1.27.4's code is the same there unless a
// comment says otherwise). Where the releases differ, the function is virtual
// and each release implements it in its own files: class Go122
// (core/runtime/go122, core/trace/go122) and class Go127 (core/runtime/go127,
// core/trace/go127). NewRuntime builds the one a variant asks for.
// docs/model.md lists every simplification.
//
// Threads: each M is a virtual thread (a fiber) that loops in schedule(). A
// goroutine has no stack of its own: the M running it interprets its program
// (core/runtime/program.cc), which is what gogo/mcall reduce to here. Three
// more virtual threads stand for things outside the scheduler's Ms: sysmon,
// the tracer's controlling goroutine (StartTrace, the periodic advancer,
// StopTrace) and the kernel's poller that makes descriptors ready.
#ifndef SCHEDFUZZ_CORE_RUNTIME_RUNTIME_H_
#define SCHEDFUZZ_CORE_RUNTIME_RUNTIME_H_

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"

#include "core/runtime/hooks.h"
#include "core/runtime/machine.h"
#include "core/runtime/variant.h"
#include "core/sim/engine.h"
#include "core/sim/sync.h"
#include "core/trace/state.h"

namespace schedfuzz::rt {

// Goroutine status values (runtime2.go).
enum : uint32_t {
  _Gidle = 0,
  _Grunnable = 1,
  _Grunning = 2,
  _Gsyscall = 3,
  _Gwaiting = 4,
  _Gdead = 6,
  _Gcopystack = 8,
  _Gpreempted = 9,
  _Gscan = 0x1000,
  _Gscanrunnable = _Gscan + _Grunnable,
  _Gscanrunning = _Gscan + _Grunning,
  _Gscansyscall = _Gscan + _Gsyscall,
  _Gscanwaiting = _Gscan + _Gwaiting,
};
const char* GStatusName(uint32_t s);

// P status values (runtime2.go).
enum : uint32_t { _Pidle = 0, _Prunning = 1, _Psyscall = 2, _Pgcstop = 3, _Pdead = 4 };
const char* PStatusName(uint32_t s);

// Wait reasons (runtime2.go waitReason): the ones the model's goroutines
// park with, and the ones Go's runtime gives a goroutine that is still
// running, on the system stack, while it lets the GC or the tracer take its
// stack (the tracer's status mapping reports those as running; Go 1.27 names
// them isWaitingForSuspendG). Of the second kind the model sets
// waitReasonGarbageCollection (gcMarkTermination, both releases) and
// waitReasonStoppingTheWorld (Go 1.27's stopTheWorldWithSema, for the
// collector's goroutine); the others have no path in the model (no mark
// workers or assists, no forEachP from a goroutine, no page tracer, the
// tracer's own goroutine is special: docs/model.md) and are here for
// goStatusToTraceGoStatus.
enum class waitReason : uint8_t {
  waitReasonZero,
  waitReasonIOWait,
  waitReasonChanReceive,
  waitReasonPreempted,
  waitReasonStoppingTheWorld,
  waitReasonTraceGoroutineStatus,
  waitReasonGarbageCollection,
  waitReasonGarbageCollectionScan,
  waitReasonGCAssistMarking,
  waitReasonGCWorkerActive,
  waitReasonGCMarkTermination,
  waitReasonFlushProcCaches,
  waitReasonTraceProcStatus,
  waitReasonPageTraceFlush,
};
inline constexpr int kNumWaitReasons = 14;
const char* WaitReasonString(waitReason r);

// Why the world is stopped (proc.go stwReason), for the reasons the model
// stops it: StartTrace, and the garbage collector's two stops.
enum class stwReason : uint8_t {
  stwStartTrace,   // "start trace"
  stwGCMarkTerm,   // "GC mark termination"
  stwGCSweepTerm,  // "GC sweep termination"
};
const char* StwReasonString(stwReason r);

struct m;
struct p;

inline constexpr int kMaxG = kMaxGoroutines;
// `go` statements that create a goroutine, per run (model bound).
inline constexpr int kMaxGoCreates = 16;
inline constexpr int kMaxM = kMaxMs;
// Variant go65196 writes an M's m.id where a thread id belongs; the model
// shifts it by this much so it cannot equal one of its (small) thread ids,
// as m.id and the kernel's thread ids do not meet in a real process.
inline constexpr int64_t kMIdAsThreadBase = 1000;
inline constexpr int kMaxP = kMaxProcs;
inline constexpr int kRunqCap = kMaxRunqSize;

struct g {
  sim::Atomic<uint32_t> atomicstatus;
  int64_t goid = 0;
  g* schedlink = nullptr;
  waitReason waitreason = waitReason::waitReasonZero;
  m* mp = nullptr;  // g.m
  traceSchedResourceState trace;
  // Model-only: the goroutine's program and where it is in it.
  const std::vector<Op>* prog = nullptr;
  int pc = 0;
  int phase = 0;             // progress inside the current op (work steps, park/resume)
  bool preempt = false;      // g.preempt: stop at the next preemption check
  g* chanlink = nullptr;     // link in a waitq (sudog list, reduced)
  int pending_swap_fd = -1;  // started parked on this fd (see Setup)
  bool in_use = false;       // allocated in allgs (not a free slot)
  // g.syscallsp != 0: between entersyscall and the exitsyscall that gets a P
  // (Go 1.27's ProcSteal reads it to tell a steal for oneself from a retake).
  bool syscallsp = false;
};

class Runtime;
struct p;

struct m {
  int id = 0;  // also the trace's M id (Go uses procid)
  int64_t procid = 0;
  g* curg = nullptr;
  p* pp = nullptr;  // m.p
  p* nextp = nullptr;
  p* oldp = nullptr;
  int locks = 0;
  bool spinning = false;
  uint32_t syscalltick = 0;
  g* resume_g = nullptr;  // execute(resume_g) next: a "never returns" call
  bool resume_inherit = false;
  p* trace_p = nullptr;  // the tracer's M: the P its events are attributed to
  Runtime* rt = nullptr;
  sim::Note park;
  m* schedlink = nullptr;
  mTraceState trace;
  int thread = -1;               // engine thread id
  bool started = false;          // the virtual thread has entered the scheduler
  bool is_sched_m = true;        // false for sysmon and the tracer's M
  bool exiting_syscall = false;  // counted in trace.exitingSyscall (exitsyscall0)
  const char* name = "";
};

struct pTraceState : traceSchedResourceState {
  int64_t mSyscallID = -1;
};

struct p {
  int32_t id = 0;
  sim::Atomic<uint32_t> status;
  p* link = nullptr;
  m* mp = nullptr;  // p.m (back-link to the M, nil if idle)
  uint32_t schedtick = 0;
  sim::Atomic<uint32_t> syscalltick;
  sim::Atomic<uint32_t> runSafePointFn;
  bool idle = false;              // on sched.pidle (Go's idlepMask)
  uint32_t sysmon_schedtick = 0;  // p.sysmontick
  uint32_t sysmon_syscalltick = 0;
  sim::Atomic<uint32_t> runqhead;
  sim::Atomic<uint32_t> runqtail;
  g* runq[kRunqCap] = {};
  sim::Atomic<g*> runnext;
  pTraceState trace;
};

// gList: a singly linked stack of Gs through g.schedlink (proc.go).
struct gList {
  g* head = nullptr;
  bool empty() const { return head == nullptr; }
  void push(g* gp) {
    gp->schedlink = head;
    head = gp;
  }
  g* pop() {
    g* gp = head;
    if (gp) head = gp->schedlink;
    return gp;
  }
};

// gQueue: a FIFO of Gs through g.schedlink (proc.go).
struct gQueue {
  g* head = nullptr;
  g* tail = nullptr;
  bool empty() const { return head == nullptr; }
  void push(g* gp);
  void pushBack(g* gp);
  void pushBackAll(gQueue q2);
  g* pop();
  gList popList();
};

struct schedt {
  sim::Mutex lock;
  m* midle = nullptr;
  int32_t nmidle = 0;
  p* pidle = nullptr;
  sim::Atomic<int32_t> npidle;
  sim::Atomic<int32_t> nmspinning;
  gQueue runq;
  int32_t runqsize = 0;
  sim::Atomic<uint32_t> gcwaiting;
  int32_t stopwait = 0;
  sim::Note stopnote;
  sim::Mutex sysmonlock;
  int32_t safePointWait = 0;
  sim::Note safePointNote;
  sim::Atomic<int64_t> lastpoll;  // 0 while some M is in a blocking netpoll
};

// A wait queue that goroutines park on and kReadyChan wakes (a channel's
// receive queue, reduced to what the scheduler sees).
struct waitq {
  g* first = nullptr;
  g* last = nullptr;
};

// The model's netpoller: descriptors with at most one parked goroutine each
// (pollDesc.rg), and batches the kernel makes ready together.
struct netpollState {
  sim::Mutex mu;                 // the epoll instance
  int batch_ready = 0;           // batches the kernel made ready so far
  bool taken[kMaxBatches] = {};  // returned by a netpoll call
  sim::Note wake;                // wakes a blocking netpoll
  bool blocked_waiter = false;   // some M sleeps in a blocking netpoll
  int inject_paths_seen = 0;     // bitmask of PollPath values that took a batch
};

// pollDesc.rg values (netpoll.go): a goroutine is stored as its allgs index+1.
inline constexpr int32_t kPdNil = 0;
inline constexpr int32_t kPdReady = -1;
inline constexpr int32_t kPdWait = -2;

// Trace string ids (the model registers the same table every generation).
inline constexpr uint64_t kStrNetwork = 1;
inline constexpr uint64_t kStrChanRecv = 2;
inline constexpr uint64_t kStrGosched = 3;
inline constexpr uint64_t kStrPreempted = 4;
inline constexpr uint64_t kStrStartTrace = 5;
inline constexpr int kNumTraceStrings = 5;
extern const char* const kTraceStrings[kNumTraceStrings];
// The garbage collector's stop-the-world reasons. Go registers a string the
// first time a generation uses it; the model writes these two only in the
// generations whose STWBegin events name them (traceState::gcStrings), so
// traces without a GC keep the table above.
inline constexpr uint64_t kStrGCMarkTerm = 6;
inline constexpr uint64_t kStrGCSweepTerm = 7;

inline constexpr int32_t kFreezeStopWait = 0x7fffffff;
inline constexpr int64_t kTracerGoid = 10000;  // the tracer's own goroutine

// traceLocker (trace2runtime.go): the result of traceAcquire.
struct traceLocker {
  m* mp = nullptr;
  uint64_t gen = 0;
  bool ok() const { return gen != 0; }
};

class Runtime {
 public:
  Runtime();
  virtual ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // Build the machine for a scenario and spawn its virtual threads on `e`.
  // `mc` must outlive the run.
  void Setup(const Machine& mc, const Variant& v, sim::Engine* e);
  // Setup's parts, for unit tests that run their own threads on the model:
  // Init builds the machine without spawning; BindThreadToM makes an engine
  // thread act as an M (curm()).
  void Init(const Machine& mc, const Variant& v, sim::Engine* e);
  void BindThreadToM(int thread, m* mp);
  // The traces of the run: one per StartTrace..StopTrace session.
  std::span<const tracefmt::Trace> sessions() const {
    return {trace.sessions, size_t(trace.nsessions)};
  }

  // --- state (Go's globals) ---
  schedt sched;
  p allp[kMaxP];
  int32_t gomaxprocs = 1;
  m allm[kMaxM + 2];  // scheduler Ms, then sysmon's and the tracer's
  int nallm = 0;
  int nsched_m = 0;
  g allgs[kMaxG];
  int nallgs = 0;  // slots handed out so far
  int64_t goidgen = 0;
  gList gFree;  // dead Gs for reuse (p.gFree and sched.gFree merged)
  netpollState netpoll_;
  sim::Atomic<int32_t> netpollWaiters;
  sim::Atomic<int32_t> pd_rg[kMaxFds];
  waitq chans[kMaxChans];
  sim::Mutex chanlock;  // one lock for all wait queues
  sim::Mutex worldsema;
  sim::Mutex gcsema;  // held from gcStart to the end of gcMarkTermination
  traceState trace;
  g tracer_g;                     // the tracer's goroutine (not in allgs)
  p tracer_p;                     // the P the tracer's goroutine runs on (not in allp)
  uint32_t runq_size = kRunqCap;  // ring capacity (power of two)
  const Variant* variant = nullptr;
  // Whether injectglist ends its with-a-P path with wakep(), as go1.23 and
  // later do (Go issue 63555's fix; go1.27.4 proc.go:4145): a P may have gone
  // idle after injectglist read sched.npidle, and the goroutines it then left
  // on its own P's queue would wait with a P idle and no M spinning. A
  // property of the release, not of a variant: go1.22.x (go1.22.12 included)
  // has no such call, every go1.27 does. Go127's constructor sets it.
  bool injectglist_ends_with_wakep = false;
  const Machine* machine = nullptr;
  sim::Engine* engine = nullptr;
  HookList hooks;    // reports, canaries and oracles watching this run (hooks.h)
  int ncreated = 0;  // goroutines created by newproc this run (model bound kMaxGoCreates)
  m* sysmon_m = nullptr;
  m* tracer_m = nullptr;
  bool tracer_done = false;
  bool poller_done = false;
  int tracer_op = 0;          // index of the tracer op under way (reports)
  std::string violation;      // a model-internal throw (Go would crash)
  std::string limit_reached;  // the run hit a model bound (not a finding)

  // getg().m: the M of the running virtual thread (null for the host and for
  // threads that are not Ms). A table lookup without branches: it runs at
  // almost every step, and inlined branches would add coverage edges.
  [[gnu::always_inline]] m* curm() const { return thread_mp_[engine->current() + 1]; }

  // --- proc.go: goroutine status (gstatus.cc) ---
  uint32_t readgstatus(g* gp, const char* site);
  void casgstatus(g* gp, uint32_t oldval, uint32_t newval, const char* site);
  void casGToWaiting(g* gp, uint32_t old, waitReason reason, const char* site);
  bool castogscanstatus(g* gp, uint32_t oldval, uint32_t newval, const char* site);
  void casfrom_Gscanstatus(g* gp, uint32_t oldval, uint32_t newval, const char* site);
  struct suspendGState {
    g* gp = nullptr;
    bool dead = false;
    bool stopped = false;
  };
  suspendGState suspendG(g* gp);
  void resumeG(suspendGState state);

  // --- proc.go: scheduler (proc.cc) ---
  void schedule();
  g* findRunnable(bool* inheritTime, bool* tryWakeP);
  g* stealWork(bool* inheritTime, bool* newWork);
  void execute(g* gp, bool inheritTime);
  void ready(g* gp, int traceskip, bool next);
  void goready(g* gp, int traceskip) { ready(gp, traceskip, true); }
  // Per release (go122/proc.cc, go127/proc.cc): the event and the status
  // change out of _Grunning come in a different order.
  virtual void goschedImpl(g* gp) = 0;
  virtual void goyield_m(g* gp) = 0;
  void goexit1();
  void goexit0(g* gp);
  void gdestroy(g* gp);
  g* newproc1(int program, g* callergp);
  void newproc(int program);
  void injectglist(gList* glist);
  void startm(p* pp, bool spinning, bool lockheld);
  void wakep();
  void stopm();
  void handoffp(p* pp);
  void acquirep(p* pp);
  void wirep(p* pp);
  p* releasep();
  p* releasepNoTrace();
  void dropg();
  void mput(m* mp);
  m* mget();
  void pidleput(p* pp);
  p* pidleget();
  p* pidlegetSpinning();
  void runSafePointFn();

  // --- proc.go: run queues (runq.cc) ---
  void runqput(p* pp, g* gp, bool next);
  bool runqputslow(p* pp, g* gp, uint32_t h, uint32_t t);
  void runqputbatch(p* pp, gQueue* q, int qsize);
  g* runqget(p* pp, bool* inheritTime);
  bool runqempty(p* pp);
  uint32_t runqgrab(p* pp, g** batch, uint32_t batchHead, bool stealRunNextG);
  g* runqsteal(p* pp, p* p2, bool stealRunNextG);
  void globrunqput(g* gp);
  void globrunqputbatch(gQueue* batch, int32_t n);
  g* globrunqget(p* pp, int32_t max);

  // --- proc.go: syscalls (per release: go122/syscall.cc, go127/syscall.cc) ---
  virtual void entersyscall() = 0;
  virtual void entersyscallblock() = 0;
  // True if the goroutine keeps running on this M; false if the slow path
  // took over (the goroutine was queued or is to be executed by this M's
  // loop, and the caller must leave the goroutine).
  virtual bool exitsyscall() = 0;
  virtual uint32_t retake() = 0;

  // --- proc.go: stop the world, forEachP (stw.cc; per release where noted) ---
  void preemptall();
  // From the tracer's P-less M (stwStartTrace) or from a goroutine on its P
  // (the garbage collector), which stops its own P too.
  virtual void stopTheWorldWithSema(stwReason reason) = 0;
  void startTheWorldWithSema();
  virtual void forEachP() = 0;

  // --- mgc.go: a garbage collection cycle as runtime.GC runs it (mgc.cc) ---
  // True when the cycle is over; false when the goroutine must leave its M
  // (it yielded to wait for a semaphore, or was preempted) and run the op
  // again later, from where it left off (g.phase).
  bool gcCycle(g* gp);
  bool gcStart(g* gp);
  bool gcMarkDone(g* gp);
  void gcMarkTermination();

  // --- netpoll (netpoll.cc) and sysmon (sysmon.cc) ---
  gList netpoll(bool block, PollPath path, int* delta);
  bool netpollAnyWaiters();
  void sysmon();

  // --- goroutine programs (program.cc) ---
  enum class ParkCommit : uint8_t { kNetpoll, kChanUnlock };
  // gopark + park_m; true if the goroutine sleeps.
  // Per release (go122/proc.cc, go127/proc.cc).
  virtual bool gopark_m(g* gp, waitReason reason, ParkCommit commit, int arg) = 0;
  // park_m's unlock function (netpollblockcommit, chanparkcommit).
  bool waitunlockf(g* gp, ParkCommit commit, int arg);
  // Runs gp's program until it leaves the M.
  void runG(g* gp);

  // --- trace2runtime.go / trace2event.go (core/trace/events.cc) ---
  traceLocker traceAcquire();
  virtual traceLocker traceAcquireEnabled() = 0;
  virtual void traceRelease(traceLocker tl) = 0;
  bool traceEnabled(const char* site) { return trace.gen.Load(site) != 0; }
  void tlGoCreate(traceLocker tl, g* newg);
  void tlGoStart(traceLocker tl);
  void tlGoEnd(traceLocker tl);
  void tlGoSched(traceLocker tl);
  void tlGoPreempt(traceLocker tl);
  void tlGoPark(traceLocker tl, waitReason reason);
  void tlGoUnpark(traceLocker tl, g* gp);
  void tlGoSysCall(traceLocker tl);
  void tlGoSysExit(traceLocker tl, bool lostP);
  void tlProcStart(traceLocker tl);
  void tlProcStop(traceLocker tl, p* pp);
  void tlProcSteal(traceLocker tl, p* pp, bool inSyscall);
  void tlGomaxprocs(traceLocker tl);
  void tlSTWStart(traceLocker tl, stwReason reason);
  void tlSTWDone(traceLocker tl);
  void writeProcStatusForP(traceLocker tl, p* pp, bool inSTW);
  // goStatusToTraceGoStatus: the status a goroutine's runtime status and wait
  // reason are traced as (per release: core/trace/go122/status.cc,
  // core/trace/go127/status.cc); kBad where Go throws (dead, idle).
  virtual tracefmt::GoStatus goStatusToTraceGoStatus(uint32_t status, waitReason wr) const = 0;
  int eventWriter(traceLocker tl, tracefmt::GoStatus goStatus, tracefmt::ProcStatus procStatus);
  void commit(int buf, traceLocker tl, tracefmt::EvType t, uint64_t a0 = 0, uint64_t a1 = 0,
              uint64_t a2 = 0);
  int writerBuf(m* mp, uint64_t gen);
  int allocBuf(uint64_t gen, uint64_t mid);
  void flushBuf(int buf);
  uint64_t traceClock();
  uint64_t reasonString(waitReason r);

  // --- trace2.go (per release: core/trace/go122/advance.cc, go127/advance.cc) ---
  virtual bool StartTrace() = 0;
  void StopTrace();
  virtual void traceAdvance(bool stopTrace) = 0;
  void safePointFn(p* pp);

  // Thread bodies.
  static void MThread(void* arg);
  static void SysmonThread(void* arg);
  static void TracerThread(void* arg);
  static void PollerThread(void* arg);

  // A probe (hooks.h): tells the watchers that this run is at `what`.
  void probe(Probe what, m* mp, const g* gp, const p* pp, uint64_t gen) const {
    hooks.on_probe(what, mp, gp, pp, gen);
  }
  // A model-internal crash (Go's throw): record it and end the run. The run
  // ends by abandoning the fiber's stack, so the message is formatted
  // straight into `violation`: nothing heap-owning may be alive on the stack.
  [[noreturn]] void throw_(const char* msg);
  template <typename... Args>
  [[noreturn]] void throwf(const absl::FormatSpec<Args...>& format, const Args&... args) {
    if (violation.empty()) absl::StrAppendFormat(&violation, format, args...);
    engine->Abort();
  }

 protected:
  struct UntracedG {
    g* gp = nullptr;
    int64_t goid = 0;
    int64_t mid = -1;
    uint32_t status = 0;
    waitReason waitreason = waitReason::waitReasonZero;
  };
  void openSession();
  void writeFrequency(uint64_t gen);
  void writeStrings(uint64_t gen);
  // The snapshot pass of traceAdvance (both releases): every goroutine
  // without a status in the generation, as suspendG found it.
  void snapshotUntracedGs(uint64_t gen);
  // The late status pass: a GoStatus for each snapshot entry still untraced.
  void writeUntracedStatuses(uint64_t gen);
  // traceAdvance's generation switch (both releases): gen becomes the last
  // non-zero generation, and trace.gen moves on, or to 0 for StopTrace.
  void switchGeneration(uint64_t gen, bool stopTrace);
  // traceAdvance's flush: every M's buffer for gen, each once the M is
  // outside its trace critical section (mTraceWriting).
  void flushAllMs(uint64_t gen);
  // Whether mp is inside a trace critical section, as traceAdvance reads it
  // (Go 1.22: an odd seqlock; Go 1.27: the writing flag).
  virtual bool mTraceWriting(m* mp) = 0;
  tracefmt::Trace* session_ = nullptr;  // the open session's output
  UntracedG snap_[kMaxG + 1];
  int nsnap_ = 0;

 private:
  m* thread_mp_[sim::kMaxThreads + 1] = {};  // engine thread + 1 -> its M (or null)
};

// The model of a release's runtime, with no variant switched on yet (Setup
// takes the variant, which must be of the same release).
std::unique_ptr<Runtime> NewRuntime(Release r);

}  // namespace schedfuzz::rt

#endif  // SCHEDFUZZ_CORE_RUNTIME_RUNTIME_H_
