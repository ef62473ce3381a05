#include "core/runtime/variant.h"

namespace schedfuzz::rt {

namespace {
// Designated initializers: each row names only the switches it turns on.
const Variant kVariants[] = {
    // Go 1.22.
    {.name = "fixed",
     .summary = "Go 1.22 release branch after ae9996f9: injectglist holds traceAcquire across each "
                "casgstatus and its GoUnpark",
     .release = Release::kGo122,
     .go_release = "go1.22.12"},
    {.name = "go70883",
     .summary = "go1.22.4 injectglist (Go issue 70883): GoUnpark for every goroutine, "
                "traceRelease, then the casgstatus loop",
     .release = Release::kGo122,
     .go_release = "go1.22.10",
     .injectglist_events_before_cas = true},
    {.name = "go38794",
     .summary = "go1.14 sysmon (Go issue 38794): netpoll, injectglist and retake without "
                "sched.sysmonlock, so StartTrace does not exclude sysmon",
     .release = Release::kGo122,
     .go_release = "go1.14.15",
     .realgo_confirms = false,
     .sysmon_without_sysmonlock = true},
    {.name = "go65181",
     .summary = "go1.22rc1 exitsyscallfast and retake (Go issue 65181): the CAS that steals a P "
                "from _Psyscall, then traceAcquire for its ProcSteal",
     .release = Release::kGo122,
     .go_release = "go1.22rc1",
     .realgo_confirms = false,
     .procsteal_acquire_after_cas = true},
    {.name = "go64318",
     .summary = "Go 1.22 development tree before go1.22rc1 (Go issue 64318): writeProcStatusForP "
                "writes Running for the M's own P while its goroutine is in _Gsyscall",
     .release = Release::kGo122,
     .go_release = "the go1.22 development tree (before go1.22rc1)",
     .realgo_confirms = false,
     .procstatus_running_in_syscall = true},
    {.name = "go65196",
     .summary = "go1.22rc1 (Go issue 65196): traceAdvance's status snapshot names a syscalling "
                "goroutine's M by m.id instead of its thread id (m.procid)",
     .release = Release::kGo122,
     .go_release = "go1.22rc1",
     .realgo_confirms = false,
     .snapshot_mid_is_m_id = true},
    {.name = "gcwait-procstop",
     .summary = "Go 1.22 development tree before b6b72c77: entersyscall_gcwait traces ProcStop "
                "for the P it takes out of _Psyscall, which another M may have held meanwhile",
     .release = Release::kGo122,
     .go_release = "the go1.22 development tree (before b6b72c77)",
     .realgo_confirms = false,
     .gcwait_procstop = true},
    // Go 1.27.
    {.name = "shipped",
     .summary = "go1.27.4 as released: the syscall path without _Psyscall, the reentrant "
                "tracer, forEachP before the generation switch",
     .release = Release::kGo127,
     .go_release = "go1.27.4"},
    {.name = "go63555",
     .summary = "go1.27.4 without Go issue 63555's fix: injectglist's with-a-P path does not "
                "end with wakep (as in go1.22.x)",
     .release = Release::kGo127,
     .go_release = "go1.22.12",
     .realgo_confirms = false,
     .injectglist_without_wakep = true},
};
}  // namespace

const char* ReleaseName(Release r) { return r == Release::kGo122 ? "1.22" : "1.27"; }

bool ParseRelease(std::string_view s, Release* out) {
  if (s.substr(0, 2) == "go") s.remove_prefix(2);
  for (Release r : kReleases) {
    if (s == ReleaseName(r)) {
      *out = r;
      return true;
    }
  }
  return false;
}

std::span<const Variant> Variants() { return kVariants; }
const Variant& DefaultVariant() { return kVariants[0]; }
const Variant& DefaultVariant(Release r) {
  for (const Variant& v : kVariants)
    if (v.release == r) return v;
  return kVariants[0];
}
const Variant* FindVariant(std::string_view name) {
  for (const Variant& v : kVariants)
    if (name == v.name) return &v;
  return nullptr;
}

}  // namespace schedfuzz::rt
