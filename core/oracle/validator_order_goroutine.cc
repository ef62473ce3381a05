// order.go's goroutine events: statuses, creation, start/stop/block/unblock,
// destruction, and syscalls.
#include "absl/strings/str_format.h"

#include "core/oracle/validator_order.h"
#include "core/tracefmt/spec.h"

namespace schedfuzz::oracle::internal {

using tracefmt::Event;
using tracefmt::EvType;

namespace {

std::string_view NameOf(const Event& ev) { return tracefmt::SpecOf(ev.type).name; }

}  // namespace

Ordering::Adv Ordering::GoStatusEvent(const Event& ev, const Ctx& cur, Ctx& nw) {
  const int64_t gid = static_cast<int64_t>(ev.args[0]);
  const int64_t mid = static_cast<int64_t>(ev.args[1]);
  const uint8_t status = static_cast<uint8_t>(ev.args[2]);
  if (status >= kNumStatuses) {
    return Fail(
        absl::StrFormat("invalid status for goroutine %d: %d", gid, static_cast<int>(status)));
  }
  auto it = g_states_.find(gid);
  if (it != g_states_.end()) {
    if (it->second.status != status) {
      return Fail(absl::StrFormat("inconsistent status for goroutine %d: old %s vs. new %s", gid,
                                  GoStatusStr(it->second.status), GoStatusStr(status)));
    }
    it->second.seq = Seq{gen_num_, 0};
  } else if (gen_num_ == initial_gen_) {
    GState& s = g_states_[gid];
    s.status = status;
    s.seq = Seq{gen_num_, 0};
  } else {
    return Fail(absl::StrFormat(
        "found goroutine status for new goroutine after the first generation: id=%d status=%s", gid,
        GoStatusStr(status)));
  }
  if (status == kGoRunning) {
    nw.g = gid;
    return Adv::kOk;
  }
  if (status != kGoSyscall) return Adv::kOk;
  if (mid == kNone) {
    return Fail(absl::StrFormat("found goroutine %d in syscall without a thread", gid));
  }
  constexpr const char* kWrongThread =
      "inconsistent thread for syscalling goroutine %d: thread has goroutine %d";
  if (mid == cur.m) {
    if (gen_num_ != initial_gen_ && cur.g != gid) {
      return Fail(absl::StrFormat(kWrongThread, gid, cur.g));
    }
    nw.g = gid;
    return Adv::kOk;
  }
  // A goroutine sitting in a syscall on another M all generation.
  auto mit = m_states_.find(mid);
  if (mit == m_states_.end()) {
    m_states_.emplace(mid, MState{gid, kNone});
  } else if (mit->second.g != gid) {
    return Fail(absl::StrFormat(kWrongThread, gid, mit->second.g));
  }
  return Adv::kOk;
}

Ordering::Adv Ordering::GoCreate(const Event& ev, const Ctx& cur) {
  if (CheckCtx(cur, kMustHave, kMustHave, kMayHave) != Adv::kOk) return Adv::kError;
  auto cit = g_states_.find(cur.g);
  if (cit != g_states_.end() && cit->second.status != kGoRunning) {
    return Fail(absl::StrFormat("%s event for goroutine that's not Running", NameOf(ev)));
  }
  const int64_t newg = static_cast<int64_t>(ev.args[0]);
  if (g_states_.contains(newg)) {
    return Fail(absl::StrFormat("tried to create goroutine (%d) that already exists", newg));
  }
  GState& s = g_states_[newg];
  s.status = ev.type == EvType::kGoCreateBlocked ? kGoWaiting : kGoRunnable;
  s.seq = Seq{gen_num_, 0};
  return Adv::kOk;
}

// go1.27 advanceGoSwitch: the running goroutine hands its M to a waiting one
// (whose sequence number the event carries) and blocks, or ends.
Ordering::Adv Ordering::GoSwitch(const Event& ev, const Ctx& cur, Ctx& nw) {
  if (CheckUserGo(cur) != Adv::kOk) return Adv::kError;
  GState* g = nullptr;
  if (CurrentG(cur, NameOf(ev), kGoRunning, "Running", &g) != Adv::kOk) return Adv::kError;
  const int64_t next = static_cast<int64_t>(ev.args[0]);
  const Seq seq{gen_num_, ev.args[1]};
  auto it = g_states_.find(next);
  if (it == g_states_.end() || it->second.status != kGoWaiting || !Succeeds(seq, it->second.seq)) {
    return Adv::kNotYet;
  }
  it->second.status = kGoRunning;
  it->second.seq = seq;
  if (ev.type == EvType::kGoSwitchDestroy) {
    g_states_.erase(cur.g);  // after the last use of `it`, which erasing may move
  } else {
    g_states_.find(cur.g)->second.status = kGoWaiting;
  }
  nw.g = next;
  extra_events_ = 2;
  return Adv::kOk;
}

// GoDestroy, GoStop, GoBlock: the running goroutine leaves its M.
Ordering::Adv Ordering::GoStopped(const Event& ev, const Ctx& cur, Ctx& nw) {
  if (CheckUserGo(cur) != Adv::kOk) return Adv::kError;
  GState* g = nullptr;
  if (CurrentG(cur, NameOf(ev), kGoRunning, "Running", &g) != Adv::kOk) return Adv::kError;
  if (ev.type == EvType::kGoDestroy) {
    g_states_.erase(cur.g);
  } else {
    g->status = ev.type == EvType::kGoStop ? kGoRunnable : kGoWaiting;
  }
  nw.g = kNone;
  return Adv::kOk;
}

Ordering::Adv Ordering::GoStart(const Event& ev, const Ctx& cur, Ctx& nw) {
  const int64_t gid = static_cast<int64_t>(ev.args[0]);
  const Seq seq{gen_num_, ev.args[1]};
  auto it = g_states_.find(gid);
  if (it == g_states_.end() || it->second.status != kGoRunnable || !Succeeds(seq, it->second.seq)) {
    return Adv::kNotYet;
  }
  if (CheckCtx(cur, kMustHave, kMustHave, kMustNotHave) != Adv::kOk) return Adv::kError;
  it->second.status = kGoRunning;
  it->second.seq = seq;
  nw.g = gid;
  return Adv::kOk;
}

// Anyone may unblock a goroutine (even sysmon): no context checks.
Ordering::Adv Ordering::GoUnblock(const Event& ev) {
  const int64_t gid = static_cast<int64_t>(ev.args[0]);
  const Seq seq{gen_num_, ev.args[1]};
  auto it = g_states_.find(gid);
  if (it == g_states_.end() || it->second.status != kGoWaiting || !Succeeds(seq, it->second.seq)) {
    return Adv::kNotYet;
  }
  it->second.status = kGoRunnable;
  it->second.seq = seq;
  return Adv::kOk;
}

Ordering::Adv Ordering::GoSyscallBegin(const Event& ev, const Ctx& cur) {
  if (CheckUserGo(cur) != Adv::kOk) return Adv::kError;
  GState* g = nullptr;
  if (CurrentG(cur, NameOf(ev), kGoRunning, "Running", &g) != Adv::kOk) return Adv::kError;
  g->status = kGoSyscall;
  PState* p = nullptr;
  if (BoundP(cur.p, NameOf(ev), &p) != Adv::kOk) return Adv::kError;
  p->status = kProcSyscall;
  // The P sequence number here is enforced, not waited for.
  const Seq pseq{gen_num_, ev.args[0]};
  if (!Succeeds(pseq, p->seq)) {
    return Fail(
        absl::StrFormat("failed to advance %s: can't make sequence: %d (gen=%d) -> %d "
                        "(gen=%d)",
                        NameOf(ev), p->seq.seq, p->seq.gen, pseq.seq, pseq.gen));
  }
  p->seq = pseq;
  return Adv::kOk;
}

Ordering::Adv Ordering::GoSyscallEnd(const Event& ev, const Ctx& cur) {
  if (CheckUserGo(cur) != Adv::kOk) return Adv::kError;
  GState* g = nullptr;
  // Go's text says Running although it checks for Syscall.
  if (CurrentG(cur, NameOf(ev), kGoSyscall, "Running", &g) != Adv::kOk) return Adv::kError;
  g->status = kGoRunning;
  PState* p = nullptr;
  if (BoundP(cur.p, NameOf(ev), &p) != Adv::kOk) return Adv::kError;
  if (p->status != kProcSyscall) {
    return Fail(absl::StrFormat("expected proc %d in state Syscall, but got %s instead", cur.p,
                                ProcStatusStr(p->status)));
  }
  p->status = kProcRunning;
  return Adv::kOk;
}

Ordering::Adv Ordering::GoSyscallEndBlocked(const Event& ev, const Ctx& cur, Ctx& nw) {
  // Not yet while our P is still in the syscall: it must be stolen or
  // stopped first.
  if (cur.p != kNone) {
    PState* p = nullptr;
    if (BoundP(cur.p, NameOf(ev), &p) != Adv::kOk) return Adv::kError;
    if (p->status == kProcSyscall) return Adv::kNotYet;
  }
  if (CheckCtx(cur, kMustHave, kMayHave, kMustHave) != Adv::kOk) return Adv::kError;
  GState* g = nullptr;
  if (CurrentG(cur, NameOf(ev), kGoSyscall, "Running", &g) != Adv::kOk) return Adv::kError;
  nw.g = kNone;
  g->status = kGoRunnable;
  return Adv::kOk;
}

Ordering::Adv Ordering::GoCreateSyscall(const Event& ev, const Ctx& cur, Ctx& nw) {
  if (CheckCtx(cur, kMustHave, kMayHave, kMustNotHave) != Adv::kOk) return Adv::kError;
  const int64_t newg = static_cast<int64_t>(ev.args[0]);
  if (g_states_.contains(newg)) {
    return Fail(
        absl::StrFormat("tried to create goroutine (%d) in syscall that already exists", newg));
  }
  GState& s = g_states_[newg];
  s.status = kGoSyscall;
  s.seq = Seq{gen_num_, 0};
  nw.g = newg;
  return Adv::kOk;
}

Ordering::Adv Ordering::GoDestroySyscall(const Event& ev, const Ctx& cur, Ctx& nw) {
  if (CheckCtx(cur, kMustHave, kMayHave, kMustHave) != Adv::kOk) return Adv::kError;
  GState* g = nullptr;
  if (CurrentG(cur, NameOf(ev), kGoSyscall, "Syscall", &g) != Adv::kOk) return Adv::kError;
  g_states_.erase(cur.g);
  nw.g = kNone;
  if (cur.p == kNone) return Adv::kOk;
  // The thread drops its P (Go also emits a synthetic self-ProcSteal).
  auto pit = p_states_.find(cur.p);
  if (pit == p_states_.end()) {
    return Fail(absl::StrFormat("found invalid proc %d during %s", cur.p, NameOf(ev)));
  }
  if (pit->second.status != kProcSyscall) {
    return Fail(absl::StrFormat("proc %d in unexpected state %s during %s", cur.p,
                                ProcStatusStr(pit->second.status), NameOf(ev)));
  }
  pit->second.status = kProcAbandoned;
  nw.p = kNone;
  extra_events_ = 1;
  return Adv::kOk;
}

}  // namespace schedfuzz::oracle::internal
