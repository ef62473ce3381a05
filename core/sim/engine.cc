#include "core/sim/engine.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_format.h"

namespace schedfuzz::sim {

namespace {

// The engine leaves a fiber for good (a thread's exit, the end of a run)
// through this helper, and nothing on that path is declared [[noreturn]] or
// can be inferred to be (EndRun's work is Finish; SwitchFinal is not declared
// noreturn, fiber.h). In ASan-compiled code the compiler puts
// __asan_handle_no_return before every call to a function it knows does not
// return, declared or inferred (clang-14's ASan pass runs after attribute
// inference); it unpoisons the whole current stack and makes a sigaltstack
// system call, which would cost that at every thread's exit in every run.
// Leaving a fiber needs none of it: SwitchFinal tells ASan about the switch
// itself (fiber.cc). The helper is compiled without ASan, so its own call to
// SwitchFinal gets no handler either.
__attribute__((no_sanitize("address"), noinline)) void LeaveFiber(Context* from, Context* to) {
  SwitchFinal(from, to);
}

}  // namespace

Engine* Engine::current_engine_ = nullptr;

const char* OpKindName(OpKind k) {
  switch (k) {
    case OpKind::kLoad: return "load";
    case OpKind::kStore: return "store";
    case OpKind::kCas: return "cas";
    case OpKind::kAdd: return "add";
    case OpKind::kExchange: return "xchg";
    case OpKind::kLock: return "lock";
    case OpKind::kUnlock: return "unlock";
    case OpKind::kSpin: return "spin";
    case OpKind::kYield: return "yield";
    case OpKind::kSleep: return "sleep";
    case OpKind::kWakeup: return "wakeup";
    case OpKind::kOther: return "op";
  }
  return "?";
}

const char* RunStatusName(RunStatus s) {
  switch (s) {
    case RunStatus::kCompleted: return "completed";
    case RunStatus::kQuiescent: return "quiescent";
    case RunStatus::kDeadlock: return "deadlock";
    case RunStatus::kLivelock: return "livelock";
    case RunStatus::kBudgetExhausted: return "step budget exhausted";
    case RunStatus::kAborted: return "aborted";
  }
  return "?";
}

std::string Outcome::Describe(std::span<const char* const> names) const {
  std::string s =
      absl::StrFormat("%s after %d steps, %d decisions", RunStatusName(status), steps, decisions);
  for (int i = 0; i < nblocked; ++i) {
    const BlockedInfo& b = blocked[i];
    const char* name = b.thread < static_cast<int>(names.size()) ? names[b.thread] : "";
    absl::StrAppendFormat(&s, "\n  thread %d%s%s%s %s at %s", b.thread, *name ? " (" : "", name,
                          *name ? ")" : "", b.idle ? "idle" : "blocked", b.site);
  }
  return s;
}

Engine::Engine(EngineOptions opts) : opts_(opts) {
  // Every stack up front (mmap reserves; pages are touched only when used),
  // so that a run with more threads than any before takes no extra path.
  for (int i = 0; i < kMaxThreads; ++i)
    stacks_.push_back(std::make_unique<FiberStack>(opts_.stack_size));
  dec_runs_.resize(opts_.step_budget + 1);
  if (opts_.record_steps) step_log_.resize(opts_.step_budget + 1);
}

Engine::~Engine() = default;

void Engine::set_record_steps(bool on) {
  opts_.record_steps = on;
  if (on && step_log_.size() < opts_.step_budget + 1) step_log_.resize(opts_.step_budget + 1);
}

void Engine::Reset() {
  // Every slot, not just the last run's threads: the work done here must not
  // depend on the previous input (AFL++ stability).
  for (Thread& t : threads_) t = Thread{};
  nthreads_ = 0;
}

int Engine::Spawn(ThreadFn fn, void* arg, const char* name) {
  if (nthreads_ >= kMaxThreads) {
    std::fprintf(stderr, "schedfuzz: more than %d virtual threads\n", kMaxThreads);
    std::abort();
  }
  const int id = nthreads_++;
  while (static_cast<int>(stacks_.size()) <= id)
    stacks_.push_back(std::make_unique<FiberStack>(opts_.stack_size));
  Thread& t = threads_[id];
  t = Thread{};
  t.fn = fn;
  t.arg = arg;
  t.name = name;
  t.state = TState::kRunnable;
  names_[id] = name;
  return id;
}

void Engine::FiberMain(void* arg) {
  auto* e = static_cast<Engine*>(arg);
  FiberStarted(&e->host_);
  Thread& t = e->threads_[e->current_];
  t.started = true;
  t.fn(t.arg);
  e->Settle();
  t.state = TState::kDone;
  e->runnable_mask_ &= ~(1u << e->current_);
  e->epoch_++;
  e->Schedule(false);
  __builtin_unreachable();
}

Outcome Engine::Run(Chooser& chooser) {
  if (dec_runs_.size() < opts_.step_budget + 1) dec_runs_.resize(opts_.step_budget + 1);
  dec_cache_valid_ = false;
  if (opts_.record_steps && step_log_.size() < opts_.step_budget + 1)
    step_log_.resize(opts_.step_budget + 1);
  current_engine_ = this;
  chooser_ = &chooser;
  chooser.Begin();
  step_ = 0;
  epoch_ = 0;
  ndecisions_ = 0;
  ndec_runs_ = 0;
  fast_left_ = fast_granted_ = 0;
  runnable_mask_ = 0;
  spun_mask_ = 0;
  nlogged_ = 0;
  outcome_ = Outcome{};
  for (int i = 0; i < nthreads_; ++i) {
    Thread& t = threads_[i];
    t.state = TState::kRunnable;
    runnable_mask_ |= 1u << i;
    t.idle_block = false;
    t.site = "start";
    t.spin_epoch = ~uint64_t{0};
    t.spin_count = 0;
    t.own_steps = 0;
    t.started = false;
    MakeContext(&t.ctx, stacks_[i].get(), &Engine::FiberMain, this);
  }
  running_ = true;
  if (nthreads_ == 0) {
    running_ = false;
    current_engine_ = nullptr;
    return outcome_;
  }
  current_ = -1;
  // The first decision is made from the host: which thread starts.
  int runnable[kMaxThreads];
  const int n = CollectRunnable(runnable);
  int first = runnable[0];
  if (n > 1) {
    ChoicePoint p{std::span<const int>(runnable, n), -1, step_, ndecisions_};
    first = chooser.Choose(p);
    int idx = 0;
    while (runnable[idx] != first) ++idx;
    LogDecisions(1, first, idx);
  }
  current_ = first;
  SwitchTo(&host_, &threads_[first].ctx);
  // Back from EndRun.
  // current_ is still the thread whose EndRun switched back here.
  if (FibersHaveFakeStacks()) ReleaseSuspendedFibers(current_);
  for (int i = 0; i < nthreads_; ++i)
    if (threads_[i].started) stacks_[i]->NoteAbandonedAt(threads_[i].ctx.sp);
  running_ = false;
  current_engine_ = nullptr;
  chooser_ = nullptr;
  return outcome_;
}

int Engine::CollectRunnable(int* out) {
  // A thread that spun and has seen no other thread take a step since is
  // offered only when nothing else can run, and only until it has spun twice
  // in a row with no progress in between: a second fruitless re-check means
  // nobody will ever change what it waits for (livelock).
  uint32_t offer = runnable_mask_;
  uint32_t spun = spun_mask_ & offer;
  while (spun != 0) {
    const int t = __builtin_ctz(spun);
    spun &= spun - 1;
    if (SpinBlocked(threads_[t]))
      offer &= ~(1u << t);
    else
      spun_mask_ &= ~(1u << t);  // others moved on: it stays unblocked until it spins again
  }
  if (offer == 0) {
    uint32_t m = runnable_mask_;
    while (m != 0) {
      const int t = __builtin_ctz(m);
      m &= m - 1;
      if (threads_[t].spin_count < 2) offer |= 1u << t;
    }
  }
  int n = 0;
  while (offer != 0) {
    out[n++] = __builtin_ctz(offer);
    offer &= offer - 1;
  }
  return n;
}

void Engine::Record(OpKind op, const char* site) {
  ++step_;
  if (opts_.record_steps) step_log_[nlogged_++] = StepRecord{step_, current_, op, site};
  if (observer_ != nullptr) observer_(observer_ctx_, StepRecord{step_, current_, op, site});
}

void Engine::Point(OpKind op, const char* site) {
  if (fast_left_ != 0) {
    // Inside a granted stretch (Grant): the decision this point would make
    // is known; Settle logs it with the others when the stretch ends.
    threads_[current_].site = site;
    --fast_left_;
    ++step_;
    return;
  }
  SlowPoint(op, site);
}

void Engine::SlowPoint(OpKind op, const char* site) {
  Settle();
  if (step_ >= opts_.step_budget) Stop(RunStatus::kBudgetExhausted);
  threads_[current_].site = site;
  threads_[current_].own_steps++;
  epoch_++;
  // Fast path for the most common decision: no thread is held back for
  // spinning (so every runnable thread is offered, the current one
  // included), and the chooser has promised to keep the current thread.
  // Logs the decision Schedule would have logged, without building the
  // runnable list or calling the chooser.
  if (spun_mask_ == 0 && chooser_->WouldKeep(current_)) {
    const uint32_t m = runnable_mask_;
    if ((m & (m - 1)) != 0) {  // more than one thread can run: a decision
      if (ndecisions_ >= dec_runs_.size()) Stop(RunStatus::kBudgetExhausted);
      chooser_->Kept();
      LogDecisions(1, current_, IndexAmong(m, current_));
    }
  } else {
    Schedule(true);
  }
  Record(op, site);
  Grant();
}

void Engine::LogDecisions(uint32_t k, int thread, int index) {
  DecisionRun* last = ndec_runs_ > 0 ? &dec_runs_[ndec_runs_ - 1] : nullptr;
  if (last != nullptr && last->thread == thread && last->index == index) {
    last->count += k;
  } else {
    dec_runs_[ndec_runs_++] =
        DecisionRun{k, static_cast<uint8_t>(thread), static_cast<uint8_t>(index)};
  }
  ndecisions_ += k;
}

void Engine::ExpandDecisions() const {
  dec_index_.clear();
  dec_thread_.clear();
  for (size_t i = 0; i < ndec_runs_; ++i) {
    dec_index_.insert(dec_index_.end(), dec_runs_[i].count, dec_runs_[i].index);
    dec_thread_.insert(dec_thread_.end(), dec_runs_[i].count, dec_runs_[i].thread);
  }
  dec_cache_valid_ = true;
}

void Engine::Grant() {
  // Per-step records need every point to go through Record.
  if (opts_.record_steps || observer_ != nullptr) return;
  // A thread held back for spinning changes what CollectRunnable offers.
  if (spun_mask_ != 0 || step_ >= opts_.step_budget) return;
  // Until the current thread blocks, spins, wakes a thread or ends, the
  // runnable set stays as it is, and so does every decision among it: the
  // current thread alone (no decision), or the one the chooser promised.
  const uint32_t m = runnable_mask_;
  const bool decides = (m & (m - 1)) != 0;
  uint64_t k = opts_.step_budget - step_;
  if (decides) {
    if (!chooser_->WouldKeep(current_)) return;
    k = std::min<uint64_t>({k, chooser_->KeepsLeft(), dec_runs_.size() - ndecisions_});
  }
  k = std::min<uint64_t>(k, UINT32_MAX);
  fast_left_ = fast_granted_ = static_cast<uint32_t>(k);
  fast_decides_ = decides;
  fast_index_ = IndexAmong(m, current_);
}

void Engine::Settle() {
  const uint32_t k = fast_granted_ - fast_left_;
  fast_granted_ = fast_left_ = 0;
  if (k == 0) return;
  threads_[current_].own_steps += k;
  epoch_ += k;
  if (fast_decides_) {
    chooser_->Kept(k);
    LogDecisions(k, current_, fast_index_);
  }
}

int Engine::Burst(int n, const char* site) {
  if (n <= 1 || fast_left_ == 0) {
    Point(OpKind::kYield, site);
    return 1;
  }
  // The next k points are inside the granted stretch: each would take
  // Point's fast path.
  const uint32_t k = std::min<uint32_t>(static_cast<uint32_t>(n), fast_left_);
  threads_[current_].site = site;
  fast_left_ -= k;
  step_ += k;
  return static_cast<int>(k);
}

void Engine::Spin(const char* site) {
  Settle();
  if (step_ >= opts_.step_budget) Stop(RunStatus::kBudgetExhausted);
  Thread& self = threads_[current_];
  self.site = site;
  self.spin_count = (spun_mask_ & (1u << current_)) && SpinBlocked(self) ? self.spin_count + 1 : 1;
  self.spin_epoch = epoch_;
  self.own_steps = 0;
  spun_mask_ |= 1u << current_;
  Schedule(true);
  Record(OpKind::kSpin, site);
  Grant();
}

void Engine::Block(WaitQueue* q, const char* site, bool idle) {
  Settle();
  Thread& self = threads_[current_];
  self.state = TState::kBlocked;
  runnable_mask_ &= ~(1u << current_);
  self.idle_block = idle;
  self.site = site;
  q->waiters |= 1u << current_;
  Schedule(false);
  Record(OpKind::kSleep, site);
  Grant();
}

void Engine::WakeAll(WaitQueue* q) {
  // A woken thread changes the runnable set, and so the decisions of any
  // granted stretch: close it.
  if (q->waiters != 0) Settle();
  uint32_t w = q->waiters;
  q->waiters = 0;
  while (w != 0) {
    const int t = __builtin_ctz(w);
    w &= w - 1;
    if (threads_[t].state == TState::kBlocked) {
      threads_[t].state = TState::kRunnable;
      runnable_mask_ |= 1u << t;
      threads_[t].idle_block = false;
    }
  }
}

void Engine::Abort() { EndRun(RunStatus::kAborted); }

void Engine::Schedule(bool current_can_run) {
  int runnable[kMaxThreads];
  const int n = CollectRunnable(runnable);
  if (n == 0) {
    bool any_spinning = false, any_blocked = false, all_idle = true;
    for (int i = 0; i < nthreads_; ++i) {
      const Thread& t = threads_[i];
      if (t.state == TState::kRunnable) any_spinning = true;
      if (t.state == TState::kBlocked) {
        any_blocked = true;
        if (!t.idle_block) all_idle = false;
      }
    }
    if (any_spinning) Stop(RunStatus::kLivelock);
    if (!any_blocked) Stop(RunStatus::kCompleted);
    Stop(all_idle ? RunStatus::kQuiescent : RunStatus::kDeadlock);
  }
  int next = runnable[0];
  if (n > 1) {
    // Blocking and exiting also lead to decisions, so decisions can outrun
    // steps: the decision log's size is a budget of its own.
    if (ndecisions_ >= dec_runs_.size()) Stop(RunStatus::kBudgetExhausted);
    ChoicePoint p{std::span<const int>(runnable, n), current_can_run ? current_ : -1, step_,
                  ndecisions_};
    next = chooser_->Choose(p);
    int idx = 0;
    while (idx < n && runnable[idx] != next) ++idx;
    if (idx == n) {
      std::fprintf(stderr, "schedfuzz: chooser returned thread %d, which is not runnable\n", next);
      std::abort();
    }
    LogDecisions(1, next, idx);
  }
  if (next == current_) return;
  const int prev = current_;
  current_ = next;
  if (threads_[prev].state == TState::kDone) {
    LeaveFiber(&threads_[prev].ctx, &threads_[next].ctx);
    __builtin_unreachable();
  }
  SwitchTo(&threads_[prev].ctx, &threads_[next].ctx);
  // Resumed by ReleaseSuspendedFibers after the run: leave for good.
  if (releasing_) [[unlikely]] {
    LeaveFiber(&threads_[current_].ctx, &host_);
    __builtin_unreachable();
  }
}

void Engine::ReleaseSuspendedFibers(int ended) {
  releasing_ = true;
  for (int i = 0; i < nthreads_; ++i) {
    const Thread& t = threads_[i];
    if (!t.started || t.state == TState::kDone || i == ended) continue;
    current_ = i;
    SwitchTo(&host_, &threads_[i].ctx);
  }
  releasing_ = false;
}

void Engine::EndRun(RunStatus status) {
  Finish(status);
  __builtin_unreachable();
}

void Engine::Finish(RunStatus status) {
  Settle();
  outcome_.status = status;
  outcome_.steps = step_;
  outcome_.decisions = ndecisions_;
  outcome_.nblocked = 0;
  for (int i = 0; i < nthreads_; ++i) {
    const Thread& t = threads_[i];
    const bool stuck = t.state == TState::kBlocked ||
                       (status == RunStatus::kLivelock && t.state == TState::kRunnable);
    if (stuck)
      outcome_.blocked[outcome_.nblocked++] =
          BlockedInfo{i, t.site, t.state == TState::kBlocked && t.idle_block};
  }
  LeaveFiber(&threads_[current_].ctx, &host_);
}

}  // namespace schedfuzz::sim
