// The ordering state machine of Go's reader (order.go): which events may come
// next given what came before, per goroutine, proc, thread and range, and the
// error Go reports when an event contradicts that state. The state persists
// across generations.
#ifndef SCHEDFUZZ_CORE_ORACLE_VALIDATOR_ORDER_H_
#define SCHEDFUZZ_CORE_ORACLE_VALIDATOR_ORDER_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

#include "core/oracle/validator_generation.h"
#include "core/oracle/validator_vecmap.h"
#include "core/tracefmt/event.h"

namespace schedfuzz::oracle::internal {

// seqCounter: a sequence number local to a generation.
struct Seq {
  uint64_t gen = 0;
  uint64_t seq = 0;
};

inline bool Succeeds(Seq a, Seq b) { return a.gen == b.gen && a.seq == b.seq + 1; }

// go122.GoStatus and go122.ProcStatus values, as the ordering state keeps
// them: a status argument converted to uint8, as Go converts it.
inline constexpr uint8_t kGoRunnable = static_cast<uint8_t>(tracefmt::GoStatus::kRunnable);
inline constexpr uint8_t kGoRunning = static_cast<uint8_t>(tracefmt::GoStatus::kRunning);
inline constexpr uint8_t kGoSyscall = static_cast<uint8_t>(tracefmt::GoStatus::kSyscall);
inline constexpr uint8_t kGoWaiting = static_cast<uint8_t>(tracefmt::GoStatus::kWaiting);
inline constexpr uint8_t kProcRunning = static_cast<uint8_t>(tracefmt::ProcStatus::kRunning);
inline constexpr uint8_t kProcIdle = static_cast<uint8_t>(tracefmt::ProcStatus::kIdle);
inline constexpr uint8_t kProcSyscall = static_cast<uint8_t>(tracefmt::ProcStatus::kSyscall);
inline constexpr uint8_t kProcAbandoned =
    static_cast<uint8_t>(tracefmt::ProcStatus::kSyscallAbandoned);
// Both status->state tables in event.go have 5 entries; larger is invalid.
inline constexpr uint8_t kNumStatuses = 5;
inline std::string_view GoStatusStr(uint8_t s) {
  return tracefmt::GoStatusName(static_cast<tracefmt::GoStatus>(s));
}

// rangeType: the begin event of a range plus an optional subtype (the STW
// kind string id).
struct RangeType {
  tracefmt::EvType typ = tracefmt::EvType::kNone;
  uint64_t desc = 0;
  bool operator==(const RangeType& o) const { return typ == o.typ && desc == o.desc; }
};

// userRegion. The name is resolved (string ids are per generation); it
// points into the Trace being validated.
struct Region {
  uint64_t task = 0;
  absl::string_view name;
  bool operator==(const Region& o) const { return task == o.task && name == o.name; }
};

// The G, P and M an event happens on (schedCtx).
struct Ctx {
  int64_t g = kNone;
  int64_t p = kNone;
  int64_t m = kNone;
};

class Ordering {
 public:
  enum class Adv { kNotYet, kOk, kError };

  Ordering();
  // A new trace in format v (go1.22's rules for Go122, go1.27's after).
  void Reset(tracefmt::Version v = tracefmt::Version::kGo122);
  tracefmt::Version version() const { return version_; }

  // advance: kOk takes the event (the M's G and P become what it leaves
  // them), kNotYet leaves every state as it was, kError sets error().
  Adv Advance(const tracefmt::Event& ev, int64_t m, const Generation& gen);

  const std::string& error() const { return err_; }
  std::string TakeError() { return std::move(err_); }
  // Synthetic events Go returns after the last event taken: a ProcSteal
  // after GoDestroySyscall on a P; GoBlock (or GoDestroy) and GoStart after
  // GoSwitch (GoSwitchDestroy).
  int extra_events() const { return extra_events_; }
  // dumpOrdering's layout, states sorted by id.
  std::string Dump() const;
  // The goroutine, P and M event `ev` on M `m` is about: its goroutine and
  // proc arguments where it has them, else what M `m` runs now.
  Ctx ObjectsOf(const tracefmt::Event& ev, int64_t m) const;
  // The P thread m holds in the parser's state (kNone: none, or m unseen).
  int64_t HeldP(int64_t m) const;

 private:
  using EvType = tracefmt::EvType;
  enum GCState : uint8_t { kGCUndetermined, kGCNotRunning, kGCRunning };
  struct GState {
    uint8_t status = 0;
    Seq seq;
    std::vector<Region> regions;
    std::vector<RangeType> in_flight;
  };
  struct PState {
    uint8_t status = 0;
    Seq seq;
    std::vector<RangeType> in_flight;
  };
  struct MState {
    int64_t g = kNone;
    int64_t p = kNone;
  };
  enum Req : uint8_t { kMustNotHave, kMayHave, kMustHave };

  Adv Dispatch(const tracefmt::Event& ev, const Ctx& cur, Ctx& nw);
  Adv Fail(std::string msg);
  Adv CheckCtx(const Ctx& c, Req thread, Req proc, Req goroutine) {
    const auto ok = [](int64_t id, Req r) {
      return r == kMayHave || (r == kMustHave) == (id != kNone);
    };
    return ok(c.m, thread) && ok(c.p, proc) && ok(c.g, goroutine)
               ? Adv::kOk
               : CtxError(c, thread, proc, goroutine);
  }
  Adv CtxError(const Ctx& c, Req thread, Req proc, Req goroutine);
  Adv CheckUserGo(const Ctx& c) { return CheckCtx(c, kMustHave, kMustHave, kMustHave); }
  // The goroutine running in c, which must be in status want (want_name is
  // what Go's message says, which is not always the status it checks).
  Adv CurrentG(const Ctx& c, std::string_view name, uint8_t want, std::string_view want_name,
               GState** out);
  // The state of proc p for an event that needs it ("uninitialized proc").
  Adv BoundP(int64_t p, std::string_view name, PState** out);
  Adv StringArg(const tracefmt::Event& ev, uint64_t id);
  // %v of a ProcStatus: go1.22 has no name for SyscallAbandoned.
  std::string_view ProcStatusStr(uint8_t s) const {
    return tracefmt::ProcStatusName(static_cast<tracefmt::ProcStatus>(s), version_);
  }

  // Procs (validator_order_proc.cc).
  Adv ProcStatusEvent(const tracefmt::Event& ev, Ctx& nw);
  Adv ProcStart(const tracefmt::Event& ev, const Ctx& cur, Ctx& nw);
  Adv ProcStop(const tracefmt::Event& ev, const Ctx& cur, Ctx& nw);
  Adv ProcSteal(const tracefmt::Event& ev, const Ctx& cur, Ctx& nw);
  // Goroutines (validator_order_goroutine.cc).
  Adv GoStatusEvent(const tracefmt::Event& ev, const Ctx& cur, Ctx& nw);
  Adv GoCreate(const tracefmt::Event& ev, const Ctx& cur);
  Adv GoStopped(const tracefmt::Event& ev, const Ctx& cur, Ctx& nw);
  Adv GoStart(const tracefmt::Event& ev, const Ctx& cur, Ctx& nw);
  Adv GoUnblock(const tracefmt::Event& ev);
  Adv GoSyscallBegin(const tracefmt::Event& ev, const Ctx& cur);
  Adv GoSyscallEnd(const tracefmt::Event& ev, const Ctx& cur);
  Adv GoSyscallEndBlocked(const tracefmt::Event& ev, const Ctx& cur, Ctx& nw);
  Adv GoCreateSyscall(const tracefmt::Event& ev, const Ctx& cur, Ctx& nw);
  Adv GoDestroySyscall(const tracefmt::Event& ev, const Ctx& cur, Ctx& nw);
  Adv GoSwitch(const tracefmt::Event& ev, const Ctx& cur, Ctx& nw);
  // GC, ranges, tasks and regions (validator_order_range.cc).
  Adv UserTaskBegin(const tracefmt::Event& ev, const Ctx& cur);
  Adv UserRegion(const tracefmt::Event& ev, const Ctx& cur);
  Adv GCActive(const tracefmt::Event& ev, const Ctx& cur);
  Adv GCBegin(const tracefmt::Event& ev, const Ctx& cur);
  Adv GCEnd(const tracefmt::Event& ev, const Ctx& cur);
  Adv GCSweep(const tracefmt::Event& ev, const Ctx& cur);
  Adv GCSweepActive(const tracefmt::Event& ev);
  Adv GoRange(const tracefmt::Event& ev, const Ctx& cur);
  Adv GCMarkAssistActive(const tracefmt::Event& ev);
  Adv BeginRange(std::vector<RangeType>& in_flight, RangeType r);
  Adv ActiveRange(std::vector<RangeType>& in_flight, RangeType r);
  Adv EndRange(std::vector<RangeType>& in_flight, EvType typ);

  VecMap<int64_t, GState> g_states_;
  VecMap<int64_t, PState> p_states_;
  VecMap<int64_t, MState> m_states_;
  // M m's parser state, or null when m is kNone or not seen yet.
  const MState* FindM(int64_t m) const;
  VecMap<uint64_t, bool> active_tasks_;
  uint64_t gc_seq_ = 0;
  GCState gc_state_ = kGCUndetermined;
  uint64_t initial_gen_ = 0;

  // The step being taken.
  const Generation* gen_ = nullptr;
  uint64_t gen_num_ = 0;  // its generation number
  std::string err_;
  int extra_events_ = 0;
  tracefmt::Version version_ = tracefmt::Version::kGo122;
};

// Inline: it runs for every event tried, and most of it is bookkeeping.
// On kOk the M's bound G and P become `nw` (Go does this in a deferred
// function; on "not yet" nothing changed, and after an error the state no
// longer matters).
inline Ordering::Adv Ordering::Advance(const tracefmt::Event& ev, int64_t m,
                                       const Generation& gen) {
  gen_ = &gen;
  gen_num_ = gen.gen();
  extra_events_ = 0;
  if (initial_gen_ == 0) initial_gen_ = gen_num_;
  Ctx cur;
  cur.m = m;
  size_t at = 0, n = 0;
  if (m != kNone) {
    // Go creates the M's state on any attempt, even one that cannot
    // advance yet; later "non-existent thread" checks can see that.
    const auto it = m_states_.try_emplace(m).first;
    cur.g = it->second.g;
    cur.p = it->second.p;
    at = static_cast<size_t>(it - m_states_.begin());
    n = m_states_.size();
  }
  Ctx nw = cur;
  const Adv r = Dispatch(ev, cur, nw);
  if (r == Adv::kOk && m != kNone) {
    // Handlers only ever add Ms: if none was added, the entry is where it was.
    MState& ms = m_states_.size() == n ? (m_states_.begin() + at)->second : m_states_[m];
    ms.g = nw.g;
    ms.p = nw.p;
  }
  return r;
}

}  // namespace schedfuzz::oracle::internal

#endif  // SCHEDFUZZ_CORE_ORACLE_VALIDATOR_ORDER_H_
