#include "core/sim/engine.h"

#include <set>
#include <span>
#include <string>
#include <vector>

#include "gtest/gtest.h"

#include "core/base/sanitizers.h"
#include "core/sim/dfs.h"
#include "core/sim/sync.h"

namespace schedfuzz::sim {
namespace {

// Two threads doing a non-atomic read-increment-write on a shared counter.
struct Counter {
  Atomic<int> value{0};
};
void IncrementThread(void* arg) {
  auto* c = static_cast<Counter*>(arg);
  int v = c->value.Load("inc: load");
  c->value.Store(v + 1, "inc: store");
}

int RunCounter(Engine& e, Chooser& ch) {
  static Counter c;
  c.value.SetRaw(0);
  e.Reset();
  e.Spawn(IncrementThread, &c, "A");
  e.Spawn(IncrementThread, &c, "B");
  Outcome o = e.Run(ch);
  EXPECT_EQ(o.status, RunStatus::kCompleted);
  return c.value.Raw();
}

TEST(EngineTest, LostUpdateReachableOnlyUnderInterleaving) {
  Engine e;
  std::set<int> finals;
  for (int b0 = 0; b0 < 256; b0 += 1) {
    for (int b1 = 0; b1 < 4; ++b1) {
      uint8_t bytes[3] = {static_cast<uint8_t>(b0), static_cast<uint8_t>(b1),
                          static_cast<uint8_t>(b1 ^ 1)};
      ByteChooser ch(bytes);
      finals.insert(RunCounter(e, ch));
    }
  }
  EXPECT_EQ(finals, (std::set<int>{1, 2}));
  // A serial schedule (each thread runs to completion) always gives 2.
  ReplayChooser serial;  // empty list: DefaultChoice keeps the current thread
  EXPECT_EQ(RunCounter(e, serial), 2);
  RoundRobinChooser rr;  // switches at every point: both load before storing
  EXPECT_EQ(RunCounter(e, rr), 1);
}

// Records the order in which the four labelled operations executed.
struct Trace2 {
  Atomic<int> x{0};
  std::string order;
};
void TwoPointsA(void* arg) {
  auto* t = static_cast<Trace2*>(arg);
  t->x.Load("a1");
  t->order += "a1 ";
  t->x.Load("a2");
  t->order += "a2 ";
}
void TwoPointsB(void* arg) {
  auto* t = static_cast<Trace2*>(arg);
  t->x.Load("b1");
  t->order += "b1 ";
  t->x.Load("b2");
  t->order += "b2 ";
}

TEST(EngineTest, DfsEnumeratesExactlySixInterleavingsOfTwoByTwo) {
  Engine e;
  DfsChooser dfs;
  std::set<std::string> seen;
  Trace2 t;
  do {
    t.order.clear();
    e.Reset();
    e.Spawn(TwoPointsA, &t, "A");
    e.Spawn(TwoPointsB, &t, "B");
    Outcome o = e.Run(dfs);
    ASSERT_EQ(o.status, RunStatus::kCompleted);
    seen.insert(t.order);
  } while (dfs.Advance());
  EXPECT_EQ(seen.size(), 6u);
  EXPECT_TRUE(seen.count("a1 a2 b1 b2 "));
  EXPECT_TRUE(seen.count("b1 a1 b2 a2 "));
  EXPECT_TRUE(seen.count("a1 b1 b2 a2 "));
}

TEST(EngineTest, PreemptionBoundZeroGivesOnlySerialOrders) {
  Engine e;
  DfsChooser dfs(/*max_preemptions=*/0);
  std::set<std::string> seen;
  Trace2 t;
  do {
    t.order.clear();
    e.Reset();
    e.Spawn(TwoPointsA, &t, "A");
    e.Spawn(TwoPointsB, &t, "B");
    e.Run(dfs);
    seen.insert(t.order);
  } while (dfs.Advance());
  EXPECT_EQ(seen, (std::set<std::string>{"a1 a2 b1 b2 ", "b1 b2 a1 a2 "}));
}

// AB/BA locking.
struct Locks {
  Mutex a, b;
};
void LockAB(void* arg) {
  auto* l = static_cast<Locks*>(arg);
  l->a.Lock("AB: lock a");
  l->b.Lock("AB: lock b");
  l->b.Unlock("AB: unlock b");
  l->a.Unlock("AB: unlock a");
}
void LockBA(void* arg) {
  auto* l = static_cast<Locks*>(arg);
  l->b.Lock("BA: lock b");
  l->a.Lock("BA: lock a");
  l->a.Unlock("BA: unlock a");
  l->b.Unlock("BA: unlock b");
}

TEST(EngineTest, AbBaLockingReportsDeadlockWithBothSites) {
  Engine e;
  DfsChooser dfs;
  Locks l;
  int deadlocks = 0, completed = 0;
  do {
    l.a.ResetRaw();
    l.b.ResetRaw();
    e.Reset();
    e.Spawn(LockAB, &l, "T0");
    e.Spawn(LockBA, &l, "T1");
    Outcome o = e.Run(dfs);
    if (o.status == RunStatus::kDeadlock) {
      ++deadlocks;
      ASSERT_EQ(o.nblocked, 2);
      EXPECT_EQ(std::string(o.blocked[0].site), "AB: lock b");
      EXPECT_EQ(std::string(o.blocked[1].site), "BA: lock a");
      EXPECT_NE(o.Describe(e.thread_names()).find("thread 1 (T1) blocked at BA: lock a"),
                std::string::npos);
    } else {
      EXPECT_EQ(o.status, RunStatus::kCompleted);
      ++completed;
    }
  } while (dfs.Advance());
  EXPECT_GT(deadlocks, 0);
  EXPECT_GT(completed, 0);
}

// A thread that spins until a flag is set by another: must not livelock under
// the default choice, and must not exhaust the budget.
struct Flag {
  Atomic<int> f{0};
  int spins = 0;
};
void Spinner(void* arg) {
  auto* fl = static_cast<Flag*>(arg);
  while (fl->f.Load("spinner: load") == 0) {
    ++fl->spins;
    SpinWait("spinner: wait");
  }
}
void Setter(void* arg) {
  auto* fl = static_cast<Flag*>(arg);
  for (int i = 0; i < 5; ++i) Yield("setter: work");
  fl->f.Store(1, "setter: store");
}
void SpinForever(void* arg) {
  auto* fl = static_cast<Flag*>(arg);
  while (fl->f.Load("forever: load") == 0) SpinWait("forever: wait");
}

TEST(EngineTest, SpinWaitLetsTheOtherThreadRun) {
  Engine e;
  Flag fl;
  e.Spawn(Spinner, &fl, "spinner");
  e.Spawn(Setter, &fl, "setter");
  ReplayChooser def;
  Outcome o = e.Run(def);
  EXPECT_EQ(o.status, RunStatus::kCompleted);
  EXPECT_LE(fl.spins, 7);
}

TEST(EngineTest, SpinningAloneIsLivelock) {
  Engine e;
  Flag fl;
  e.Spawn(SpinForever, &fl, "forever");
  ReplayChooser def;
  Outcome o = e.Run(def);
  EXPECT_EQ(o.status, RunStatus::kLivelock);
  ASSERT_EQ(o.nblocked, 1);
  EXPECT_EQ(std::string(o.blocked[0].site), "forever: wait");
}

void Forever(void* arg) {
  auto* fl = static_cast<Flag*>(arg);
  for (;;) fl->f.Load("loop");
}

TEST(EngineTest, StepBudgetEndsEndlessRun) {
  Engine e(EngineOptions{.step_budget = 1000});
  Flag fl;
  e.Spawn(Forever, &fl, "loop");
  ReplayChooser def;
  Outcome o = e.Run(def);
  EXPECT_EQ(o.status, RunStatus::kBudgetExhausted);
  EXPECT_EQ(o.steps, 1000u);
}

struct Idle {
  Note n;
};
void IdleSleeper(void* arg) { static_cast<Idle*>(arg)->n.Sleep("idle: sleep", /*idle=*/true); }
void BusySleeper(void* arg) { static_cast<Idle*>(arg)->n.Sleep("busy: sleep", /*idle=*/false); }

TEST(EngineTest, IdleRestIsQuiescentNotDeadlock) {
  Engine e;
  Idle i;
  e.Spawn(IdleSleeper, &i, "idle");
  ReplayChooser def;
  EXPECT_EQ(e.Run(def).status, RunStatus::kQuiescent);
  Idle j;
  e.Reset();
  e.Spawn(IdleSleeper, &j, "idle");
  e.Spawn(BusySleeper, &j, "busy");
  EXPECT_EQ(e.Run(def).status, RunStatus::kDeadlock);
}

// A bigger program for determinism checks: three threads contending.
struct Mix {
  Atomic<int> a{0};
  Mutex mu;
  int log[64];
  int n = 0;
};
void MixThread(void* arg) {
  auto* m = static_cast<Mix*>(arg);
  for (int i = 0; i < 4; ++i) {
    m->mu.Lock("mix: lock");
    if (m->n < 64) m->log[m->n++] = m->a.Add(1, "mix: add");
    m->mu.Unlock("mix: unlock");
    m->a.Load("mix: load");
  }
}

std::vector<int> RunMix(Engine& e, Chooser& ch, std::vector<uint8_t>* idx = nullptr) {
  static Mix m;
  m.a.SetRaw(0);
  m.mu.ResetRaw();
  m.n = 0;
  e.Reset();
  for (int t = 0; t < 3; ++t) e.Spawn(MixThread, &m, "mix");
  e.Run(ch);
  if (idx) idx->assign(e.decision_indices().begin(), e.decision_indices().end());
  std::vector<int> threads(e.decision_threads().begin(), e.decision_threads().end());
  return threads;
}

TEST(EngineTest, SameBytesSameDecisionLogThousandTimes) {
  Engine e;
  const uint8_t bytes[] = {0x13, 0x02, 0x41, 0x07, 0xf1, 0x05, 0x22, 0x09, 0x31};
  ByteChooser ch(bytes);
  const std::vector<int> first = RunMix(e, ch);
  ASSERT_GT(first.size(), 5u);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(RunMix(e, ch), first);
}

TEST(EngineTest, RecordedDecisionsReplayAndReencode) {
  Engine e;
  RandomChooser rnd(42);
  std::vector<uint8_t> idx;
  const std::vector<int> log = RunMix(e, rnd, &idx);
  ReplayChooser replay(log);
  EXPECT_EQ(RunMix(e, replay), log);
  EXPECT_FALSE(replay.diverged());
  const std::vector<uint8_t> bytes = EncodeDecisionsAsBytes(idx);
  ByteChooser bc(bytes);
  EXPECT_EQ(RunMix(e, bc), log);
}

TEST(EngineTest, StepLogRecordsSites) {
  Engine e(EngineOptions{.record_steps = true});
  Trace2 t;
  e.Spawn(TwoPointsA, &t, "A");
  ReplayChooser def;
  e.Run(def);
  ASSERT_EQ(e.steps().size(), 2u);
  EXPECT_EQ(std::string(e.steps()[0].site), "a1");
  EXPECT_EQ(e.steps()[1].op, OpKind::kLoad);
  EXPECT_EQ(e.steps()[1].step, 2u);
}

// Burst (through Delay) must be exactly a loop of Yield: same outcome, steps,
// decision log and step log, under byte schedules with quanta of every size,
// with two threads spinning now and then, and with budgets that cut runs
// short in the middle of a burst.
struct Bursts {
  bool use_burst = false;
  Atomic<int> x{0};
  Mutex mu;
  int order[64] = {};
  int n = 0;
};
void BurstThread(void* arg) {
  auto* b = static_cast<Bursts*>(arg);
  for (int r = 0; r < 4; ++r) {
    const int len = 1 + 9 * r;  // 1, 10, 19, 28 points
    if (b->use_burst) {
      Delay(len, "bursts: delay");
    } else {
      for (int i = 0; i < len; ++i) Yield("bursts: delay");
    }
    if (r == 2 && b->x.Load("bursts: load") % 3 == 0) SpinWait("bursts: spin");
    b->mu.Lock("bursts: lock");
    const int v = b->x.Add(1, "bursts: add");
    if (b->n < 64) b->order[b->n++] = v * 16 + Engine::Current()->current();
    b->mu.Unlock("bursts: unlock");
  }
}

struct BurstRun {
  Outcome o;
  std::vector<uint8_t> idx;
  std::vector<int> threads;
  std::vector<std::string> steps;
  std::vector<int> order;
};
// record_steps also turns off the engine's granted stretches (Engine::Grant),
// so a run with it is the reference for one without.
BurstRun RunBursts(bool use_burst, std::span<const uint8_t> bytes, uint64_t budget,
                   bool record = true) {
  Engine e(EngineOptions{.step_budget = budget, .record_steps = record});
  Bursts b;
  b.use_burst = use_burst;
  for (int t = 0; t < 3; ++t) e.Spawn(BurstThread, &b, "bursts");
  ByteChooser ch(bytes);
  BurstRun r;
  r.o = e.Run(ch);
  r.idx.assign(e.decision_indices().begin(), e.decision_indices().end());
  r.threads.assign(e.decision_threads().begin(), e.decision_threads().end());
  for (const StepRecord& s : e.steps())
    r.steps.push_back(std::to_string(s.step) + "/" + std::to_string(s.thread) + "/" +
                      OpKindName(s.op) + "/" + s.site);
  r.order.assign(b.order, b.order + b.n);
  return r;
}

// The same run, step log aside: outcome, decision log, and the order in which
// the threads' increments happened.
testing::AssertionResult SameRun(const BurstRun& a, const BurstRun& b) {
  std::string diff;
  if (a.o.status != b.o.status) diff += " status";
  if (a.o.steps != b.o.steps) diff += " steps";
  if (a.o.decisions != b.o.decisions) diff += " decisions";
  if (a.idx != b.idx) diff += " decision-indices";
  if (a.threads != b.threads) diff += " decision-threads";
  if (a.order != b.order) diff += " order";
  if (diff.empty()) return testing::AssertionSuccess();
  return testing::AssertionFailure() << "runs differ in" << diff;
}

TEST(EngineTest, BurstAndGrantedStretchesAreExactlyALoopOfYields) {
  SplitMix64 rng(7);
  int cut_short = 0, many_kept = 0;
  for (int i = 0; i < 400; ++i) {
    std::vector<uint8_t> bytes(rng.Below(24));
    for (uint8_t& c : bytes) c = static_cast<uint8_t>(rng.Next());
    const uint64_t budget = i % 4 == 0 ? 5 + rng.Below(60) : 200000;
    const BurstRun a = RunBursts(false, bytes, budget);
    const BurstRun b = RunBursts(true, bytes, budget);
    ASSERT_TRUE(SameRun(a, b)) << i;
    ASSERT_EQ(a.steps, b.steps) << i;
    // Without step records, points run in granted stretches: the same run.
    for (const bool use_burst : {false, true}) {
      const BurstRun c = RunBursts(use_burst, bytes, budget, /*record=*/false);
      ASSERT_TRUE(SameRun(a, c)) << i;
      ASSERT_TRUE(c.steps.empty());
    }
    cut_short += a.o.status == RunStatus::kBudgetExhausted;
    many_kept += a.o.steps > 100;
  }
  // The cases the equivalence is about actually occurred.
  EXPECT_GT(cut_short, 20);
  EXPECT_GT(many_kept, 100);
}

#ifdef SF_ASAN
void UseAfterFree(void*) {
  int* p = new int[4];
  delete[] p;
  Yield("uaf: yield");
  volatile int x = p[1];
  (void)x;
}
TEST(EngineDeathTest, AsanReportsUseAfterFreeInsideFiber) {
  EXPECT_DEATH(
      {
        Engine e;
        e.Spawn(UseAfterFree, nullptr, "uaf");
        e.Spawn(IdleSleeper, new Idle, "idle");
        ReplayChooser def;
        e.Run(def);
      },
      "heap-use-after-free");
}
#endif

}  // namespace
}  // namespace schedfuzz::sim

namespace schedfuzz::sim {
namespace {
struct Ping {
  Mutex mu;
};
void PingThread(void* arg) {
  auto* p = static_cast<Ping*>(arg);
  for (;;) {
    p->mu.Lock("ping: lock");
    Yield("ping: hold");
    p->mu.Unlock("ping: unlock");
  }
}
// Blocking and exiting make decisions without taking steps, so a run can make
// more decisions than its step budget; the decision log must stay in bounds.
TEST(EngineTest, DecisionsBeyondTheStepBudgetEndTheRun) {
  Engine e(EngineOptions{.step_budget = 20});
  Ping p;
  for (int i = 0; i < 6; ++i) e.Spawn(PingThread, &p, "ping");
  RoundRobinChooser rr;
  for (int i = 0; i < 50; ++i) {
    p.mu.ResetRaw();
    const Outcome o = e.Run(rr);
    EXPECT_EQ(o.status, RunStatus::kBudgetExhausted);
    EXPECT_LE(o.decisions, 21u);
  }
}
}  // namespace
}  // namespace schedfuzz::sim
