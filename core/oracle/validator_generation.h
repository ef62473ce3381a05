// One generation of a trace as Go's reader holds it (generation.go, batch.go,
// batchcursor.go): its string and stack tables, its CPU samples, its
// frequency (and from Go 1.25 its clock snapshot), and its event batches
// grouped per M into cursors. Go 1.22 traces follow go1.22's reader; later
// versions go1.27's (readGenerationWithSpill for 1.23 and 1.25,
// readGeneration for 1.26).
#ifndef SCHEDFUZZ_CORE_ORACLE_VALIDATOR_GENERATION_H_
#define SCHEDFUZZ_CORE_ORACLE_VALIDATOR_GENERATION_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

#include "core/oracle/validator_vecmap.h"
#include "core/tracefmt/spec.h"
#include "core/tracefmt/tables.h"
#include "core/tracefmt/trace.h"

namespace schedfuzz::oracle::internal {

// Go's NoGoroutine, NoProc and NoThread.
inline constexpr int64_t kNone = -1;

// Where reading stopped and why, in Go's words.
struct ReadError {
  std::string text;
  size_t batch = SIZE_MAX;
  size_t event = SIZE_MAX;
};

// batchcursor.go: all event batches of one M, in file order.
struct BatchCursor {
  int64_t m = kNone;
  uint32_t seg_pos = 0;  // [seg_pos, seg_end) of the generation's batch order still to read
  uint32_t seg_end = 0;
  uint32_t next_ev = 0;  // next event index within the batch at seg_pos
  // The event the cursor currently offers.
  uint32_t batch = 0;
  uint32_t event = 0;
  const tracefmt::Event* ev = nullptr;
};

class Generation {
 public:
  Generation();

  // readGeneration (readGenerationWithSpill): the batches of one generation,
  // from (*t)[*next] on, and the batch of the next generation already seen
  // (*spill, SIZE_MAX for none), which starts this one. Leaves *spill at the
  // first batch of the following generation. On false, *err says why.
  // Before Go 1.26.
  bool Read(const tracefmt::Trace& t, size_t* next, size_t* spill, ReadError* err);
  // go1.27 readGeneration for Go 1.26 traces: the batches up to the next
  // EndOfGeneration. kRead: a generation to order; kDone: the trace ended
  // between generations (batches after the last EndOfGeneration that hold
  // no event batch are dropped, as Go drops them); kError: *err says why.
  enum class Read126 { kRead, kDone, kError };
  Read126 ReadUntilEnd(const tracefmt::Trace& t, size_t* next, ReadError* err);

  // nextEvent + readTimedBaseEvent: 1 if the cursor now offers an event, 0
  // if it is exhausted, -1 on an event Go cannot decode (*err set).
  int NextEvent(BatchCursor& c, ReadError* err) const {
    while (c.seg_pos < c.seg_end) {
      const uint32_t bi = batch_order_[c.seg_pos];
      const tracefmt::Batch& b = (*t_)[bi];
      if (b.kind != tracefmt::BatchKind::kEvents) [[unlikely]] {
        return Misfiled(c, bi, err);
      }
      if (c.next_ev < b.events.size()) {
        c.batch = bi;
        c.event = c.next_ev++;
        c.ev = &b.events[c.event];
        return static_cast<size_t>(c.ev->type) < decode_specs_ && tracefmt::SpecOf(c.ev->type).timed
                   ? 1
                   : BadEvent(c, err);
      }
      ++c.seg_pos;
      c.next_ev = 0;
    }
    return 0;
  }

  bool HasString(uint64_t id) const { return tables_.HasString(id); }
  bool HasStack(uint64_t id) const { return tables_.HasStack(id); }
  absl::string_view String(uint64_t id) const {
    const std::string_view s = tables_.String(id);
    return {s.data(), s.size()};
  }

  uint64_t gen() const { return gen_; }
  // CPU samples of the generation: Go's reader returns each as an event.
  uint64_t cpu_samples() const { return cpu_samples_; }
  std::vector<BatchCursor>& cursors() { return cursors_; }
  const std::vector<BatchCursor>& cursors() const { return cursors_; }

 private:
  void Clear();
  bool Finish(ReadError* err);
  int BadEvent(const BatchCursor& c, ReadError* err) const;
  int Misfiled(BatchCursor& c, uint32_t bi, ReadError* err) const;
  bool ProcessBatch(size_t bi, ReadError* err);
  bool SetSync(size_t bi, ReadError* err);
  bool AddStrings(size_t bi, ReadError* err);
  bool AddStacks(size_t bi, ReadError* err);
  // False with *err set when s is an error.
  bool Failed(const absl::Status& s, size_t bi, ReadError* err) {
    return s.ok() || Fail(s, bi, err);
  }
  bool Fail(const absl::Status& s, size_t bi, ReadError* err);
  void AddEventBatch(size_t bi);
  void GroupBatchesByM();

  const tracefmt::Trace* t_ = nullptr;
  tracefmt::Version v_ = tracefmt::Version::kGo122;
  size_t decode_specs_ = tracefmt::kNumEvTypes;  // types readTimedBaseEvent knows
  uint64_t gen_ = 0;
  bool have_freq_ = false;
  bool have_clock_ = false;
  uint64_t cpu_samples_ = 0;
  tracefmt::GenTables tables_;
  VecMap<int64_t, uint32_t> m_to_cursor_;
  std::vector<uint32_t> batches_;       // event batches, file order
  std::vector<uint32_t> batch_cursor_;  // cursor of each batches_[i]
  std::vector<uint32_t> batch_order_;   // batches_ grouped by cursor
  std::vector<BatchCursor> cursors_;
};

}  // namespace schedfuzz::oracle::internal

#endif  // SCHEDFUZZ_CORE_ORACLE_VALIDATOR_GENERATION_H_
