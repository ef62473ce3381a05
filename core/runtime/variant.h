// Releases and behaviour variants. A release is a Go release line the model
// reproduces (its own files where Go's code differs: core/runtime/go122,
// core/runtime/go127, core/trace/go122, core/trace/go127). A variant is a
// version of one release's code, selected at run time by name: a set of
// named switches the model's functions consult at the exact place the
// historical code differed, so no function is forked. Add a bug: one
// switch, one row in kVariants, one docs/model.md line.
#ifndef SCHEDFUZZ_CORE_RUNTIME_VARIANT_H_
#define SCHEDFUZZ_CORE_RUNTIME_VARIANT_H_

#include <cstdint>
#include <span>
#include <string_view>

namespace schedfuzz::rt {

// The Go release lines the model reproduces.
enum class Release : uint8_t {
  kGo122,  // Go 1.22: _Psyscall, the seqlock tracer, the Go 1.22 trace format
  kGo127,  // Go 1.27: no _Psyscall, the reentrant tracer, the Go 1.26 trace format
};
inline constexpr Release kReleases[] = {Release::kGo122, Release::kGo127};
// The release Go developers work on today: what the CLI and the fuzz targets
// run unless told otherwise.
inline constexpr Release kCurrentRelease = Release::kGo127;
// "1.22", "1.27".
const char* ReleaseName(Release r);
// Accepts "1.22", "go1.22", "1.27", "go1.27"; false otherwise.
bool ParseRelease(std::string_view s, Release* out);

struct Variant {
  const char* name;
  const char* summary;
  // The release line whose model this variant switches.
  Release release;
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
  // The Go 1.22 development tree before Go issue 64318's fix (go1.22rc1 has
  // it): writeProcStatusForP reports a _Prunning P as Running even when its
  // own M's goroutine is already in _Gsyscall, which is what the P is in
  // reentersyscall between its GoSyscallBegin and the store of _Psyscall,
  // where runSafePointFn runs traceAdvance's forEachP function.
  bool procstatus_running_in_syscall = false;
  // go1.22rc1, before Go issue 65196's fix (go1.22rc2 has it): traceAdvance's
  // status snapshot records the M of a goroutine by its m.id, where every
  // other event names the thread (m.procid).
  bool snapshot_mid_is_m_id = false;
  // The Go 1.22 development tree before b6b72c77 (go1.22rc1 has the fix):
  // entersyscall_gcwait, having taken its old P out of _Psyscall for a
  // stopping world, traces GoSysBlock and ProcStop as if this M still held
  // the P, where go1.22rc1 writes ProcSteal(pp, inSyscall=true): between the
  // M's store of _Psyscall and its CAS the P may have been stolen and put
  // back into _Psyscall by another M.
  bool gcwait_procstop = false;
  // The Go 1.27 line without Go issue 63555's fix (go1.23 added it): the
  // with-a-P path of injectglist does not end with wakep(), as in go1.22.x,
  // so goroutines it leaves on its P's run queue can wait while a P that
  // went idle after its load of sched.npidle stays idle and no M spins.
  bool injectglist_without_wakep = false;
};

// Every variant of every release, release by release.
std::span<const Variant> Variants();
// Go 1.22's "fixed": what the library and its tests run when given no variant.
const Variant& DefaultVariant();
// A release's default: its first row (the release as shipped).
const Variant& DefaultVariant(Release r);
// Null if no variant has that name (names are unique across releases).
const Variant* FindVariant(std::string_view name);

}  // namespace schedfuzz::rt

#endif  // SCHEDFUZZ_CORE_RUNTIME_VARIANT_H_
