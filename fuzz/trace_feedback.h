// Coverage feedback from the tracer's state, for libFuzzer (SCHEDFUZZ_FEEDBACK=trace).
//
// Code edges tell a fuzzer which branches of the model ran, not in which
// interleaving: the same casgstatus runs in the buggy order and in the good
// one. The tracer bugs are orderings between a goroutine's status change, the
// trace critical section of the M that makes it (traceAcquire/traceRelease)
// and the generation the tracer is in. This watcher turns each such moment
// into a feature: the kind of moment (a status change at a site, an event, an
// acquire or release, a generation switch, a probe) combined with the acting
// M's section (none, open for the current generation, open for an older one),
// whether tracing is on, and how many other Ms have a section open (for the
// current or an older generation); and each pair of consecutive moments on
// different Ms. Each feature bumps one byte of libFuzzer's extra counters, so
// an input that reaches a new combination (say, a status change while another
// M holds a locker for the generation before) is kept and mutated further.
//
// The watcher only observes (rt::ModelHooks as RunOptions::observer_hooks):
// it never changes a run or its verdict. Under other engines the counters are
// an unused section.
#ifndef SCHEDFUZZ_FUZZ_TRACE_FEEDBACK_H_
#define SCHEDFUZZ_FUZZ_TRACE_FEEDBACK_H_

#include <cstddef>
#include <cstdint>

#include "core/runtime/hooks.h"

namespace schedfuzz::fuzz {

// Forgets the previous run's tracer state; call before each run.
void TraceFeedbackReset();
// The hooks to install for a run (RunOptions::observer_hooks).
rt::ModelHooks TraceFeedbackHooks();
// The counters, for tests: kTraceFeedbackCounters bytes.
inline constexpr size_t kTraceFeedbackCounters = size_t{1} << 14;
const uint8_t* TraceFeedbackCounters();
void TraceFeedbackClearCounters();

}  // namespace schedfuzz::fuzz

#endif  // SCHEDFUZZ_FUZZ_TRACE_FEEDBACK_H_
