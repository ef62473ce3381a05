// How oracles, canaries and reports watch the model. The model's functions
// hold only their Go counterparts' steps; at the moments those steps change
// what the tracer relies on (a goroutine's status word, a trace critical
// section opening or closing, an event committed, a generation switch, a
// buffer flush) the model calls the hooks installed here, and two probes name
// the places whose meaning no such generic hook carries. Whatever watches
// keeps its own state: nothing a hook needs lives in the model's structures.
#ifndef SCHEDFUZZ_CORE_RUNTIME_HOOKS_H_
#define SCHEDFUZZ_CORE_RUNTIME_HOOKS_H_

#include <cstdint>
#include <cstdlib>

#include "core/tracefmt/event.h"

namespace schedfuzz::rt {

struct g;
struct m;
struct p;

// Places in the model a probe names (Runtime::probe). Each is one moment in
// one Go function; the probe passes the objects that moment concerns.
enum class Probe : uint8_t {
  // exitsyscallfast won the CAS that takes its old P back (p: that P; gen:
  // the locker it took before the CAS, 0 if not ok).
  kExitsyscallfastTookP,
  // ProcSteal is about to be written for P `p` with a locker for `gen`
  // (before its event writer runs; p's mSyscallID is still the one recorded).
  kProcSteal,
  // The variant go65181 (go1.22rc1): a CAS just took P `p` out of _Psyscall
  // and the traceAcquire for its ProcSteal comes after it. gen 0: retake and
  // entersyscall_gcwait, always a steal; gen 1: exitsyscallfast took its own
  // old P back, a steal (ProcSteal) only if the P's syscalltick moved on
  // since the M's syscall began (exitsyscallfast_reacquired), which the
  // watcher compares. Fired at the CAS, so the generation it reads is the
  // steal's even if the M is descheduled before its traceAcquire.
  kSyscallPStolenBeforeAcquire,
  // traceAdvance has read goroutine `gp`'s status for the generation's
  // status snapshot (suspended, untraced in the generation): mp is the M it
  // is on (null if none), gen the thread id the snapshot records for it (as
  // uint64_t; the GoStatus event is written later, from the snapshot).
  kStatusSnapshot,
  // An M is about to acquire P `p` (pidleget, or Go 1.27's
  // syscallingThread.takeP/gcstopP); gen: unused, 0.
  kAcquireP,
  // A submitter has queued goroutines and done what it does to get a thread
  // for them (proc.go's "Worker thread parking/unparking": submit, then check
  // sched.nmspinning): the end of ready and newproc (gp: the goroutine
  // queued) and of injectglist (gp: null; its goroutines are those whose
  // status changed at kSiteInjectglistCas on this M since its last probe).
  // p: the submitter's P (null if it has none); gen: the Submitter.
  kSubmitted,
  // findRunnable's recheck after a spinning M dropped its P and
  // sched.nmspinning (the spinning -> non-spinning half of the parking
  // protocol): gen 1 when it begins (right after the decrement), 0 when it
  // ends (the M took a P again, or found nothing and goes on to the blocking
  // netpoll or stopm). p: null.
  kSpinningRecheck,
};

// kSubmitted's gen: which submitter.
enum class Submitter : uint8_t { kInjectglist, kReady, kNewproc };

inline const char* SubmitterName(uint64_t s) {
  switch (static_cast<Submitter>(s)) {
    case Submitter::kInjectglist: return "injectglist";
    case Submitter::kReady: return "ready";
    case Submitter::kNewproc: return "newproc";
  }
  return "?";
}

// Site labels that watchers compare by address: a status change at one of
// these is the moment a known ordering problem opens or closes.
inline constexpr char kSiteInjectglistCas[] = "injectglist: casgstatus";
inline constexpr char kSiteEntersyscallblockCas[] = "entersyscallblock: casgstatus";

// One watcher's hooks. All are optional; the model calls them at the moment
// Go's code makes the change.
struct ModelHooks {
  void* ctx = nullptr;
  // A goroutine's status word changed from `old` to `nw` (scan-bit changes
  // included) on M `mp` (null: not on a scheduler M) at `site`.
  void (*on_status)(void* ctx, g* gp, uint32_t old, uint32_t nw, m* mp, const char* site) = nullptr;
  // An event was committed to a buffer for `gen` by M `mp` (null: M-less).
  void (*on_event)(void* ctx, const tracefmt::Event& ev, uint64_t gen, m* mp) = nullptr;
  // traceAcquire on `mp` returned a locker for `gen`; 0: not ok (tracing
  // off), and no traceRelease follows.
  void (*on_acquire)(void* ctx, m* mp, uint64_t gen) = nullptr;
  void (*on_release)(void* ctx, m* mp, uint64_t gen) = nullptr;
  // traceAdvance switched generations: old -> new (0 when stopping); StartTrace: 0 -> first.
  void (*on_gen_switch)(void* ctx, uint64_t old_gen, uint64_t new_gen) = nullptr;
  // traceAdvance flushed generation `gen` of M `mp`.
  void (*on_flush)(void* ctx, m* mp, uint64_t gen) = nullptr;
  void (*on_probe)(void* ctx, Probe what, m* mp, const g* gp, const p* pp, uint64_t gen) = nullptr;
};

// The installed watchers, called in the order they were added: reports
// first, then canaries, then the oracles, because an oracle's hook may end
// the run on the spot and everything before it must have seen the moment.
// Each hook keeps its own list of the watchers that set it, so a call costs
// one indirect call per interested watcher and nothing for the others.
class HookList {
 public:
  static constexpr int kMaxWatchers = 4;

  template <typename Fn>
  class Slots {
   public:
    // Forced inline: it runs at every status change, traceAcquire and event,
    // and an out-of-line copy per hook type costs a call more each time.
    template <typename... Args>
    [[gnu::always_inline]] void operator()(const Args&... args) const {
      for (int i = 0; i < n_; ++i) fn_[i](ctx_[i], args...);
    }

   private:
    friend class HookList;
    void Add(Fn fn, void* ctx) {
      if (!fn) return;
      fn_[n_] = fn;
      ctx_[n_++] = ctx;
    }
    Fn fn_[kMaxWatchers] = {};
    void* ctx_[kMaxWatchers] = {};
    int n_ = 0;
  };

  void Clear() { *this = HookList{}; }
  void Add(const ModelHooks& h) {
    if (watchers_ == kMaxWatchers) std::abort();  // a wiring error, not an input's
    watchers_++;
    on_status.Add(h.on_status, h.ctx);
    on_event.Add(h.on_event, h.ctx);
    on_acquire.Add(h.on_acquire, h.ctx);
    on_release.Add(h.on_release, h.ctx);
    on_gen_switch.Add(h.on_gen_switch, h.ctx);
    on_flush.Add(h.on_flush, h.ctx);
    on_probe.Add(h.on_probe, h.ctx);
  }

  Slots<decltype(ModelHooks::on_status)> on_status;
  Slots<decltype(ModelHooks::on_event)> on_event;
  Slots<decltype(ModelHooks::on_acquire)> on_acquire;
  Slots<decltype(ModelHooks::on_release)> on_release;
  Slots<decltype(ModelHooks::on_gen_switch)> on_gen_switch;
  Slots<decltype(ModelHooks::on_flush)> on_flush;
  Slots<decltype(ModelHooks::on_probe)> on_probe;

 private:
  int watchers_ = 0;
};

}  // namespace schedfuzz::rt

#endif  // SCHEDFUZZ_CORE_RUNTIME_HOOKS_H_
