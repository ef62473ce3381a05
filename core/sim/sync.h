// Instrumented synchronization for code running on the engine. Every method
// is one scheduling point followed by the operation, so the engine can
// interleave threads at exactly the places where real hardware could: the
// atomics and locks Go's runtime uses. Plain data protected by a Mutex stays
// plain data.
#ifndef SCHEDFUZZ_CORE_SIM_SYNC_H_
#define SCHEDFUZZ_CORE_SIM_SYNC_H_

#include <cstdint>

#include "core/base/nocov.h"
#include "core/sim/engine.h"

namespace schedfuzz::sim {

// An atomic word. Sequentially consistent: the model explores interleavings,
// not weak-memory reorderings (documented in docs/model.md).
template <typename T>
class Atomic {
 public:
  constexpr Atomic() = default;
  constexpr explicit Atomic(T v) : v_(v) {}
  T Load(const char* site) const {
    Point(OpKind::kLoad, site);
    return v_;
  }
  void Store(T v, const char* site) {
    Point(OpKind::kStore, site);
    v_ = v;
  }
  bool Cas(T old, T nv, const char* site) {
    Point(OpKind::kCas, site);
    if (v_ != old) return false;
    v_ = nv;
    return true;
  }
  // Returns the new value, as Go's atomic.Xadd does.
  T Add(T delta, const char* site) {
    Point(OpKind::kAdd, site);
    v_ += delta;
    return v_;
  }
  T Exchange(T nv, const char* site) {
    Point(OpKind::kExchange, site);
    T old = v_;
    v_ = nv;
    return old;
  }
  // Outside a run (setup, oracles, reports): no scheduling point.
  T Raw() const { return v_; }
  void SetRaw(T v) { v_ = v; }

 private:
  T v_{};
};

// A blocking mutex: a thread that finds it held is not runnable until it is
// released.
class Mutex {
 public:
  void Lock(const char* site) {
    Engine* e = Engine::Current();
    e->Point(OpKind::kLock, site);
    while (held_) {
      e->Block(&q_, site, /*idle=*/false);
    }
    held_ = true;
    owner_ = e->current();
  }
  // One attempt that does not wait: false if the mutex is held.
  bool TryLock(const char* site) {
    Engine* e = Engine::Current();
    e->Point(OpKind::kLock, site);
    if (held_) return false;
    held_ = true;
    owner_ = e->current();
    return true;
  }
  void Unlock(const char* site) {
    Engine* e = Engine::Current();
    e->Point(OpKind::kUnlock, site);
    held_ = false;
    owner_ = -1;
    e->WakeAll(&q_);
  }
  bool held() const { return held_; }
  int owner() const { return owner_; }
  void ResetRaw() {
    held_ = false;
    owner_ = -1;
    q_ = WaitQueue{};
  }

 private:
  bool held_ = false;
  int owner_ = -1;
  WaitQueue q_;
};

// Go's note: a one-shot event one thread sleeps on and another wakes
// (notesleep/notewakeup/noteclear). `idle` sleeps mark the resting state of
// an idle M, so a run whose threads all rest is quiescent, not deadlocked.
class Note {
 public:
  void Sleep(const char* site, bool idle = false) {
    Engine* e = Engine::Current();
    e->Point(OpKind::kSleep, site);
    while (!set_) e->Block(&q_, site, idle);
  }
  void Wakeup(const char* site) {
    Engine* e = Engine::Current();
    e->Point(OpKind::kWakeup, site);
    set_ = true;
    e->WakeAll(&q_);
  }
  void Clear() { set_ = false; }  // only by the owner while nobody sleeps
  bool is_set() const { return set_; }
  void ResetRaw() {
    set_ = false;
    q_ = WaitQueue{};
  }

 private:
  bool set_ = false;
  WaitQueue q_;
};

// One iteration of a spin loop that is waiting for another thread (Go's
// procyield/osyield loops). The caller re-checks its condition after it.
inline void SpinWait(const char* site) { Engine::Current()->Spin(site); }

}  // namespace schedfuzz::sim

#endif  // SCHEDFUZZ_CORE_SIM_SYNC_H_
