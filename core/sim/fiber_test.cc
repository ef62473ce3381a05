#include "core/sim/fiber.h"

#include "gtest/gtest.h"

#include "core/base/sanitizers.h"

#ifdef SF_ASAN
#include <sanitizer/asan_interface.h>
#endif

namespace schedfuzz::sim {
namespace {

struct Deep {
  Context host;
  Context fiber;
  int depth = 0;
};
Deep* deep = nullptr;

// ASan gives each frame's array redzones and poisons them on entry; a frame
// that never returns leaves them poisoned.
__attribute__((noinline)) int DeepFrames(int level) {
  volatile char buf[40];
  for (size_t i = 0; i < sizeof(buf); ++i) buf[i] = static_cast<char>(i + level);
  if (level == deep->depth) {
    SwitchTo(&deep->fiber, &deep->host);  // suspended here for good
    return 0;
  }
  return DeepFrames(level + 1) + buf[7];
}
void DeepEntry(void*) {
  FiberStarted(&deep->host);
  DeepFrames(0);
  SwitchFinal(&deep->fiber, &deep->host);
}

// Starts DeepEntry on `stack` and returns once it is suspended at `depth`.
void SuspendDeep(Deep* d, FiberStack* stack, int depth) {
  d->depth = depth;
  deep = d;
  MakeContext(&d->fiber, stack, &DeepEntry, nullptr);
  SwitchTo(&d->host, &d->fiber);
}

TEST(FiberTest, SwitchesToAFiberAndBack) {
  FiberStack stack(64 * 1024);
  Deep d;
  SuspendDeep(&d, &stack, 3);
  // Back here from the bottom of the recursion, which is still suspended.
  const char* sp = static_cast<const char*>(d.fiber.sp);
  EXPECT_GT(sp, static_cast<const char*>(stack.bottom()));
  EXPECT_LT(sp, static_cast<const char*>(stack.bottom()) + stack.size());
}

#ifdef SF_ASAN
// A stack whose fiber was abandoned deep in calls is clean again after the
// next MakeContext, given where the fiber was left (NoteAbandonedAt): the
// engine reuses stacks run after run and unpoisons only from there up.
TEST(FiberTest, MakeContextClearsThePoisonOfAbandonedFrames) {
  for (const bool note : {true, false}) {
    FiberStack stack(256 * 1024);
    Deep d;
    SuspendDeep(&d, &stack, 200);
    ASSERT_NE(__asan_region_is_poisoned(stack.bottom(), stack.size()), nullptr)
        << "the abandoned frames should hold poisoned redzones";
    if (note) stack.NoteAbandonedAt(d.fiber.sp);
    Context again;
    MakeContext(&again, &stack, &DeepEntry, nullptr);
    if (note) {
      EXPECT_EQ(__asan_region_is_poisoned(stack.bottom(), stack.size()), nullptr);
    } else {
      // Without the note only the first MakeContext unpoisons the whole
      // stack; the floor then sits at the top, so the poison stays (the test
      // above would fail if NoteAbandonedAt did nothing).
      EXPECT_NE(__asan_region_is_poisoned(stack.bottom(), stack.size()), nullptr);
    }
  }
}
#endif

}  // namespace
}  // namespace schedfuzz::sim
