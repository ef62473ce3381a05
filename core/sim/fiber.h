// Stackful fibers for the interleaving engine: a hand-written x86-64 context
// switch (callee-saved registers + stack pointer, returning through
// `pop %rcx; jmp *%rcx` so the return-stack buffer is not poisoned: a `ret`
// onto another stack mispredicts on every switch and costs about three times
// as much) with AddressSanitizer's fiber annotations, which ASan needs to
// follow a switch to another stack.
#ifndef SCHEDFUZZ_CORE_SIM_FIBER_H_
#define SCHEDFUZZ_CORE_SIM_FIBER_H_

#include <cstddef>
#include <cstdint>

namespace schedfuzz::sim {

// A context is just a saved stack pointer plus what ASan needs to know about
// the stack it belongs to.
struct Context {
  void* sp = nullptr;
  const void* stack_bottom = nullptr;  // lowest address of the stack
  size_t stack_size = 0;
  void* fake_stack = nullptr;  // ASan's fake-stack handle while suspended
};

// A fiber stack allocated once (mmap with a guard page) and reused by every
// run: starting a fiber on it again costs no syscall.
class FiberStack {
 public:
  explicit FiberStack(size_t size);
  ~FiberStack();
  FiberStack(const FiberStack&) = delete;
  FiberStack& operator=(const FiberStack&) = delete;
  void* bottom() const { return base_; }
  size_t size() const { return size_; }
  // After a run: `sp` is where the fiber on this stack was last suspended
  // (or left for good). Frames below it have returned, and a returning frame
  // clears its own ASan poison; only the abandoned frames above it may still
  // be poisoned, so the next MakeContext unpoisons from there up instead of
  // the whole stack (32 KB of shadow per fiber per run).
  void NoteAbandonedAt(const void* sp);
  // Before a fiber starts on this stack again (MakeContext): clear the ASan
  // poison an abandoned earlier run may have left.
  void Unpoison();

 private:
  void* map_ = nullptr;
  size_t map_size_ = 0;
  void* base_ = nullptr;  // above the guard page
  size_t size_ = 0;
  const char* poison_floor_ = nullptr;  // no ASan poison below this address
};

using FiberEntry = void (*)(void* arg);

// Prepares `ctx` so that the first SwitchTo(ctx) runs entry(arg) on `stack`.
// `entry` must never return: a fiber ends by switching away for good with
// SwitchFinal.
void MakeContext(Context* ctx, FiberStack* stack, FiberEntry entry, void* arg);

// Saves the running context in `from` and resumes `to`.
void SwitchTo(Context* from, Context* to);
// Resumes `to` without saving the caller: the caller's stack is abandoned
// (ASan is told the fiber is dying so it drops its fake stack). It never
// returns, but it is deliberately not declared [[noreturn]]: the compiler
// would infer noreturn for every caller up the chain (LeaveFiber,
// Engine::Finish) and ASan would then put __asan_handle_no_return, which
// unpoisons the whole stack and makes a sigaltstack system call, before each
// of their calls: at every thread's exit in every run (core/sim/engine.cc).
void SwitchFinal(Context* from, Context* to);

// Must be the first call in a fiber's entry function: completes the ASan
// bookkeeping of the switch that started it and records where the switcher's
// stack is, into `from`.
void FiberStarted(Context* from);

// True when fibers carry ASan fake stacks (use-after-return detection): a
// fiber's fake stack is freed only by a SwitchFinal out of it, so a fiber
// left suspended for good must be resumed once to make that switch.
bool FibersHaveFakeStacks();

}  // namespace schedfuzz::sim

#endif  // SCHEDFUZZ_CORE_SIM_FIBER_H_
