#include "core/sim/fiber.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "core/base/sanitizers.h"

#ifdef SF_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif

#if !defined(__x86_64__)
#error "schedfuzz's fiber switch is written for x86-64 only"
#endif

// sf_switch(void** save_sp, void* new_sp): push callee-saved registers, save
// rsp, load the other stack, pop its registers and jump to its saved return
// address. A jmp instead of ret keeps the return-stack predictor intact.
// sf_fiber_trampoline: first frame of every fiber; r12 = arg, r13 = entry.
asm(R"(
  .text
  .globl sf_switch
  .type sf_switch, @function
sf_switch:
  .cfi_startproc
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  popq %rcx
  jmp *%rcx
  .cfi_endproc
  .size sf_switch, .-sf_switch

  .globl sf_fiber_trampoline
  .type sf_fiber_trampoline, @function
sf_fiber_trampoline:
  .cfi_startproc
  .cfi_undefined rip
  movq %r12, %rdi
  callq *%r13
  ud2
  .cfi_endproc
  .size sf_fiber_trampoline, .-sf_fiber_trampoline
)");

extern "C" void sf_switch(void** save_sp, void* new_sp);
extern "C" void sf_fiber_trampoline();

namespace schedfuzz::sim {

FiberStack::FiberStack(size_t size) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_ = (size + page - 1) / page * page;
  map_size_ = size_ + page;
  map_ = mmap(nullptr, map_size_, PROT_READ | PROT_WRITE,
              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (map_ == MAP_FAILED) {
    std::fprintf(stderr, "schedfuzz: cannot map a fiber stack of %zu bytes\n", map_size_);
    std::abort();
  }
  // Guard page below the stack: an overflow faults instead of corrupting.
  mprotect(map_, page, PROT_NONE);
  base_ = static_cast<char*>(map_) + page;
}

FiberStack::~FiberStack() { munmap(map_, map_size_); }

void MakeContext(Context* ctx, FiberStack* stack, FiberEntry entry, void* arg) {
  stack->Unpoison();
  auto* top = reinterpret_cast<uint64_t*>(static_cast<char*>(stack->bottom()) + stack->size());
  // After sf_switch pops 6 registers and the return address, rsp must be
  // 16-byte aligned so that the trampoline's call gives entry the ABI's
  // alignment (rsp % 16 == 8 at function entry).
  uint64_t* sp = top - 2;  // keep a zero word at the very top
  sp[0] = 0;
  sp[1] = 0;
  *--sp = reinterpret_cast<uint64_t>(&sf_fiber_trampoline);  // popped into rcx
  *--sp = 0;                                                 // rbp
  *--sp = 0;                                                 // rbx
  *--sp = reinterpret_cast<uint64_t>(arg);                   // r12
  *--sp = reinterpret_cast<uint64_t>(entry);                 // r13
  *--sp = 0;                                                 // r14
  *--sp = 0;                                                 // r15
  ctx->sp = sp;
  ctx->stack_bottom = stack->bottom();
  ctx->stack_size = stack->size();
  ctx->fake_stack = nullptr;
}

void FiberStack::Unpoison() {
#ifdef SF_ASAN
  // Above the floor the last run left (the whole stack if none was recorded).
  const char* lo = static_cast<const char*>(base_);
  const char* top = lo + size_;
  const char* floor = poison_floor_ == nullptr ? lo : poison_floor_;
  ASAN_UNPOISON_MEMORY_REGION(floor, static_cast<size_t>(top - floor));
  poison_floor_ = top;
#endif
}

void FiberStack::NoteAbandonedAt(const void* sp) {
  // A page of margin below the saved stack pointer: sf_switch's own pushes
  // sit just below it and carry no poison, but being generous costs nothing.
  const char* p = static_cast<const char*>(sp) - 4096;
  const char* lo = static_cast<const char*>(base_);
  if (p < lo || p > lo + size_) p = lo;
  if (poison_floor_ == nullptr || p < poison_floor_) poison_floor_ = p;
}

void SwitchTo(Context* from, Context* to) {
#ifdef SF_ASAN
  __sanitizer_start_switch_fiber(&from->fake_stack, to->stack_bottom, to->stack_size);
#endif
  sf_switch(&from->sp, to->sp);
#ifdef SF_ASAN
  // Back on `from`'s stack: finish the switch that resumed us.
  const void* old_bottom = nullptr;
  size_t old_size = 0;
  __sanitizer_finish_switch_fiber(from->fake_stack, &old_bottom, &old_size);
#endif
}

void SwitchFinal(Context* from, Context* to) {
#ifdef SF_ASAN
  __sanitizer_start_switch_fiber(nullptr, to->stack_bottom, to->stack_size);
#endif
  sf_switch(&from->sp, to->sp);
  __builtin_unreachable();
}

bool FibersHaveFakeStacks() {
#ifdef SF_ASAN
  return true;
#else
  return false;
#endif
}

void FiberStarted(Context* from) {
#ifdef SF_ASAN
  const void* bottom = nullptr;
  size_t size = 0;
  __sanitizer_finish_switch_fiber(nullptr, &bottom, &size);
  // The first switch into any fiber tells us where the switcher's stack is
  // (the host thread's stack for the engine's first switch).
  if (from != nullptr && from->stack_bottom == nullptr) {
    from->stack_bottom = bottom;
    from->stack_size = size;
  }
#else
  (void)from;
#endif
}

}  // namespace schedfuzz::sim
