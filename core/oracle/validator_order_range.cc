// order.go's GC, ranges (STW, sweep, mark assist), user tasks and regions.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

#include "core/oracle/validator_order.h"
#include "core/tracefmt/spec.h"

namespace schedfuzz::oracle::internal {

using tracefmt::Event;
using tracefmt::EvType;

namespace {

// makeRangeType: a range's end and active events name its begin event.
RangeType MakeRangeType(EvType typ, uint64_t desc) {
  const EvType start = tracefmt::SpecOf(typ).start;
  return RangeType{start != EvType::kNone ? start : typ, desc};
}
// Go's %v of a rangeType struct: "{typ desc}".
std::string RangeStr(const RangeType& r) {
  return absl::StrFormat("{%d %d}", static_cast<int>(r.typ), r.desc);
}
std::string RegionStr(const Region& r) { return absl::StrCat("{", r.task, " ", r.name, "}"); }

}  // namespace

Ordering::Adv Ordering::BeginRange(std::vector<RangeType>& in_flight, RangeType r) {
  if (std::find(in_flight.begin(), in_flight.end(), r) != in_flight.end()) {
    return Fail(absl::StrFormat("discovered event already in-flight for when starting event %s",
                                tracefmt::EvName(r.typ)));
  }
  in_flight.push_back(r);
  return Adv::kOk;
}

Ordering::Adv Ordering::ActiveRange(std::vector<RangeType>& in_flight, RangeType r) {
  const bool has = std::find(in_flight.begin(), in_flight.end(), r) != in_flight.end();
  if (gen_num_ == initial_gen_) {
    if (has) {
      return Fail(absl::StrCat("found named active range already in first gen: ", RangeStr(r)));
    }
    in_flight.push_back(r);
    return Adv::kOk;
  }
  if (has) return Adv::kOk;
  std::string list = "[";
  for (size_t i = 0; i < in_flight.size(); ++i) {
    if (i > 0) list += " ";
    list += RangeStr(in_flight[i]);
  }
  list += "]";
  return Fail(
      absl::StrFormat("resource is missing active range: %s %s", tracefmt::EvName(r.typ), list));
}

Ordering::Adv Ordering::EndRange(std::vector<RangeType>& in_flight, EvType typ) {
  const EvType st = tracefmt::SpecOf(typ).start;
  size_t idx = 0;
  while (idx < in_flight.size() && in_flight[idx].typ != st) ++idx;
  if (idx == in_flight.size()) {
    return Fail(absl::StrFormat("tried to end event %s, but not in-flight", tracefmt::EvName(st)));
  }
  // Swap-remove, as Go does (the order shows in later error texts).
  std::swap(in_flight[idx], in_flight.back());
  in_flight.pop_back();
  return Adv::kOk;
}

Ordering::Adv Ordering::UserTaskBegin(const Event& ev, const Ctx& cur) {
  const uint64_t id = ev.args[0];
  if (active_tasks_.contains(id)) return Fail(absl::StrFormat("task ID conflict: %d", id));
  if (StringArg(ev, ev.args[2]) != Adv::kOk) return Adv::kError;
  active_tasks_.emplace(id, true);
  return CheckUserGo(cur);
}

Ordering::Adv Ordering::UserRegion(const Event& ev, const Ctx& cur) {
  if (CheckUserGo(cur) != Adv::kOk) return Adv::kError;
  const uint64_t name_id = ev.args[1];
  if (StringArg(ev, name_id) != Adv::kOk) return Adv::kError;
  const bool begin = ev.type == EvType::kUserRegionBegin;
  auto it = g_states_.find(cur.g);
  if (it == g_states_.end()) {
    return Fail(absl::StrFormat("encountered %s without known state for current goroutine %d",
                                begin ? "EvUserRegionBegin" : "EvUserRegionEnd", cur.g));
  }
  const Region r{ev.args[0], gen_->String(name_id)};
  std::vector<Region>& regions = it->second.regions;
  if (begin) {
    regions.push_back(r);
    return Adv::kOk;
  }
  // Regions that began before tracing started are unknown: any end is fine
  // then.
  if (regions.empty()) return Adv::kOk;
  if (!(regions.back() == r)) {
    return Fail(absl::StrCat("misuse of region in goroutine ", cur.g, ": region end ", RegionStr(r),
                             " when the inner-most active region start event is ",
                             RegionStr(regions.back())));
  }
  regions.pop_back();
  return Adv::kOk;
}

// The GC mark phase has its own sequence numbers.
Ordering::Adv Ordering::GCActive(const Event& ev, const Ctx& cur) {
  const uint64_t seq = ev.args[0];
  if (gen_num_ == initial_gen_) {
    if (gc_state_ != kGCUndetermined) {
      return Fail("GCActive in the first generation isn't first GC event");
    }
    gc_seq_ = seq;
    gc_state_ = kGCRunning;
    return Adv::kOk;
  }
  if (seq != gc_seq_ + 1) return Adv::kNotYet;
  if (gc_state_ != kGCRunning) return Fail("encountered GCActive while GC was not in progress");
  gc_seq_ = seq;
  return CheckUserGo(cur);
}

Ordering::Adv Ordering::GCBegin(const Event& ev, const Ctx& cur) {
  const uint64_t seq = ev.args[0];
  if (gc_state_ == kGCUndetermined) {
    gc_seq_ = seq;
    gc_state_ = kGCRunning;
    return Adv::kOk;
  }
  if (seq != gc_seq_ + 1) return Adv::kNotYet;
  if (gc_state_ == kGCRunning) return Fail("encountered GCBegin while GC was already in progress");
  gc_seq_ = seq;
  gc_state_ = kGCRunning;
  return CheckUserGo(cur);
}

Ordering::Adv Ordering::GCEnd(const Event& ev, const Ctx& cur) {
  const uint64_t seq = ev.args[0];
  if (seq != gc_seq_ + 1) return Adv::kNotYet;
  if (gc_state_ == kGCNotRunning) return Fail("encountered GCEnd when GC was not in progress");
  if (gc_state_ == kGCUndetermined) {
    return Fail("encountered GCEnd when GC was in an undetermined state");
  }
  gc_seq_ = seq;
  gc_state_ = kGCNotRunning;
  return CheckUserGo(cur);
}

// Sweep ranges are bound to a P.
Ordering::Adv Ordering::GCSweep(const Event& ev, const Ctx& cur) {
  if (CheckCtx(cur, kMustHave, kMustHave, kMayHave) != Adv::kOk) return Adv::kError;
  auto pit = p_states_.find(cur.p);
  if (pit == p_states_.end()) {
    // A nil dereference in Go: bound Ps always have state, so it cannot
    // happen, but if it did this is Go's panic text.
    return Fail("runtime error: invalid memory address or nil pointer dereference");
  }
  if (ev.type == EvType::kGCSweepBegin) {
    return BeginRange(pit->second.in_flight, MakeRangeType(ev.type, 0));
  }
  return EndRange(pit->second.in_flight, ev.type);
}

Ordering::Adv Ordering::GCSweepActive(const Event& ev) {
  const int64_t pid = static_cast<int64_t>(ev.args[0]);
  auto pit = p_states_.find(pid);
  if (pit == p_states_.end()) {
    return Fail(absl::StrFormat("encountered GCSweepActive for unknown proc %d", pid));
  }
  return ActiveRange(pit->second.in_flight, MakeRangeType(ev.type, 0));
}

// STW and mark assist ranges are bound to the running goroutine.
Ordering::Adv Ordering::GoRange(const Event& ev, const Ctx& cur) {
  if (CheckUserGo(cur) != Adv::kOk) return Adv::kError;
  auto it = g_states_.find(cur.g);
  if (it == g_states_.end()) {
    return Fail(
        absl::StrFormat("encountered event of type %d without known state for current goroutine %d",
                        static_cast<int>(static_cast<uint8_t>(ev.type)), cur.g));
  }
  switch (ev.type) {
    case EvType::kSTWBegin:
      return BeginRange(it->second.in_flight, MakeRangeType(ev.type, ev.args[0]));
    case EvType::kGCMarkAssistBegin:
      return BeginRange(it->second.in_flight, MakeRangeType(ev.type, 0));
    default: return EndRange(it->second.in_flight, ev.type);
  }
}

// Like GoStatus, may name a goroutine that is not running here.
Ordering::Adv Ordering::GCMarkAssistActive(const Event& ev) {
  const int64_t gid = static_cast<int64_t>(ev.args[0]);
  auto it = g_states_.find(gid);
  if (it == g_states_.end()) {
    return Fail(absl::StrFormat("uninitialized goroutine %d found during %s", gid,
                                tracefmt::EvName(ev.type)));
  }
  return ActiveRange(it->second.in_flight, MakeRangeType(ev.type, 0));
}

}  // namespace schedfuzz::oracle::internal
