// The deterministic interleaving engine. It runs up to kMaxThreads virtual
// threads as fibers on one OS thread and lets exactly one run at a time. A
// thread gives up control only at a scheduling point (Engine::Point, and the
// primitives in sync.h built on it); at a point where more than one thread
// could run, the Chooser decides. The engine knows nothing about Go.
//
// A run ends when every thread has finished, when every remaining thread is
// blocked in an idle wait (quiescent: the system has nothing left to do),
// on deadlock (threads blocked, none idle-blocked... and none runnable), on
// livelock (every runnable thread is spinning and nobody else makes
// progress), when the step budget runs out, or when the code under test calls
// Abort. None of these hangs.
#ifndef SCHEDFUZZ_CORE_SIM_ENGINE_H_
#define SCHEDFUZZ_CORE_SIM_ENGINE_H_

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/sim/chooser.h"
#include "core/sim/fiber.h"

namespace schedfuzz::sim {

// What kind of access a scheduling point stands for (for step logs).
enum class OpKind : uint8_t {
  kLoad,
  kStore,
  kCas,
  kAdd,
  kExchange,
  kLock,
  kUnlock,
  kSpin,
  kYield,
  kSleep,
  kWakeup,
  kOther,
};
const char* OpKindName(OpKind k);

enum class RunStatus : uint8_t {
  kCompleted,        // every thread returned
  kQuiescent,        // the rest are blocked in idle waits
  kDeadlock,         // blocked threads, none runnable, some not idle
  kLivelock,         // only spinning threads, no progress possible
  kBudgetExhausted,  // step budget used up
  kAborted,          // Engine::Abort called (e.g. an oracle fired)
};
const char* RunStatusName(RunStatus s);

struct StepRecord {
  uint64_t step = 0;
  int thread = -1;
  OpKind op = OpKind::kOther;
  const char* site = "";  // static string: "injectglist: casgstatus"
};

struct BlockedInfo {
  int thread = -1;
  const char* site = "";
  bool idle = false;
};

struct Outcome {
  RunStatus status = RunStatus::kCompleted;
  uint64_t steps = 0;
  uint64_t decisions = 0;
  int nblocked = 0;
  std::array<BlockedInfo, kMaxThreads> blocked{};
  std::string Describe(std::span<const char* const> thread_names = {}) const;
};

struct EngineOptions {
  uint64_t step_budget = 200000;
  size_t stack_size = 256 * 1024;
  bool record_steps = false;  // keep a StepRecord per step (explain, tests)
};

class Engine;

// Primitives block through this interface; see sync.h.
struct WaitQueue {
  uint32_t waiters = 0;  // bitmask of thread ids blocked here
};

class Engine {
 public:
  using ThreadFn = void (*)(void* arg);
  using Observer = void (*)(void* ctx, const StepRecord& rec);

  explicit Engine(EngineOptions opts = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Set up a run: forget all threads (their stacks are reused).
  void Reset();
  // Adds a thread for the next Run; returns its id (0, 1, ...). `name` is a
  // static string used in reports.
  int Spawn(ThreadFn fn, void* arg, const char* name);
  Outcome Run(Chooser& chooser);

  // --- Called from inside virtual threads. ---
  // A scheduling point: the engine may switch to another thread here. The
  // operation the point stands for happens when this returns.
  void Point(OpKind op, const char* site);
  // Up to n consecutive yield points at one site with nothing in between
  // (time passing: a syscall's duration, a sleep, a unit of user work).
  // Returns how many it took, at least 1 (n >= 1): inside a granted stretch
  // (Grant) up to n of its points at once (no other thread runs in between,
  // so the caller's state cannot change), else one Point. A caller looping
  // `i += Burst(n - i, site)` is exactly n calls of Point(kYield, site): the
  // same decisions, steps and step records, without returning to the caller
  // for every predictable point.
  int Burst(int n, const char* site);
  // A spin-loop iteration that made no progress: this thread is not offered
  // to the chooser again until another thread has taken a step.
  void Spin(const char* site);
  // Blocks the calling thread on `q` until Wake/WakeAll. `idle` marks a wait
  // that is a normal resting state (an idle M), for quiescence detection.
  void Block(WaitQueue* q, const char* site, bool idle);
  void WakeAll(WaitQueue* q);
  // Ends the run now with kAborted (from inside a thread).
  [[noreturn]] void Abort();

  int current() const { return current_; }
  uint64_t step() const { return step_; }
  int nthreads() const { return nthreads_; }
  const char* thread_name(int t) const { return threads_[t].name; }
  // Where thread t is paused: the site of the point it will execute next, or
  // the wait it is blocked in ("" before it starts, "done" after it ends).
  const char* thread_site(int t) const {
    return threads_[t].state == TState::kDone ? "done" : threads_[t].site;
  }
  std::span<const char* const> thread_names() const { return {names_.data(), size_t(nthreads_)}; }

  // Decision log of the last run: the index chosen among the runnable threads
  // and the thread id, per decision.
  std::span<const uint8_t> decision_indices() const {
    if (!dec_cache_valid_) ExpandDecisions();
    return dec_index_;
  }
  std::span<const int> decision_threads() const {
    if (!dec_cache_valid_) ExpandDecisions();
    return dec_thread_;
  }
  // Per-step log of the last run (only with record_steps).
  std::span<const StepRecord> steps() const { return {step_log_.data(), nlogged_}; }

  void set_observer(Observer fn, void* ctx) {
    observer_ = fn;
    observer_ctx_ = ctx;
  }
  const EngineOptions& options() const { return opts_; }
  void set_step_budget(uint64_t b) { opts_.step_budget = b; }
  void set_record_steps(bool on);

  // The engine running on this OS thread, or null outside Run.
  static Engine* Current() { return current_engine_; }

 private:
  enum class TState : uint8_t { kUnused, kRunnable, kBlocked, kDone };
  struct Thread {
    Context ctx;
    ThreadFn fn = nullptr;
    void* arg = nullptr;
    const char* name = "";
    TState state = TState::kUnused;
    bool idle_block = false;
    const char* site = "";
    uint64_t spin_epoch = ~uint64_t{0};  // epoch at which it last spun
    int spin_count = 0;                  // spins in a row with no progress by others
    uint64_t own_steps = 0;              // its own steps since it last spun
    bool started = false;                // its fiber has run (and may hold a fake stack)
  };

  static void FiberMain(void* arg);
  // Picks the next thread to run after the current one reached a point (or
  // blocked/finished) and switches to it, or ends the run.
  void Schedule(bool current_can_run);
  [[noreturn]] void EndRun(RunStatus status);
  // EndRun's work. It never returns, but it is not declared [[noreturn]]
  // (engine.cc says why); the engine's own stops go through Stop.
  void Finish(RunStatus status);
  [[gnu::always_inline]] void Stop(RunStatus status) {
    Finish(status);
    __builtin_unreachable();
  }
  // After a run: resume every fiber left suspended so it can switch away for
  // good and ASan frees its fake stack (FibersHaveFakeStacks). `ended` is the
  // thread whose EndRun already left for good.
  void ReleaseSuspendedFibers(int ended);
  // The helpers of a decision (CollectRunnable, Record, Settle,
  // LogDecisions) are forced inline: g++ otherwise leaves them out of line,
  // and a decision without a switch then costs about 21 ns instead of 13
  // (bench/engine_bench, BM_PointDecideNoSwitch, g++-12 -O2). Defined in
  // engine.cc, the only caller.
  [[gnu::always_inline]] inline int CollectRunnable(int* out);
  // True if no other thread has taken a step since `t` last spun.
  bool SpinBlocked(const Thread& t) const {
    return t.spin_epoch != ~uint64_t{0} && epoch_ - t.spin_epoch == t.own_steps;
  }
  [[gnu::always_inline]] inline void Record(OpKind op, const char* site);
  // Point's general path.
  void SlowPoint(OpKind op, const char* site);
  // After a point: while nothing changes the runnable set, the next points of
  // the current thread decide what this one did (itself, or no decision).
  // Grant computes how many (fast_left_) so Point can take them without
  // asking the chooser; Settle does the bookkeeping those points skipped
  // (decision log, the chooser's quantum, spin epochs) and closes the
  // stretch. Everything that looks at that bookkeeping or changes the
  // runnable set settles first.
  void Grant();
  [[gnu::always_inline]] inline void Settle();
  // The position of thread t among the threads in `mask` (t's decision index
  // when `mask` is offered). Bit tricks rather than __builtin_popcount, which
  // is a libgcc call in builds without -mpopcnt.
  static uint8_t IndexAmong(uint32_t mask, int t) {
    uint32_t x = mask & ((1u << t) - 1);
    x = x - ((x >> 1) & 0x55555555u);
    x = (x & 0x33333333u) + ((x >> 2) & 0x33333333u);
    return static_cast<uint8_t>((((x + (x >> 4)) & 0x0f0f0f0fu) * 0x01010101u) >> 24);
  }

  EngineOptions opts_;
  std::vector<std::unique_ptr<FiberStack>> stacks_;
  std::array<Thread, kMaxThreads> threads_{};
  std::array<const char*, kMaxThreads> names_{};
  int nthreads_ = 0;
  int current_ = -1;
  Context host_;
  Chooser* chooser_ = nullptr;
  uint64_t step_ = 0;
  uint64_t epoch_ = 0;          // counts non-spin steps, for spin detection
  uint32_t runnable_mask_ = 0;  // threads in state kRunnable
  uint32_t spun_mask_ = 0;      // threads that may be spin-blocked
  Outcome outcome_;
  bool running_ = false;
  bool releasing_ = false;  // ReleaseSuspendedFibers is resuming fibers
  // The decision log, run-length encoded: most decisions come in long runs
  // of the same thread kept at the same index (a granted stretch), and
  // fuzzing never reads the log. decision_indices()/decision_threads()
  // expand it on demand.
  struct DecisionRun {
    uint32_t count;
    uint8_t thread;
    uint8_t index;
  };
  [[gnu::always_inline]] inline void LogDecisions(uint32_t k, int thread, int index);
  void ExpandDecisions() const;
  std::vector<DecisionRun> dec_runs_;
  size_t ndec_runs_ = 0;
  mutable std::vector<uint8_t> dec_index_;
  mutable std::vector<int> dec_thread_;
  mutable bool dec_cache_valid_ = false;
  size_t ndecisions_ = 0;
  uint32_t fast_left_ = 0;     // points left in the granted stretch
  uint32_t fast_granted_ = 0;  // its length
  bool fast_decides_ = false;  // each of its points is a decision (>1 runnable)
  uint8_t fast_index_ = 0;     // the current thread's index at those decisions
  std::vector<StepRecord> step_log_;
  size_t nlogged_ = 0;
  Observer observer_ = nullptr;
  void* observer_ctx_ = nullptr;
  static Engine* current_engine_;
};

// Free-function shorthands for code running inside a virtual thread.
inline void Point(OpKind op, const char* site) { Engine::Current()->Point(op, site); }
inline void Yield(const char* site) { Engine::Current()->Point(OpKind::kYield, site); }
inline int Burst(int n, const char* site) { return Engine::Current()->Burst(n, site); }
// n yield points at `site` (n <= 0: none).
inline void Delay(int n, const char* site) {
  for (int i = 0; i < n;) i += Burst(n - i, site);
}

}  // namespace schedfuzz::sim

#endif  // SCHEDFUZZ_CORE_SIM_ENGINE_H_
