// order.go's proc events: ProcStatus, ProcStart, ProcStop, ProcSteal.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

#include "core/oracle/validator_order.h"
#include "core/tracefmt/spec.h"

namespace schedfuzz::oracle::internal {

using tracefmt::Event;

Ordering::Adv Ordering::ProcStatusEvent(const Event& ev, Ctx& nw) {
  const int64_t pid = static_cast<int64_t>(ev.args[0]);
  const uint8_t status = static_cast<uint8_t>(ev.args[1]);
  if (status >= kNumStatuses) {
    return Fail(absl::StrFormat("invalid status for proc %d: %d", pid, static_cast<int>(status)));
  }
  bool promoted = false;  // Syscall -> SyscallAbandoned
  auto it = p_states_.find(pid);
  if (it != p_states_.end()) {
    PState& s = it->second;
    if (status == kProcAbandoned && s.status == kProcSyscall) {
      promoted = true;
    } else if (status == kProcAbandoned && s.status == kProcAbandoned) {
      // Passes through as idle.
    } else if (s.status != status) {
      return Fail(absl::StrFormat("inconsistent status for proc %d: old %s vs. new %s", pid,
                                  ProcStatusStr(s.status), ProcStatusStr(status)));
    }
    s.seq = Seq{gen_num_, 0};
  } else {
    PState& s = p_states_[pid];
    s.status = status;
    s.seq = Seq{gen_num_, 0};
  }
  if (status == kProcRunning || status == kProcSyscall) nw.p = pid;
  if (promoted) {
    // Go looks for the M the P is bound to, to report the event there.
    for (const auto& [mid, ms] : m_states_) {
      if (ms.p == pid) return Adv::kOk;
    }
    return Fail(
        absl::StrFormat("failed to find sched context for proc %d that's about to be stolen", pid));
  }
  return Adv::kOk;
}

Ordering::Adv Ordering::ProcStart(const Event& ev, const Ctx& cur, Ctx& nw) {
  const int64_t pid = static_cast<int64_t>(ev.args[0]);
  const Seq seq{gen_num_, ev.args[1]};
  auto it = p_states_.find(pid);
  if (it == p_states_.end() || it->second.status != kProcIdle || !Succeeds(seq, it->second.seq) ||
      cur.p != kNone) {
    return Adv::kNotYet;
  }
  if (CheckCtx(cur, kMustHave, kMustNotHave, kMayHave) != Adv::kOk) return Adv::kError;
  it->second.status = kProcRunning;
  it->second.seq = seq;
  nw.p = pid;
  return Adv::kOk;
}

Ordering::Adv Ordering::ProcStop(const Event& ev, const Ctx& cur, Ctx& nw) {
  const std::string_view name = tracefmt::SpecOf(ev.type).name;
  auto it = p_states_.find(cur.p);
  if (it == p_states_.end()) {
    return Fail(absl::StrFormat("event %s for proc (%d) that doesn't exist", name, cur.p));
  }
  if (it->second.status != kProcRunning && it->second.status != kProcSyscall) {
    return Fail(absl::StrFormat("%s event for proc that's not Running or Syscall", name));
  }
  if (CheckCtx(cur, kMustHave, kMustHave, kMayHave) != Adv::kOk) return Adv::kError;
  it->second.status = kProcIdle;
  nw.p = kNone;
  return Adv::kOk;
}

Ordering::Adv Ordering::ProcSteal(const Event& ev, const Ctx& cur, Ctx& nw) {
  const int64_t pid = static_cast<int64_t>(ev.args[0]);
  const Seq seq{gen_num_, ev.args[1]};
  auto it = p_states_.find(pid);
  if (it == p_states_.end() ||
      (it->second.status != kProcSyscall && it->second.status != kProcAbandoned) ||
      !Succeeds(seq, it->second.seq)) {
    return Adv::kNotYet;
  }
  if (CheckCtx(cur, kMustHave, kMayHave, kMayHave) != Adv::kOk) return Adv::kError;
  const uint8_t old = it->second.status;
  it->second.status = kProcIdle;
  it->second.seq = seq;
  // Information was lost; don't touch any M.
  if (old == kProcAbandoned) return Adv::kOk;
  const int64_t mid = static_cast<int64_t>(ev.args[2]);
  if (mid == cur.m) {
    if (cur.p != pid) {
      return Fail(absl::StrFormat(
          "tried to self-steal proc %d (thread %d), but got proc %d instead", pid, mid, cur.p));
    }
    nw.p = kNone;
    return Adv::kOk;
  }
  auto mit = m_states_.find(mid);
  if (mit == m_states_.end()) {
    return Fail(absl::StrFormat("stole proc from non-existent thread %d", mid));
  }
  if (mit->second.p != pid) {
    return Fail(absl::StrFormat("tried to steal proc %d from thread %d, but got proc %d instead",
                                pid, mid, mit->second.p));
  }
  mit->second.p = kNone;
  return Adv::kOk;
}

}  // namespace schedfuzz::oracle::internal
