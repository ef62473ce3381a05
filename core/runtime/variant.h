// Behaviour variants: historical versions of runtime code, selected at run
// time by name. A variant is a set of named switches the model's functions
// consult at the exact place the historical code differed, so no function is
// forked. Add a bug: one Switch, one row in kVariants, one docs/model.md line.
#ifndef SCHEDFUZZ_CORE_RUNTIME_VARIANT_H_
#define SCHEDFUZZ_CORE_RUNTIME_VARIANT_H_

#include <span>
#include <string_view>

namespace schedfuzz::rt {

struct Variant {
  const char* name;
  const char* summary;
  // The Go release whose runtime has this variant's code: where the
  // real-runtime harness confirms what the variant finds (docs/realgo.md).
  const char* go_release;
  // False when the real-runtime harness cannot confirm the variant's
  // findings on go_release: a release before the v2 tracer (go1.22) writes
  // no trace the model checks, and a release candidate has no window in
  // realgo/inject.
  bool realgo_confirms = true;
  // go1.22.4 injectglist before f025d19e/ae9996f9 (Go issue 70883): GoUnpark
  // for the whole list under one traceAcquire, traceRelease, and only then
  // casgstatus(Gwaiting -> Grunnable) for each goroutine, outside the
  // tracer's critical section.
  bool injectglist_events_before_cas = false;
  // sysmon before Go issue 38794's fix (go1.15): a round's netpoll,
  // injectglist and retake run without sched.sysmonlock, so StartTrace
  // (which takes that lock before setting trace.gen) does not wait for a
  // sysmon that is between injectglist's traceAcquire and its casgstatus.
  bool sysmon_without_sysmonlock = false;
  // go1.22rc1 exitsyscallfast and retake before Go issue 65181's fix: the
  // CAS that steals a P out of _Psyscall comes first and traceAcquire after
  // it, so a generation switch or StopTrace can fall between the steal and
  // its ProcSteal.
  bool procsteal_acquire_after_cas = false;
};

// kVariants[0] is the default.
std::span<const Variant> Variants();
const Variant& DefaultVariant();
// Null if no variant has that name.
const Variant* FindVariant(std::string_view name);

}  // namespace schedfuzz::rt

#endif  // SCHEDFUZZ_CORE_RUNTIME_VARIANT_H_
