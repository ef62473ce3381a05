// order.go: advance, its helpers, and dumpOrdering. The handlers of each kind
// of resource live in validator_order_{proc,goroutine,range}.cc.
#include "core/oracle/validator_order.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

#include "core/tracefmt/spec.h"

namespace schedfuzz::oracle::internal {

using tracefmt::Event;
using tracefmt::EvType;

namespace {

std::string SeqStr(Seq s) { return absl::StrFormat("%d (gen=%d)", s.seq, s.gen); }

}  // namespace

// A validator is made for each trace. Its tables start at the sizes a model
// trace needs (kMaxGoroutines goroutines, a few Ps and Ms).
Ordering::Ordering() {
  g_states_.reserve(80);
  p_states_.reserve(16);
  m_states_.reserve(16);
}

void Ordering::Reset(tracefmt::Version v) {
  version_ = v;
  g_states_.clear();
  p_states_.clear();
  m_states_.clear();
  active_tasks_.clear();
  gc_seq_ = 0;
  gc_state_ = kGCUndetermined;
  initial_gen_ = 0;
  gen_ = nullptr;
  gen_num_ = 0;
}

Ordering::Adv Ordering::Fail(std::string msg) {
  err_ = std::move(msg);
  return Adv::kError;
}

// validateCtx's errors.
Ordering::Adv Ordering::CtxError(const Ctx& c, Req thread, Req proc, Req goroutine) {
  if (thread == kMustHave && c.m == kNone) {
    return Fail("expected a thread but didn't have one");
  } else if (thread == kMustNotHave && c.m != kNone) {
    return Fail("expected no thread but had one");
  }
  if (proc == kMustHave && c.p == kNone) {
    return Fail("expected a proc but didn't have one");
  } else if (proc == kMustNotHave && c.p != kNone) {
    return Fail("expected no proc but had one");
  }
  if (goroutine == kMustHave && c.g == kNone) {
    return Fail("expected a goroutine but didn't have one");
  } else if (goroutine == kMustNotHave && c.g != kNone) {
    return Fail("expected no goroutine but had one");
  }
  return Adv::kOk;  // unreachable: CheckCtx found a violation
}

Ordering::Adv Ordering::CurrentG(const Ctx& c, std::string_view name, uint8_t want,
                                 std::string_view want_name, GState** out) {
  auto it = g_states_.find(c.g);
  if (it == g_states_.end()) {
    return Fail(absl::StrFormat("event %s for goroutine (%d) that doesn't exist", name, c.g));
  }
  if (it->second.status != want) {
    return Fail(absl::StrFormat("%s event for goroutine that's not %s", name, want_name));
  }
  *out = &it->second;
  return Adv::kOk;
}

Ordering::Adv Ordering::BoundP(int64_t p, std::string_view name, PState** out) {
  auto it = p_states_.find(p);
  if (it == p_states_.end()) {
    return Fail(absl::StrFormat("uninitialized proc %d found during %s", p, name));
  }
  *out = &it->second;
  return Adv::kOk;
}

// The string-id checks inside advance print the event type with %v: a number.
Ordering::Adv Ordering::StringArg(const Event& ev, uint64_t id) {
  if (gen_->HasString(id)) return Adv::kOk;
  return Fail(absl::StrFormat("invalid string ID %d for %d event", id,
                              static_cast<int>(static_cast<uint8_t>(ev.type))));
}

Ordering::Adv Ordering::Dispatch(const Event& ev, const Ctx& cur, Ctx& nw) {
  switch (ev.type) {
    case EvType::kProcStatus: return ProcStatusEvent(ev, nw);
    case EvType::kProcStart: return ProcStart(ev, cur, nw);
    case EvType::kProcStop: return ProcStop(ev, cur, nw);
    case EvType::kProcSteal: return ProcSteal(ev, cur, nw);
    case EvType::kGoStatus:
    case EvType::kGoStatusStack: return GoStatusEvent(ev, cur, nw);
    case EvType::kGoCreate:
    case EvType::kGoCreateBlocked: return GoCreate(ev, cur);
    case EvType::kGoSwitch:
    case EvType::kGoSwitchDestroy: return GoSwitch(ev, cur, nw);
    case EvType::kGoDestroy:
    case EvType::kGoStop:
    case EvType::kGoBlock: return GoStopped(ev, cur, nw);
    case EvType::kGoStart: return GoStart(ev, cur, nw);
    case EvType::kGoUnblock: return GoUnblock(ev);
    case EvType::kGoSyscallBegin: return GoSyscallBegin(ev, cur);
    case EvType::kGoSyscallEnd: return GoSyscallEnd(ev, cur);
    case EvType::kGoSyscallEndBlocked: return GoSyscallEndBlocked(ev, cur, nw);
    case EvType::kGoCreateSyscall: return GoCreateSyscall(ev, cur, nw);
    case EvType::kGoDestroySyscall: return GoDestroySyscall(ev, cur, nw);
    case EvType::kUserTaskBegin: return UserTaskBegin(ev, cur);
    case EvType::kUserTaskEnd: active_tasks_.erase(ev.args[0]); return CheckUserGo(cur);
    case EvType::kUserRegionBegin:
    case EvType::kUserRegionEnd: return UserRegion(ev, cur);
    case EvType::kGCActive: return GCActive(ev, cur);
    case EvType::kGCBegin: return GCBegin(ev, cur);
    case EvType::kGCEnd: return GCEnd(ev, cur);
    case EvType::kGoLabel:
    case EvType::kProcsChange:
    case EvType::kUserLog: return CheckUserGo(cur);
    case EvType::kHeapAlloc:
    case EvType::kHeapGoal: return CheckCtx(cur, kMustHave, kMustHave, kMayHave);
    case EvType::kGCSweepBegin:
    case EvType::kGCSweepEnd: return GCSweep(ev, cur);
    case EvType::kGCSweepActive: return GCSweepActive(ev);
    case EvType::kSTWBegin:
    case EvType::kGCMarkAssistBegin:
    case EvType::kSTWEnd:
    case EvType::kGCMarkAssistEnd: return GoRange(ev, cur);
    case EvType::kGCMarkAssistActive: return GCMarkAssistActive(ev);
    // go1.27 advanceAllocFree: the AllocFree experiment's events need an M.
    case EvType::kSpan:
    case EvType::kSpanAlloc:
    case EvType::kSpanFree:
    case EvType::kHeapObject:
    case EvType::kHeapObjectAlloc:
    case EvType::kHeapObjectFree:
    case EvType::kGoroutineStack:
    case EvType::kGoroutineStackAlloc:
    case EvType::kGoroutineStackFree: return CheckCtx(cur, kMustHave, kMayHave, kMayHave);
    default: break;
  }
  // Go 1.22: unreachable through the reader (the batch cursor rejects every
  // type that is not a timed 1.22 event). go1.27 decodes every timed type of
  // its table, and ClockSnapshot has no handler.
  return Fail(absl::StrFormat("bad event type found while ordering: %d",
                              static_cast<int>(static_cast<uint8_t>(ev.type))));
}

// dumpOrdering. VecMap iterates in id order, where Go prints map order.
std::string Ordering::Dump() const {
  std::string s;
  for (const auto& [id, st] : g_states_) {
    absl::StrAppendFormat(&s, "G %d [status=%s seq=%s]\n", id, GoStatusStr(st.status),
                          SeqStr(st.seq));
  }
  s += "\n";
  for (const auto& [id, st] : p_states_) {
    absl::StrAppendFormat(&s, "P %d [status=%s seq=%s]\n", id, ProcStatusStr(st.status),
                          SeqStr(st.seq));
  }
  s += "\n";
  for (const auto& [id, st] : m_states_)
    absl::StrAppendFormat(&s, "M %d [g=%d p=%d]\n", id, st.g, st.p);
  s += "\n";
  static constexpr const char* kGCStateName[] = {"Undetermined", "NotRunning", "Running"};
  absl::StrAppendFormat(&s, "GC %d %s\n", gc_seq_, kGCStateName[gc_state_]);
  s += "\n";
  return s;
}

const Ordering::MState* Ordering::FindM(int64_t m) const {
  if (m == kNone) return nullptr;
  const auto it = m_states_.find(m);
  return it != m_states_.end() ? &it->second : nullptr;
}

Ctx Ordering::ObjectsOf(const tracefmt::Event& ev, int64_t m) const {
  Ctx c;
  c.m = m;
  if (const MState* ms = FindM(m)) {
    c.g = ms->g;
    c.p = ms->p;
  }
  const tracefmt::EvSpec& sp = tracefmt::SpecOf(ev.type);
  if (sp.g_arg >= 0) c.g = static_cast<int64_t>(ev.args[sp.g_arg]);
  if (sp.p_arg >= 0) c.p = static_cast<int64_t>(ev.args[sp.p_arg]);
  return c;
}

int64_t Ordering::HeldP(int64_t m) const {
  const MState* ms = FindM(m);
  return ms ? ms->p : kNone;
}

}  // namespace schedfuzz::oracle::internal
