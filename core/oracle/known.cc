#include "core/oracle/known.h"

#include <cstdlib>
#include <cstring>
#include <string>

namespace schedfuzz::oracle {

namespace {
const KnownFinding kKnown[] = {
    {rt::kCanaryGo70883, "go70883",
     "Go issue 70883 (fixed by f025d19e / ae9996f9): injectglist wrote GoUnpark for the whole "
     "list, released the "
     "tracer, then changed each goroutine from waiting to runnable outside the tracer's critical "
     "section",
     false},
    {rt::kCanaryStartTracePless, "starttrace-pless-injectglist",
     "a P-less M (findRunnable's blocking netpoll during StartTrace's stop-the-world) took "
     "traceAcquire while tracing was off and changed a goroutine's "
     "status after StartTrace turned tracing on; StartTrace's stop-the-world does not stop Ms "
     "without a P "
     "(present in the fixed Go 1.22 code; see docs/findings.md)",
     true},
    {rt::kCanaryEntersyscallblock, "entersyscallblock",
     "entersyscallblock changed a goroutine from running to syscall before the trace critical "
     "section that writes "
     "its GoSyscallBegin; a traceAdvance in between snapshots \"syscall\" for a goroutine the "
     "events say is "
     "running (present in the fixed Go 1.22 code; see docs/findings.md)",
     true},
    {rt::kCanaryEntersyscallblockSplit, "entersyscallblock-procstop",
     "a generation switch fell between entersyscallblock_handoff's GoSyscallBegin and releasep's "
     "ProcStop; the "
     "ProcStop's event writer asserts the P was Running, but the trace has it in a syscall "
     "(present in the fixed "
     "Go 1.22 code; see docs/findings.md)",
     true},
    {rt::kCanaryStartTraceExitsyscallfast, "starttrace-exitsyscallfast",
     "an M exiting a syscall took traceAcquire in exitsyscallfast while tracing was off and took "
     "back its old P "
     "after StartTrace turned tracing on, with no event; StartTrace's exitingSyscall wait covers "
     "only "
     "exitsyscall0 (present in the fixed Go 1.22 code; see docs/findings.md)",
     true},
    {rt::kCanaryGenStraggler, "gen-straggler",
     "an M whose traceAcquire read generation N wrote an event about a P or goroutine that already "
     "had "
     "generation N+1 events (and whose sequence counter the N+1 writer had reset): the parser "
     "orders it before "
     "what happened first and cannot advance (present in the fixed Go 1.22 code; see "
     "docs/findings.md)",
     true},
    {rt::kCanaryStopTraceStraggler, "stoptrace-straggler",
     "an M whose traceAcquire (in exitsyscallfast) read generation N stole back its old P after "
     "StopTrace; "
     "meanwhile the P's current owner entered a syscall untraced, so the ProcSteal names no "
     "syscall M and the "
     "trace still has the P running: the parser cannot advance (present in the fixed Go 1.22 code; "
     "see "
     "docs/findings.md)",
     true},
};

// "... for goroutine 7: ..." / "... for proc 1: ..." in Go's parser errors.
int64_t NumberAfter(const std::string& msg, const char* word) {
  const size_t at = msg.find(word);
  if (at == std::string::npos) return -1;
  return std::strtoll(msg.c_str() + at + std::strlen(word), nullptr, 10);
}
}  // namespace

std::span<const KnownFinding> KnownFindings() { return kKnown; }

const KnownFinding* FindKnown(std::string_view id) {
  for (const KnownFinding& k : kKnown)
    if (id == k.id) return &k;
  return nullptr;
}

// For "broken trace: failed to advance", the first event stuck in the
// frontier (the dump's first "[...]"): the P (p=N) or goroutine (g=N) it is
// about.
std::string FirstFrontierEvent(const std::string& msg) {
  const size_t open = msg.find('[', msg.find("frontier:"));
  if (open == std::string::npos) return "";
  // Skip the "[gen=N]" header.
  const size_t ev = msg.find('[', open + 1);
  if (ev == std::string::npos) return "";
  return msg.substr(ev, msg.find(']', ev) - ev + 1);
}

const KnownFinding* Attribute(const Verdict& v, const rt::RunStats& stats) {
  if (!v.violation) return nullptr;
  int64_t goid = v.goid != 0 ? v.goid : NumberAfter(v.message, "goroutine ");
  int64_t proc = NumberAfter(v.message, "for proc ");
  if (v.message.rfind("broken trace: failed to advance", 0) == 0) {
    const std::string ev = FirstFrontierEvent(v.message);
    proc = NumberAfter(ev, " p=");
    goid = NumberAfter(ev, " g=");
  }
  for (const KnownFinding& k : kKnown) {
    const rt::CanaryHit& h = stats.canary[k.canary];
    if (!h.triggered) continue;
    if (goid > 0 && h.Involves(goid)) return &k;
    if (proc >= 0 && proc < 32 && (h.procs & (1u << proc))) return &k;
  }
  // A frontier stuck on an event that names neither (GoSyscallEndBlocked
  // waiting for a ProcSteal that was written into the generation before, or
  // never written): ordering trouble with such a canary on record is its.
  // Errors that name no goroutine or P (a frontier stuck on an event with
  // neither, a missing context such as "expected a proc but didn't have
  // one"): the P-ownership findings produce exactly these.
  const bool anonymous =
      (goid <= 0 && proc < 0) || v.message.rfind("broken trace: failed to advance", 0) == 0;
  if (anonymous) {
    for (rt::Canary c : {rt::kCanaryGenStraggler, rt::kCanaryStartTraceExitsyscallfast}) {
      if (!stats.canary[c].triggered) continue;
      for (const KnownFinding& k : kKnown)
        if (k.canary == c) return &k;
    }
  }
  return nullptr;
}

}  // namespace schedfuzz::oracle
