// Scheduler invariants, checked on the model's state when a run ends without
// being cut short: every goroutine is in exactly one place that fits its
// status (a run queue for a runnable one, a wait queue or a descriptor for a
// waiting one, nowhere for a dead one), no runnable goroutine is left while
// every M sleeps, run queues hold what their counters say, and each P's
// status agrees with its M and the idle list.
#ifndef SCHEDFUZZ_CORE_ORACLE_INVARIANTS_H_
#define SCHEDFUZZ_CORE_ORACLE_INVARIANTS_H_

#include <string>

#include "core/runtime/runtime.h"
#include "core/sim/engine.h"

namespace schedfuzz::oracle {

// "" if the invariants hold (or the run was cut short: a deadlock, the step
// budget), else the first one broken, in words.
std::string CheckSchedulerInvariants(const rt::Runtime& r, sim::RunStatus status);

}  // namespace schedfuzz::oracle

#endif  // SCHEDFUZZ_CORE_ORACLE_INVARIANTS_H_
