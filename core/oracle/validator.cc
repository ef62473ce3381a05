// Go 1.22 trace reader model. Source of truth: src/internal/trace/v2 at
// go1.22.4 (no parser changes between go1.22.0 and go1.22.4). Line references
// below are to that version. Every error text is Go's, character for character
// (order.go's come from advance and its helpers, the others as marked).
//
// Go's identifiers are signed: GoID, ProcID and ThreadID are int64 with -1 for
// "none" (NoGoroutine, NoProc, NoThread). Event arguments are uint64 on the
// wire and converted, so an argument of 2^64-1 *is* "none" to Go, and ids are
// printed signed. Statuses are converted to uint8 (go122.GoStatus /
// ProcStatus), so only the low byte of a status argument counts. This file
// keeps exactly those conversions.
//
// Simplifications (deviations from what Go would do with the same trace once
// the exporter wrote it out), all on inputs the model never produces:
//  * Timestamps are the events' raw ticks, compared as uint64. Go converts
//    ticks to nanoseconds through the Frequency batch (float math, int64
//    result) and accumulates per-event deltas; for the model's freq = 1e9 the
//    order is the same. Timestamps that go backwards inside a batch (not
//    encodable on the wire) are taken as given.
//  * Equal timestamps: Go's tie order comes from random map iteration (which M
//    enters the heap first). Here ties go to the M whose first batch of the
//    generation comes first in the file. Go's unstable sort of frontiers with
//    more than 12 Ms is not reproduced either.
//  * A batch's kind is Batch::kind. On the wire Go classifies a batch by its
//    first byte, so an event batch starting with a structural event type
//    (2, 4, 6, 8) would be read as a stacks/strings/samples/frequency batch;
//    here it stays an event batch and its first event fails with Go's
//    `found event without a timestamp: type=N`. Unknown kinds are event
//    batches. Wire-level errors (header, varints, batch size > 64 KiB) cannot
//    occur in a Trace and are not checked.
//  * The stack table is always empty (a Trace carries no stacks), so any
//    non-zero stack ID is invalid; there are no CPU samples.
//  * GoDestroySyscall with a P makes Go return an extra ProcSteal event. It
//    changes no ordering state, so it is only counted in events_ordered.
//  * The dumps after `broken trace: failed to advance: frontier:` and
//    `broken trace: frontier is empty:` follow Go's layout (reader.go
//    dumpFrontier, order.go dumpOrdering) but list states sorted by id (Go
//    prints map order) and times in ticks. Only the first line is Go's text.
//  * GCSweepBegin/GCSweepEnd on a P with no state would be a nil dereference
//    (a panic) in Go; it cannot happen (bound Ps always have state, and P
//    states are never deleted) but if it did we report Go's panic text.
// User tasks, regions, and the GC sweep / mark assist / STW ranges are
// modelled fully, including their error texts.
#include "core/oracle/validator.h"

#include <algorithm>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"

namespace schedfuzz::oracle {
namespace {

using tracefmt::Batch;
using tracefmt::BatchKind;
using tracefmt::Event;
using tracefmt::EvType;
using tracefmt::Trace;

// Go's NoGoroutine, NoProc and NoThread.
constexpr int64_t kNone = -1;

// Event type numbers (go122/event.go).
enum : uint8_t {
  kEvProcsChange = 9,
  kEvProcStart = 10,
  kEvProcStop = 11,
  kEvProcSteal = 12,
  kEvProcStatus = 13,
  kEvGoCreate = 14,
  kEvGoCreateSyscall = 15,
  kEvGoStart = 16,
  kEvGoDestroy = 17,
  kEvGoDestroySyscall = 18,
  kEvGoStop = 19,
  kEvGoBlock = 20,
  kEvGoUnblock = 21,
  kEvGoSyscallBegin = 22,
  kEvGoSyscallEnd = 23,
  kEvGoSyscallEndBlocked = 24,
  kEvGoStatus = 25,
  kEvSTWBegin = 26,
  kEvSTWEnd = 27,
  kEvGCActive = 28,
  kEvGCBegin = 29,
  kEvGCEnd = 30,
  kEvGCSweepActive = 31,
  kEvGCSweepBegin = 32,
  kEvGCSweepEnd = 33,
  kEvGCMarkAssistActive = 34,
  kEvGCMarkAssistBegin = 35,
  kEvGCMarkAssistEnd = 36,
  kEvHeapAlloc = 37,
  kEvHeapGoal = 38,
  kEvGoLabel = 39,
  kEvUserTaskBegin = 40,
  kEvUserTaskEnd = 41,
  kEvUserRegionBegin = 42,
  kEvUserRegionEnd = 43,
  kEvUserLog = 44,
};
constexpr int kNumSpecs = 45;

// The subset of go122.Specs() the reader uses. Arg names exclude "dt".
// stack_ids/string_ids are 1-based positions in Go's Args (dt included), so
// argument index = position - 1; 0 ends the list.
struct Spec {
  const char* name;
  bool timed;
  uint8_t nargs;
  const char* arg_names[4];
  uint8_t start_ev;
  uint8_t stack_ids[2];
  uint8_t string_ids[2];
};

// clang-format off
constexpr Spec kSpecs[kNumSpecs] = {
    {"", false, 0, {}, 0, {}, {}},
    {"EventBatch", false, 0, {}, 0, {}, {}},
    {"Stacks", false, 0, {}, 0, {}, {}},
    {"Stack", false, 0, {}, 0, {}, {}},
    {"Strings", false, 0, {}, 0, {}, {}},
    {"String", false, 0, {}, 0, {}, {}},
    {"CPUSamples", false, 0, {}, 0, {}, {}},
    {"CPUSample", false, 0, {}, 0, {}, {}},
    {"Frequency", false, 0, {}, 0, {}, {}},
    {"ProcsChange", true, 2, {"procs_value", "stack"}, 0, {2}, {}},
    {"ProcStart", true, 2, {"p", "p_seq"}, 0, {}, {}},
    {"ProcStop", true, 0, {}, 0, {}, {}},
    {"ProcSteal", true, 3, {"p", "p_seq", "m"}, 0, {}, {}},
    {"ProcStatus", true, 2, {"p", "pstatus"}, 0, {}, {}},
    {"GoCreate", true, 3, {"new_g", "new_stack", "stack"}, 0, {3, 2}, {}},
    {"GoCreateSyscall", true, 1, {"new_g"}, 0, {}, {}},
    {"GoStart", true, 2, {"g", "g_seq"}, 0, {}, {}},
    {"GoDestroy", true, 0, {}, 0, {}, {}},
    {"GoDestroySyscall", true, 0, {}, 0, {}, {}},
    {"GoStop", true, 2, {"reason_string", "stack"}, 0, {2}, {1}},
    {"GoBlock", true, 2, {"reason_string", "stack"}, 0, {2}, {1}},
    {"GoUnblock", true, 3, {"g", "g_seq", "stack"}, 0, {3}, {}},
    {"GoSyscallBegin", true, 2, {"p_seq", "stack"}, 0, {2}, {}},
    {"GoSyscallEnd", true, 0, {}, kEvGoSyscallBegin, {}, {}},
    {"GoSyscallEndBlocked", true, 0, {}, kEvGoSyscallBegin, {}, {}},
    {"GoStatus", true, 3, {"g", "m", "gstatus"}, 0, {}, {}},
    {"STWBegin", true, 2, {"kind_string", "stack"}, 0, {2}, {1}},
    {"STWEnd", true, 0, {}, kEvSTWBegin, {}, {}},
    {"GCActive", true, 1, {"gc_seq"}, kEvGCBegin, {}, {}},
    {"GCBegin", true, 2, {"gc_seq", "stack"}, 0, {2}, {}},
    {"GCEnd", true, 1, {"gc_seq"}, kEvGCBegin, {}, {}},
    {"GCSweepActive", true, 1, {"p"}, kEvGCSweepBegin, {}, {}},
    {"GCSweepBegin", true, 1, {"stack"}, 0, {1}, {}},
    {"GCSweepEnd", true, 2, {"swept_value", "reclaimed_value"}, kEvGCSweepBegin, {}, {}},
    {"GCMarkAssistActive", true, 1, {"g"}, kEvGCMarkAssistBegin, {}, {}},
    {"GCMarkAssistBegin", true, 1, {"stack"}, 0, {1}, {}},
    {"GCMarkAssistEnd", true, 0, {}, kEvGCMarkAssistBegin, {}, {}},
    {"HeapAlloc", true, 1, {"heapalloc_value"}, 0, {}, {}},
    {"HeapGoal", true, 1, {"heapgoal_value"}, 0, {}, {}},
    {"GoLabel", true, 1, {"label_string"}, 0, {}, {1}},
    {"UserTaskBegin", true, 4, {"task", "parent_task", "name_string", "stack"}, 0, {4}, {3}},
    {"UserTaskEnd", true, 2, {"task", "stack"}, 0, {2}, {}},
    {"UserRegionBegin", true, 3, {"task", "name_string", "stack"}, 0, {3}, {2}},
    {"UserRegionEnd", true, 3, {"task", "name_string", "stack"}, kEvUserRegionBegin, {3}, {2}},
    {"UserLog", true, 4, {"task", "key_string", "value_string", "stack"}, 0, {4}, {2, 3}},
};
// clang-format on

// go122.GoStatus / go122.ProcStatus values and their String() methods. Note
// that Go prints ProcSyscallAbandoned as "Bad" (its String has no case for it).
enum : uint8_t { kGoBad = 0, kGoRunnable, kGoRunning, kGoSyscall, kGoWaiting };
enum : uint8_t { kProcBad = 0, kProcRunning, kProcIdle, kProcSyscall, kProcSyscallAbandoned };
// Both status->state tables in event.go have 5 entries; larger is invalid.
constexpr uint8_t kNumStatuses = 5;

const char* GoStatusStr(uint8_t s) {
  switch (s) {
    case kGoRunnable: return "Runnable";
    case kGoRunning: return "Running";
    case kGoSyscall: return "Syscall";
    case kGoWaiting: return "Waiting";
  }
  return "Bad";
}

const char* ProcStatusStr(uint8_t s) {
  switch (s) {
    case kProcRunning: return "Running";
    case kProcIdle: return "Idle";
    case kProcSyscall: return "Syscall";
  }
  return "Bad";
}

enum GCState : uint8_t { kGCUndetermined, kGCNotRunning, kGCRunning };

const char* GCStateStr(GCState s) {
  switch (s) {
    case kGCUndetermined: return "Undetermined";
    case kGCNotRunning: return "NotRunning";
    case kGCRunning: return "Running";
  }
  return "Bad";
}

// order.go seqCounter: a sequence number local to a generation.
struct Seq {
  uint64_t gen = 0;
  uint64_t seq = 0;
};
bool Succeeds(Seq a, Seq b) { return a.gen == b.gen && a.seq == b.seq + 1; }
std::string SeqStr(Seq s) { return absl::StrFormat("%d (gen=%d)", s.seq, s.gen); }

// order.go rangeType: the Begin event type of a range plus an optional
// subtype (STW kind string ID).
struct RangeType {
  uint8_t typ = 0;
  uint64_t desc = 0;
  bool operator==(const RangeType& o) const { return typ == o.typ && desc == o.desc; }
};
RangeType MakeRangeType(uint8_t typ, uint64_t desc) {
  if (kSpecs[typ].start_ev != 0) typ = kSpecs[typ].start_ev;
  return RangeType{typ, desc};
}
// Go's %v of a rangeType struct: "{typ desc}".
std::string RangeStr(const RangeType& r) {
  return absl::StrFormat("{%d %d}", static_cast<int>(r.typ), r.desc);
}

// order.go userRegion. The name is resolved (the string ID is per
// generation); it points into the Trace being validated.
struct Region {
  uint64_t task = 0;
  absl::string_view name;
  bool operator==(const Region& o) const { return task == o.task && name == o.name; }
};
std::string RegionStr(const Region& r) { return absl::StrCat("{", r.task, " ", r.name, "}"); }

// Go's event.SchedReqs constraints.
enum Req : uint8_t { kMustNotHave, kMayHave, kMustHave };

struct Ctx {
  int64_t g = kNone;
  int64_t p = kNone;
  int64_t m = kNone;
};

// order.go:862 validateCtx. Returns nullptr when ctx satisfies the requirements.
const char* ValidateCtx(const Ctx& c, Req thread, Req proc, Req goroutine) {
  if (thread == kMustHave && c.m == kNone) {
    return "expected a thread but didn't have one";
  } else if (thread == kMustNotHave && c.m != kNone) {
    return "expected no thread but had one";
  }
  if (proc == kMustHave && c.p == kNone) {
    return "expected a proc but didn't have one";
  } else if (proc == kMustNotHave && c.p != kNone) {
    return "expected no proc but had one";
  }
  if (goroutine == kMustHave && c.g == kNone) {
    return "expected a goroutine but didn't have one";
  } else if (goroutine == kMustNotHave && c.g != kNone) {
    return "expected no goroutine but had one";
  }
  return nullptr;
}
const char* ValidateUserGo(const Ctx& c) { return ValidateCtx(c, kMustHave, kMustHave, kMustHave); }

}  // namespace

// A map as a sorted vector. The validator's maps hold the goroutines, Ps and
// Ms of one trace: a few dozen keys, for which a binary search over
// contiguous memory beats hashing, iteration order is fixed, and a warm map
// allocates nothing. (Abseil's hash tables salt their probing with the
// table's heap address, so the work, and coverage, of a lookup varied
// between runs of one input. Go iterates its maps in random order; any fixed
// order is one of those.)
template <typename K, typename V>
class VecMap {
 public:
  using value_type = std::pair<K, V>;
  using iterator = typename std::vector<value_type>::iterator;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  iterator begin() { return v_.begin(); }
  iterator end() { return v_.end(); }
  const_iterator begin() const { return v_.begin(); }
  const_iterator end() const { return v_.end(); }
  size_t size() const { return v_.size(); }
  void clear() { v_.clear(); }

  iterator find(const K& k) {
    iterator it = LowerBound(k);
    return it != v_.end() && it->first == k ? it : v_.end();
  }
  const_iterator find(const K& k) const { return const_cast<VecMap*>(this)->find(k); }
  bool contains(const K& k) const { return find(k) != v_.end(); }
  const V& at(const K& k) const { return find(k)->second; }
  template <typename... Args>
  std::pair<iterator, bool> try_emplace(const K& k, Args&&... args) {
    iterator it = LowerBound(k);
    if (it != v_.end() && it->first == k) return {it, false};
    return {v_.emplace(it, std::piecewise_construct, std::forward_as_tuple(k),
                       std::forward_as_tuple(std::forward<Args>(args)...)),
            true};
  }
  template <typename VV>
  std::pair<iterator, bool> emplace(const K& k, VV&& val) {
    return try_emplace(k, std::forward<VV>(val));
  }
  V& operator[](const K& k) { return try_emplace(k).first->second; }
  void reserve(size_t n) { v_.reserve(n); }
  void erase(iterator it) { v_.erase(it); }
  void erase(const K& k) {
    iterator it = find(k);
    if (it != v_.end()) v_.erase(it);
  }

 private:
  iterator LowerBound(const K& k) {
    return std::lower_bound(v_.begin(), v_.end(), k,
                            [](const value_type& e, const K& key) { return e.first < key; });
  }
  std::vector<value_type> v_;
};

struct Validator::Impl {
  // A validator is made for each trace. Its tables start at the sizes a
  // model trace needs (kMaxGoroutines goroutines, a few Ps and Ms, dozens of
  // batches per generation), so filling them takes one allocation each
  // rather than a series of regrowths, each moving what was there.
  Impl() {
    g_states.reserve(80);
    p_states.reserve(16);
    m_states.reserve(16);
    strings.reserve(64);
    m_to_cursor.reserve(16);
    gen_batches.reserve(64);
    gen_batch_cursor.reserve(64);
    batch_order.reserve(64);
    cursors.reserve(16);
    frontier.reserve(16);
  }

  // ---- Ordering state (order.go `ordering`); persists across generations.
  struct GState {
    uint8_t status = kGoBad;
    Seq seq;
    std::vector<Region> regions;
    std::vector<RangeType> in_flight;
  };
  struct PState {
    uint8_t status = kProcBad;
    Seq seq;
    std::vector<RangeType> in_flight;
  };
  struct MState {
    int64_t g = kNone;
    int64_t p = kNone;
  };
  VecMap<int64_t, GState> g_states;
  VecMap<int64_t, PState> p_states;
  VecMap<int64_t, MState> m_states;
  VecMap<uint64_t, bool> active_tasks;
  uint64_t gc_seq = 0;
  GCState gc_state = kGCUndetermined;
  uint64_t initial_gen = 0;

  // ---- Current generation (generation.go `generation`).
  const Trace* t = nullptr;
  uint64_t gen = 0;
  bool have_freq = false;
  VecMap<uint64_t, absl::string_view> strings;
  VecMap<int64_t, uint32_t> m_to_cursor;
  std::vector<uint32_t> gen_batches;       // event batches, file order
  std::vector<uint32_t> gen_batch_cursor;  // cursor of each gen_batches[i]
  std::vector<uint32_t> batch_order;       // gen_batches grouped by cursor

  // batchcursor.go: all batches of one M, in file order.
  struct Cursor {
    int64_t m = kNone;
    uint32_t seg_pos = 0;  // [seg_pos, seg_end) of batch_order still to read
    uint32_t seg_end = 0;
    uint32_t next_ev = 0;  // next event index within batch_order[seg_pos]
    // The event the cursor currently offers.
    uint32_t batch = 0;
    uint32_t event = 0;
    const Event* ev = nullptr;
  };
  std::vector<Cursor> cursors;
  // Cursor ids with an event on offer, sorted by (timestamp, id): the order in
  // which Go's reader tries them.
  std::vector<uint32_t> frontier;

  // ---- Result being built.
  ValidationResult res;
  std::string err;           // scratch for the error text of the current step
  bool extra_event = false;  // the step makes Go return a synthetic ProcSteal

  enum class Adv { kNotYet, kOk, kError };

  Adv Fail(std::string msg) {
    err = std::move(msg);
    return Adv::kError;
  }

  void SetError(std::string msg, size_t batch, size_t event) {
    res.ok = false;
    res.error = std::move(msg);
    res.gen = gen;
    res.batch = batch;
    res.event = event;
  }

  void Reset(const Trace& tr) {
    g_states.clear();
    p_states.clear();
    m_states.clear();
    active_tasks.clear();
    gc_seq = 0;
    gc_state = kGCUndetermined;
    initial_gen = 0;
    t = &tr;
    gen = 0;
    res = ValidationResult{};
  }

  bool StringOk(uint64_t id) const { return id == 0 || strings.contains(id); }
  absl::string_view StringGet(uint64_t id) const {
    if (id == 0) return {};
    auto it = strings.find(id);
    return it == strings.end() ? absl::string_view() : it->second;
  }

  // ---------------------------------------------------------------------
  // generation.go:126 processBatch (with base.go:97 dataTable.insert).
  bool ProcessBatch(size_t bi) {
    const Batch& b = (*t)[bi];
    switch (b.kind) {
      case BatchKind::kStrings:
        for (const auto& s : b.strings) {
          if (s.value.size() > 1024) {  // go122.MaxStringSize
            SetError(absl::StrFormat("invalid string size %d, maximum is %d", s.value.size(), 1024),
                     bi, SIZE_MAX);
            return false;
          }
          // dataTable.insert: ID 0 always exists (as the empty string).
          absl::string_view existing;
          bool exists = s.id == 0;
          if (!exists) {
            auto it = strings.find(s.id);
            if (it != strings.end()) {
              exists = true;
              existing = it->second;
            }
          }
          if (exists) {
            SetError(absl::StrCat("multiple strings with the same ID: id=", s.id, ", new=", s.value,
                                  ", existing=", existing),
                     bi, SIZE_MAX);
            return false;
          }
          strings.emplace(s.id, absl::string_view(s.value.data(), s.value.size()));
        }
        return true;
      case BatchKind::kStacks: return true;  // A Trace's stacks batch holds no stacks.
      case BatchKind::kFrequency:
        // Go stores 1e9/freq as a float; it is never 0, so any second
        // frequency batch is a duplicate.
        if (have_freq) {
          SetError("found multiple frequency events", bi, SIZE_MAX);
          return false;
        }
        have_freq = true;
        return true;
      case BatchKind::kEvents:
      default: {
        const int64_t m = static_cast<int64_t>(b.m);
        auto [it, inserted] = m_to_cursor.try_emplace(m, static_cast<uint32_t>(cursors.size()));
        if (inserted) {
          cursors.emplace_back();
          cursors.back().m = m;
        }
        gen_batches.push_back(static_cast<uint32_t>(bi));
        gen_batch_cursor.push_back(it->second);
        return true;
      }
    }
  }

  // generation.go:44 readGeneration. `next` is the next unread batch; `spill` the
  // first batch of this generation if the previous read already saw it.
  bool ReadGeneration(size_t& next, size_t& spill) {
    gen = 0;
    have_freq = false;
    strings.clear();
    m_to_cursor.clear();
    gen_batches.clear();
    gen_batch_cursor.clear();
    cursors.clear();
    frontier.clear();
    if (spill != SIZE_MAX) {
      gen = (*t)[spill].gen;
      size_t s = spill;
      spill = SIZE_MAX;
      if (!ProcessBatch(s)) return false;
    }
    while (next < t->size()) {
      size_t bi = next++;
      uint64_t bgen = (*t)[bi].gen;
      if (bgen == 0) {
        SetError("invalid generation number 0", bi, SIZE_MAX);
        return false;
      }
      if (gen == 0) gen = bgen;
      if (bgen == gen + 1) {
        spill = bi;
        break;
      }
      if (bgen != gen) {
        SetError("generations out of order", bi, SIZE_MAX);
        return false;
      }
      if (!ProcessBatch(bi)) return false;
    }
    if (!have_freq) {
      SetError("no frequency event found", SIZE_MAX, SIZE_MAX);
      return false;
    }
    // Group the event batches by cursor (counting sort, stable in file order).
    batch_order.assign(gen_batches.size(), 0);
    std::vector<Cursor>& cs = cursors;
    for (uint32_t c : gen_batch_cursor) cs[c].seg_end++;
    uint32_t off = 0;
    for (Cursor& c : cs) {
      uint32_t n = c.seg_end;
      c.seg_pos = off;
      c.seg_end = off;  // advanced below while filling
      off += n;
    }
    for (size_t i = 0; i < gen_batches.size(); ++i) {
      Cursor& c = cs[gen_batch_cursor[i]];
      batch_order[c.seg_end++] = gen_batches[i];
    }
    return true;
  }

  // batchcursor.go:24 nextEvent + :67 readTimedBaseEvent: 1 if the cursor now offers
  // an event, 0 if it is exhausted, -1 on error (already recorded).
  int NextEvent(Cursor& c) {
    while (c.seg_pos < c.seg_end) {
      const uint32_t bi = batch_order[c.seg_pos];
      const Batch& b = (*t)[bi];
      if (c.next_ev < b.events.size()) {
        c.batch = bi;
        c.event = c.next_ev++;
        c.ev = &b.events[c.event];
        const uint8_t typ = static_cast<uint8_t>(c.ev->type);
        if (typ >= kNumSpecs) {
          SetError(absl::StrFormat("found invalid event type: %d", static_cast<int>(typ)), bi,
                   c.event);
          return -1;
        }
        if (!kSpecs[typ].timed) {
          SetError(
              absl::StrFormat("found event without a timestamp: type=%d", static_cast<int>(typ)),
              bi, c.event);
          return -1;
        }
        return 1;
      }
      ++c.seg_pos;
      c.next_ev = 0;
    }
    return 0;
  }

  bool Before(uint32_t a, uint32_t b) const {
    uint64_t ta = cursors[a].ev->ts, tb = cursors[b].ev->ts;
    return ta != tb ? ta < tb : a < b;
  }
  void FrontierInsert(uint32_t c) {
    auto pos = std::lower_bound(frontier.begin(), frontier.end(), c,
                                [this](uint32_t x, uint32_t y) { return Before(x, y); });
    frontier.insert(pos, c);
  }

  // ---------------------------------------------------------------------
  // Dumps for the two "broken trace" errors (reader.go:161 and :184).
  std::string BrokenTrace(const char* what) const {
    std::string s = absl::StrFormat("broken trace: %s:\n[gen=%d]\n\n", what, gen);
    for (uint32_t ci : frontier) {
      const Cursor& c = cursors[ci];
      const Spec& sp = kSpecs[static_cast<uint8_t>(c.ev->type)];
      absl::StrAppendFormat(&s, "M %d [%s time=%d", c.m, sp.name, c.ev->ts);
      for (int i = 0; i < sp.nargs; ++i) {
        absl::StrAppendFormat(&s, " %s=%d", sp.arg_names[i], c.ev->args[i]);
      }
      s += "]\n";
    }
    s += "\n";
    std::vector<int64_t> keys;
    for (const auto& [id, st] : g_states) keys.push_back(id);
    std::sort(keys.begin(), keys.end());
    for (int64_t id : keys) {
      const GState& st = g_states.at(id);
      absl::StrAppendFormat(&s, "G %d [status=%s seq=%s]\n", id, GoStatusStr(st.status),
                            SeqStr(st.seq));
    }
    s += "\n";
    keys.clear();
    for (const auto& [id, st] : p_states) keys.push_back(id);
    std::sort(keys.begin(), keys.end());
    for (int64_t id : keys) {
      const PState& st = p_states.at(id);
      absl::StrAppendFormat(&s, "P %d [status=%s seq=%s]\n", id, ProcStatusStr(st.status),
                            SeqStr(st.seq));
    }
    s += "\n";
    keys.clear();
    for (const auto& [id, st] : m_states) keys.push_back(id);
    std::sort(keys.begin(), keys.end());
    for (int64_t id : keys) {
      const MState& st = m_states.at(id);
      absl::StrAppendFormat(&s, "M %d [g=%d p=%d]\n", id, st.g, st.p);
    }
    s += "\n";
    absl::StrAppendFormat(&s, "GC %d %s\n", gc_seq, GCStateStr(gc_state));
    s += "\n";
    return s;
  }

  // ---------------------------------------------------------------------
  // order.go rangeState methods.
  Adv BeginRange(std::vector<RangeType>& in_flight, RangeType r) {
    if (std::find(in_flight.begin(), in_flight.end(), r) != in_flight.end()) {
      return Fail(absl::StrCat("discovered event already in-flight for when starting event ",
                               kSpecs[r.typ].name));
    }
    in_flight.push_back(r);
    return Adv::kOk;
  }
  Adv ActiveRange(std::vector<RangeType>& in_flight, RangeType r, bool initial) {
    const bool has = std::find(in_flight.begin(), in_flight.end(), r) != in_flight.end();
    if (initial) {
      if (has) {
        return Fail(absl::StrCat("found named active range already in first gen: ", RangeStr(r)));
      }
      in_flight.push_back(r);
    } else if (!has) {
      std::string list = "[";
      for (size_t i = 0; i < in_flight.size(); ++i) {
        if (i > 0) list += " ";
        list += RangeStr(in_flight[i]);
      }
      list += "]";
      return Fail(
          absl::StrCat("resource is missing active range: ", kSpecs[r.typ].name, " ", list));
    }
    return Adv::kOk;
  }
  Adv EndRange(std::vector<RangeType>& in_flight, uint8_t typ, uint64_t* desc) {
    const uint8_t st = kSpecs[typ].start_ev;
    size_t idx = 0;
    while (idx < in_flight.size() && in_flight[idx].typ != st) ++idx;
    if (idx == in_flight.size()) {
      return Fail(absl::StrCat("tried to end event ", kSpecs[st].name, ", but not in-flight"));
    }
    if (desc != nullptr) *desc = in_flight[idx].desc;
    // Swap-remove, as Go does (the order shows in later error texts).
    std::swap(in_flight[idx], in_flight.back());
    in_flight.pop_back();
    return Adv::kOk;
  }

  // ---------------------------------------------------------------------
  // order.go:56 advance. On kOk the M's bound G and P become `nw` (Go does this
  // in a deferred function; on "not yet" nothing changed, and after an error
  // the state no longer matters).
  Adv Advance(const Event& ev, int64_t m) {
    if (initial_gen == 0) initial_gen = gen;
    Ctx cur;
    cur.m = m;
    size_t at = 0, n = 0;
    if (m != kNone) {
      // Go creates the M's state on any attempt, even one that cannot
      // advance yet; later "non-existent thread" checks can see that.
      const auto it = m_states.try_emplace(m).first;
      cur.g = it->second.g;
      cur.p = it->second.p;
      at = static_cast<size_t>(it - m_states.begin());
      n = m_states.size();
    }
    Ctx nw = cur;
    Adv r = AdvanceSwitch(ev, cur, nw);
    if (r == Adv::kOk && m != kNone) {
      // AdvanceSwitch only ever adds Ms: if none was added, the entry is
      // where it was.
      MState& ms = m_states.size() == n ? (m_states.begin() + at)->second : m_states[m];
      ms.g = nw.g;
      ms.p = nw.p;
    }
    return r;
  }

  Adv AdvanceSwitch(const Event& ev, const Ctx& cur, Ctx& nw) {
    const uint8_t typ = static_cast<uint8_t>(ev.type);
    const char* name = typ < kNumSpecs ? kSpecs[typ].name : "";
    const uint64_t* a = ev.args;
    switch (typ) {
      // ---- Procs.
      case kEvProcStatus: {
        const int64_t pid = static_cast<int64_t>(a[0]);
        const uint8_t status = static_cast<uint8_t>(a[1]);
        if (status >= kNumStatuses) {
          return Fail(
              absl::StrFormat("invalid status for proc %d: %d", pid, static_cast<int>(status)));
        }
        bool promoted = false;  // Syscall -> SyscallAbandoned
        auto it = p_states.find(pid);
        if (it != p_states.end()) {
          PState& s = it->second;
          if (status == kProcSyscallAbandoned && s.status == kProcSyscall) {
            promoted = true;
          } else if (status == kProcSyscallAbandoned && s.status == kProcSyscallAbandoned) {
            // Passes through as idle.
          } else if (s.status != status) {
            return Fail(absl::StrFormat("inconsistent status for proc %d: old %s vs. new %s", pid,
                                        ProcStatusStr(s.status), ProcStatusStr(status)));
          }
          s.seq = Seq{gen, 0};
        } else {
          PState& s = p_states[pid];
          s.status = status;
          s.seq = Seq{gen, 0};
        }
        if (status == kProcRunning || status == kProcSyscall) nw.p = pid;
        if (promoted) {
          // Go looks for the M the P is bound to, to report the event there.
          bool found = false;
          for (const auto& [mid, ms] : m_states) {
            if (ms.p == pid) {
              found = true;
              break;
            }
          }
          if (!found) {
            return Fail(
                absl::StrFormat("failed to find sched context for proc %d that's about to be "
                                "stolen",
                                pid));
          }
        }
        return Adv::kOk;
      }
      case kEvProcStart: {
        const int64_t pid = static_cast<int64_t>(a[0]);
        const Seq seq{gen, a[1]};
        auto it = p_states.find(pid);
        if (it == p_states.end() || it->second.status != kProcIdle ||
            !Succeeds(seq, it->second.seq) || cur.p != kNone) {
          return Adv::kNotYet;
        }
        if (const char* e = ValidateCtx(cur, kMustHave, kMustNotHave, kMayHave)) {
          return Fail(e);
        }
        it->second.status = kProcRunning;
        it->second.seq = seq;
        nw.p = pid;
        return Adv::kOk;
      }
      case kEvProcStop: {
        auto it = p_states.find(cur.p);
        if (it == p_states.end()) {
          return Fail(absl::StrFormat("event %s for proc (%d) that doesn't exist", name, cur.p));
        }
        if (it->second.status != kProcRunning && it->second.status != kProcSyscall) {
          return Fail(absl::StrCat(name, " event for proc that's not Running or Syscall"));
        }
        if (const char* e = ValidateCtx(cur, kMustHave, kMustHave, kMayHave)) {
          return Fail(e);
        }
        it->second.status = kProcIdle;
        nw.p = kNone;
        return Adv::kOk;
      }
      case kEvProcSteal: {
        const int64_t pid = static_cast<int64_t>(a[0]);
        const Seq seq{gen, a[1]};
        auto it = p_states.find(pid);
        if (it == p_states.end() ||
            (it->second.status != kProcSyscall && it->second.status != kProcSyscallAbandoned) ||
            !Succeeds(seq, it->second.seq)) {
          return Adv::kNotYet;
        }
        if (const char* e = ValidateCtx(cur, kMustHave, kMayHave, kMayHave)) {
          return Fail(e);
        }
        const uint8_t old = it->second.status;
        it->second.status = kProcIdle;
        it->second.seq = seq;
        // Information was lost; don't touch any M.
        if (old == kProcSyscallAbandoned) return Adv::kOk;
        const int64_t mid = static_cast<int64_t>(a[2]);
        if (mid == cur.m) {
          if (cur.p != pid) {
            return Fail(
                absl::StrFormat("tried to self-steal proc %d (thread %d), but got proc %d "
                                "instead",
                                pid, mid, cur.p));
          }
          nw.p = kNone;
          return Adv::kOk;
        }
        auto mit = m_states.find(mid);
        if (mit == m_states.end()) {
          return Fail(absl::StrFormat("stole proc from non-existent thread %d", mid));
        }
        if (mit->second.p != pid) {
          return Fail(
              absl::StrFormat("tried to steal proc %d from thread %d, but got proc %d instead", pid,
                              mid, mit->second.p));
        }
        mit->second.p = kNone;
        return Adv::kOk;
      }

      // ---- Goroutines.
      case kEvGoStatus: {
        const int64_t gid = static_cast<int64_t>(a[0]);
        const int64_t mid = static_cast<int64_t>(a[1]);
        const uint8_t status = static_cast<uint8_t>(a[2]);
        if (status >= kNumStatuses) {
          return Fail(absl::StrFormat("invalid status for goroutine %d: %d", gid,
                                      static_cast<int>(status)));
        }
        auto it = g_states.find(gid);
        if (it != g_states.end()) {
          if (it->second.status != status) {
            return Fail(absl::StrFormat("inconsistent status for goroutine %d: old %s vs. new %s",
                                        gid, GoStatusStr(it->second.status), GoStatusStr(status)));
          }
          it->second.seq = Seq{gen, 0};
        } else if (gen == initial_gen) {
          GState& s = g_states[gid];
          s.status = status;
          s.seq = Seq{gen, 0};
        } else {
          return Fail(
              absl::StrFormat("found goroutine status for new goroutine after the first "
                              "generation: id=%d status=%s",
                              gid, GoStatusStr(status)));
        }
        if (status == kGoRunning) {
          nw.g = gid;
        } else if (status == kGoSyscall) {
          if (mid == kNone) {
            return Fail(absl::StrFormat("found goroutine %d in syscall without a thread", gid));
          }
          if (mid == cur.m) {
            if (gen != initial_gen && cur.g != gid) {
              return Fail(
                  absl::StrFormat("inconsistent thread for syscalling goroutine %d: thread "
                                  "has goroutine %d",
                                  gid, cur.g));
            }
            nw.g = gid;
          } else {
            // A goroutine sitting in a syscall on another M all generation.
            auto mit = m_states.find(mid);
            if (mit != m_states.end()) {
              if (mit->second.g != gid) {
                return Fail(
                    absl::StrFormat("inconsistent thread for syscalling goroutine %d: thread "
                                    "has goroutine %d",
                                    gid, mit->second.g));
              }
            } else {
              m_states.emplace(mid, MState{gid, kNone});
            }
          }
        }
        return Adv::kOk;
      }
      case kEvGoCreate: {
        if (const char* e = ValidateCtx(cur, kMustHave, kMustHave, kMayHave)) {
          return Fail(e);
        }
        auto cit = g_states.find(cur.g);
        if (cit != g_states.end() && cit->second.status != kGoRunning) {
          return Fail(absl::StrCat(name, " event for goroutine that's not Running"));
        }
        const int64_t newg = static_cast<int64_t>(a[0]);
        if (g_states.contains(newg)) {
          return Fail(absl::StrFormat("tried to create goroutine (%d) that already exists", newg));
        }
        GState& s = g_states[newg];
        s.status = kGoRunnable;
        s.seq = Seq{gen, 0};
        return Adv::kOk;
      }
      case kEvGoDestroy:
      case kEvGoStop:
      case kEvGoBlock: {
        if (const char* e = ValidateUserGo(cur)) return Fail(e);
        auto it = g_states.find(cur.g);
        if (it == g_states.end()) {
          return Fail(
              absl::StrFormat("event %s for goroutine (%d) that doesn't exist", name, cur.g));
        }
        if (it->second.status != kGoRunning) {
          return Fail(absl::StrCat(name, " event for goroutine that's not Running"));
        }
        if (typ == kEvGoDestroy) {
          g_states.erase(it);
        } else {
          it->second.status = typ == kEvGoStop ? kGoRunnable : kGoWaiting;
        }
        nw.g = kNone;
        return Adv::kOk;
      }
      case kEvGoStart: {
        const int64_t gid = static_cast<int64_t>(a[0]);
        const Seq seq{gen, a[1]};
        auto it = g_states.find(gid);
        if (it == g_states.end() || it->second.status != kGoRunnable ||
            !Succeeds(seq, it->second.seq)) {
          return Adv::kNotYet;
        }
        if (const char* e = ValidateCtx(cur, kMustHave, kMustHave, kMustNotHave)) {
          return Fail(e);
        }
        it->second.status = kGoRunning;
        it->second.seq = seq;
        nw.g = gid;
        return Adv::kOk;
      }
      case kEvGoUnblock: {
        const int64_t gid = static_cast<int64_t>(a[0]);
        const Seq seq{gen, a[1]};
        auto it = g_states.find(gid);
        if (it == g_states.end() || it->second.status != kGoWaiting ||
            !Succeeds(seq, it->second.seq)) {
          return Adv::kNotYet;
        }
        // Anyone may unblock a goroutine (even sysmon): no context checks.
        it->second.status = kGoRunnable;
        it->second.seq = seq;
        return Adv::kOk;
      }
      case kEvGoSyscallBegin: {
        if (const char* e = ValidateUserGo(cur)) return Fail(e);
        auto it = g_states.find(cur.g);
        if (it == g_states.end()) {
          return Fail(
              absl::StrFormat("event %s for goroutine (%d) that doesn't exist", name, cur.g));
        }
        if (it->second.status != kGoRunning) {
          return Fail(absl::StrCat(name, " event for goroutine that's not Running"));
        }
        it->second.status = kGoSyscall;
        auto pit = p_states.find(cur.p);
        if (pit == p_states.end()) {
          return Fail(absl::StrFormat("uninitialized proc %d found during %s", cur.p, name));
        }
        pit->second.status = kProcSyscall;
        // The P sequence number here is enforced, not waited for.
        const Seq pseq{gen, a[0]};
        if (!Succeeds(pseq, pit->second.seq)) {
          return Fail(absl::StrFormat("failed to advance %s: can't make sequence: %s -> %s", name,
                                      SeqStr(pit->second.seq), SeqStr(pseq)));
        }
        pit->second.seq = pseq;
        return Adv::kOk;
      }
      case kEvGoSyscallEnd: {
        if (const char* e = ValidateUserGo(cur)) return Fail(e);
        auto it = g_states.find(cur.g);
        if (it == g_states.end()) {
          return Fail(
              absl::StrFormat("event %s for goroutine (%d) that doesn't exist", name, cur.g));
        }
        if (it->second.status != kGoSyscall) {
          // Go's text says Running although it checks for Syscall.
          return Fail(absl::StrCat(name, " event for goroutine that's not Running"));
        }
        it->second.status = kGoRunning;
        auto pit = p_states.find(cur.p);
        if (pit == p_states.end()) {
          return Fail(absl::StrFormat("uninitialized proc %d found during %s", cur.p, name));
        }
        if (pit->second.status != kProcSyscall) {
          return Fail(absl::StrFormat("expected proc %d in state Syscall, but got %s instead",
                                      cur.p, ProcStatusStr(pit->second.status)));
        }
        pit->second.status = kProcRunning;
        return Adv::kOk;
      }
      case kEvGoSyscallEndBlocked: {
        // Not yet while our P is still in the syscall: it must be stolen or
        // stopped first.
        if (cur.p != kNone) {
          auto pit = p_states.find(cur.p);
          if (pit == p_states.end()) {
            return Fail(absl::StrFormat("uninitialized proc %d found during %s", cur.p, name));
          }
          if (pit->second.status == kProcSyscall) return Adv::kNotYet;
        }
        if (const char* e = ValidateCtx(cur, kMustHave, kMayHave, kMustHave)) {
          return Fail(e);
        }
        auto it = g_states.find(cur.g);
        if (it == g_states.end()) {
          return Fail(
              absl::StrFormat("event %s for goroutine (%d) that doesn't exist", name, cur.g));
        }
        if (it->second.status != kGoSyscall) {
          return Fail(absl::StrCat(name, " event for goroutine that's not Running"));
        }
        nw.g = kNone;
        it->second.status = kGoRunnable;
        return Adv::kOk;
      }
      case kEvGoCreateSyscall: {
        if (const char* e = ValidateCtx(cur, kMustHave, kMayHave, kMustNotHave)) {
          return Fail(e);
        }
        const int64_t newg = static_cast<int64_t>(a[0]);
        if (g_states.contains(newg)) {
          return Fail(absl::StrFormat(
              "tried to create goroutine (%d) in syscall that already exists", newg));
        }
        GState& s = g_states[newg];
        s.status = kGoSyscall;
        s.seq = Seq{gen, 0};
        nw.g = newg;
        return Adv::kOk;
      }
      case kEvGoDestroySyscall: {
        if (const char* e = ValidateCtx(cur, kMustHave, kMayHave, kMustHave)) {
          return Fail(e);
        }
        auto it = g_states.find(cur.g);
        if (it == g_states.end()) {
          return Fail(
              absl::StrFormat("event %s for goroutine (%d) that doesn't exist", name, cur.g));
        }
        if (it->second.status != kGoSyscall) {
          return Fail(absl::StrCat(name, " event for goroutine that's not Syscall"));
        }
        g_states.erase(it);
        nw.g = kNone;
        if (cur.p != kNone) {
          // The thread drops its P (Go also emits a synthetic self-ProcSteal).
          auto pit = p_states.find(cur.p);
          if (pit == p_states.end()) {
            return Fail(absl::StrFormat("found invalid proc %d during %s", cur.p, name));
          }
          if (pit->second.status != kProcSyscall) {
            return Fail(absl::StrFormat("proc %d in unexpected state %s during %s", cur.p,
                                        ProcStatusStr(pit->second.status), name));
          }
          pit->second.status = kProcSyscallAbandoned;
          nw.p = kNone;
          extra_event = true;
        }
        return Adv::kOk;
      }

      // ---- User tasks and regions.
      case kEvUserTaskBegin: {
        const uint64_t id = a[0];
        if (active_tasks.contains(id)) {
          return Fail(absl::StrFormat("task ID conflict: %d", id));
        }
        const uint64_t name_id = a[2];
        if (!StringOk(name_id)) {
          // Go prints the event type with %v: a number.
          return Fail(
              absl::StrFormat("invalid string ID %d for %d event", name_id, static_cast<int>(typ)));
        }
        active_tasks.emplace(id, true);
        if (const char* e = ValidateUserGo(cur)) return Fail(e);
        return Adv::kOk;
      }
      case kEvUserTaskEnd: {
        active_tasks.erase(a[0]);
        if (const char* e = ValidateUserGo(cur)) return Fail(e);
        return Adv::kOk;
      }
      case kEvUserRegionBegin:
      case kEvUserRegionEnd: {
        if (const char* e = ValidateUserGo(cur)) return Fail(e);
        const uint64_t name_id = a[1];
        if (!StringOk(name_id)) {
          return Fail(
              absl::StrFormat("invalid string ID %d for %d event", name_id, static_cast<int>(typ)));
        }
        auto it = g_states.find(cur.g);
        if (it == g_states.end()) {
          return Fail(absl::StrFormat(
              "encountered %s without known state for current goroutine %d",
              typ == kEvUserRegionBegin ? "EvUserRegionBegin" : "EvUserRegionEnd", cur.g));
        }
        const Region r{a[0], StringGet(name_id)};
        std::vector<Region>& regions = it->second.regions;
        if (typ == kEvUserRegionBegin) {
          regions.push_back(r);
          return Adv::kOk;
        }
        // Regions that began before tracing started are unknown: any end is
        // fine then.
        if (regions.empty()) return Adv::kOk;
        if (!(regions.back() == r)) {
          return Fail(absl::StrCat(
              "misuse of region in goroutine ", cur.g, ": region end ", RegionStr(r),
              " when the inner-most active region start event is ", RegionStr(regions.back())));
        }
        regions.pop_back();
        return Adv::kOk;
      }

      // ---- GC mark phase, with its own sequence numbers.
      case kEvGCActive: {
        const uint64_t seq = a[0];
        if (gen == initial_gen) {
          if (gc_state != kGCUndetermined) {
            return Fail("GCActive in the first generation isn't first GC event");
          }
          gc_seq = seq;
          gc_state = kGCRunning;
          return Adv::kOk;
        }
        if (seq != gc_seq + 1) return Adv::kNotYet;
        if (gc_state != kGCRunning) {
          return Fail("encountered GCActive while GC was not in progress");
        }
        gc_seq = seq;
        if (const char* e = ValidateUserGo(cur)) return Fail(e);
        return Adv::kOk;
      }
      case kEvGCBegin: {
        const uint64_t seq = a[0];
        if (gc_state == kGCUndetermined) {
          gc_seq = seq;
          gc_state = kGCRunning;
          return Adv::kOk;
        }
        if (seq != gc_seq + 1) return Adv::kNotYet;
        if (gc_state == kGCRunning) {
          return Fail("encountered GCBegin while GC was already in progress");
        }
        gc_seq = seq;
        gc_state = kGCRunning;
        if (const char* e = ValidateUserGo(cur)) return Fail(e);
        return Adv::kOk;
      }
      case kEvGCEnd: {
        const uint64_t seq = a[0];
        if (seq != gc_seq + 1) return Adv::kNotYet;
        if (gc_state == kGCNotRunning) {
          return Fail("encountered GCEnd when GC was not in progress");
        }
        if (gc_state == kGCUndetermined) {
          return Fail("encountered GCEnd when GC was in an undetermined state");
        }
        gc_seq = seq;
        gc_state = kGCNotRunning;
        if (const char* e = ValidateUserGo(cur)) return Fail(e);
        return Adv::kOk;
      }

      // ---- Simple instantaneous events.
      case kEvGoLabel:
      case kEvProcsChange:
      case kEvUserLog:
        if (const char* e = ValidateUserGo(cur)) return Fail(e);
        return Adv::kOk;
      case kEvHeapAlloc:
      case kEvHeapGoal:
        if (const char* e = ValidateCtx(cur, kMustHave, kMustHave, kMayHave)) {
          return Fail(e);
        }
        return Adv::kOk;

      // ---- Sweep ranges, bound to a P.
      case kEvGCSweepBegin:
      case kEvGCSweepEnd: {
        if (const char* e = ValidateCtx(cur, kMustHave, kMustHave, kMayHave)) {
          return Fail(e);
        }
        auto pit = p_states.find(cur.p);
        if (pit == p_states.end()) {
          return Fail(
              "runtime error: invalid memory address or nil pointer "
              "dereference");
        }
        if (typ == kEvGCSweepBegin) {
          return BeginRange(pit->second.in_flight, MakeRangeType(typ, 0));
        }
        return EndRange(pit->second.in_flight, typ, nullptr);
      }
      case kEvGCSweepActive: {
        const int64_t pid = static_cast<int64_t>(a[0]);
        auto pit = p_states.find(pid);
        if (pit == p_states.end()) {
          return Fail(absl::StrFormat("encountered GCSweepActive for unknown proc %d", pid));
        }
        return ActiveRange(pit->second.in_flight, MakeRangeType(typ, 0), gen == initial_gen);
      }

      // ---- Goroutine-bound ranges.
      case kEvSTWBegin:
      case kEvGCMarkAssistBegin: {
        if (const char* e = ValidateUserGo(cur)) return Fail(e);
        const uint64_t desc = typ == kEvSTWBegin ? a[0] : 0;
        auto it = g_states.find(cur.g);
        if (it == g_states.end()) {
          return Fail(
              absl::StrFormat("encountered event of type %d without known state for current "
                              "goroutine %d",
                              static_cast<int>(typ), cur.g));
        }
        return BeginRange(it->second.in_flight, MakeRangeType(typ, desc));
      }
      case kEvGCMarkAssistActive: {
        // Like GoStatus, may name a goroutine that is not running here.
        const int64_t gid = static_cast<int64_t>(a[0]);
        auto it = g_states.find(gid);
        if (it == g_states.end()) {
          return Fail(absl::StrFormat("uninitialized goroutine %d found during %s", gid, name));
        }
        return ActiveRange(it->second.in_flight, MakeRangeType(typ, 0), gen == initial_gen);
      }
      case kEvSTWEnd:
      case kEvGCMarkAssistEnd: {
        if (const char* e = ValidateUserGo(cur)) return Fail(e);
        auto it = g_states.find(cur.g);
        if (it == g_states.end()) {
          return Fail(
              absl::StrFormat("encountered event of type %d without known state for current "
                              "goroutine %d",
                              static_cast<int>(typ), cur.g));
        }
        return EndRange(it->second.in_flight, typ, nullptr);
      }
    }
    // Unreachable through the reader: the batch cursor already rejects every
    // type that is not a timed 1.22 event, and all of those are handled above.
    return Fail(absl::StrFormat("bad event type found while ordering: %d", static_cast<int>(typ)));
  }

  // event.go:739 validateTableIDs: stack and string IDs must exist in this
  // generation's tables (ID 0 always does).
  bool ValidateTableIDs(const Event& ev, size_t bi, size_t ei) {
    const Spec& sp = kSpecs[static_cast<uint8_t>(ev.type)];
    for (uint8_t pos : sp.stack_ids) {
      if (pos == 0) break;
      const uint64_t id = ev.args[pos - 1];
      if (id != 0) {  // The stack table is always empty.
        SetError(absl::StrFormat("found invalid stack ID %d for event %s", id, sp.name), bi, ei);
        return false;
      }
    }
    for (uint8_t pos : sp.string_ids) {
      if (pos == 0) break;
      const uint64_t id = ev.args[pos - 1];
      if (!StringOk(id)) {
        SetError(absl::StrFormat("found invalid string ID %d for event %s", id, sp.name), bi, ei);
        return false;
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------
  // reader.go:57 ReadEvent, called until io.EOF or an error.
  void Run() {
    size_t next = 0;
    size_t spill = SIZE_MAX;
    bool first = true;
    while (first || spill != SIZE_MAX) {
      first = false;
      if (!ReadGeneration(next, spill)) return;
      // Frontier: each cursor's first event.
      for (uint32_t c = 0; c < cursors.size(); ++c) {
        int r = NextEvent(cursors[c]);
        if (r < 0) return;
        if (r > 0) FrontierInsert(c);
      }
      if (frontier.empty()) {
        SetError(BrokenTrace("frontier is empty"), SIZE_MAX, SIZE_MAX);
        return;
      }
      while (!frontier.empty()) {
        size_t i = 0;
        Adv r = Adv::kNotYet;
        extra_event = false;
        for (; i < frontier.size(); ++i) {
          const Cursor& c = cursors[frontier[i]];
          r = Advance(*c.ev, c.m);
          if (r != Adv::kNotYet) break;
        }
        if (r == Adv::kNotYet) {
          const Cursor& head = cursors[frontier[0]];
          SetError(BrokenTrace("failed to advance: frontier"), head.batch, head.event);
          return;
        }
        const uint32_t ci = frontier[i];
        Cursor& c = cursors[ci];
        if (r == Adv::kError) {
          SetError(std::move(err), c.batch, c.event);
          return;
        }
        // Taken: refresh the cursor first (its next event may be malformed),
        // then check the taken event's table IDs, as ReadEvent's defer does.
        const Event* ev = c.ev;
        const size_t bi = c.batch, ei = c.event;
        frontier.erase(frontier.begin() + i);
        int more = NextEvent(c);
        if (more < 0) return;
        if (more > 0) FrontierInsert(ci);
        if (!ValidateTableIDs(*ev, bi, ei)) return;
        res.events_ordered += extra_event ? 2 : 1;
      }
    }
  }
};

Validator::Validator() : impl_(std::make_unique<Impl>()) {}
Validator::~Validator() = default;

ValidationResult Validator::Validate(const tracefmt::Trace& t) {
  impl_->Reset(t);
  impl_->Run();
  impl_->t = nullptr;
  ValidationResult r = std::move(impl_->res);
  impl_->res = ValidationResult{};
  return r;
}

ValidationResult ValidateTrace(const tracefmt::Trace& t) {
  thread_local Validator v;
  return v.Validate(t);
}

}  // namespace schedfuzz::oracle
