#include "core/oracle/validator_generation.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

#include "core/tracefmt/spec.h"

namespace schedfuzz::oracle::internal {

using tracefmt::Batch;
using tracefmt::BatchKind;
using tracefmt::Trace;

// The tables start at the sizes a model trace needs (dozens of batches and
// strings, a few Ms), so filling them takes one allocation each rather than
// a series of regrowths.
Generation::Generation() {
  m_to_cursor_.reserve(16);
  batches_.reserve(64);
  batch_cursor_.reserve(64);
  batch_order_.reserve(64);
  cursors_.reserve(16);
}

void Generation::Clear() {
  gen_ = 0;
  have_freq_ = false;
  cpu_samples_ = 0;
  tables_.Clear();
  m_to_cursor_.clear();
  batches_.clear();
  batch_cursor_.clear();
  cursors_.clear();
}

bool Generation::Read(const Trace& t, size_t* next, size_t* spill, ReadError* err) {
  t_ = &t;
  Clear();
  if (*spill != SIZE_MAX) {
    const size_t s = *spill;
    gen_ = t[s].gen;
    *spill = SIZE_MAX;
    if (!ProcessBatch(s, err)) return false;
  }
  while (*next < t.size()) {
    const size_t bi = (*next)++;
    const uint64_t bgen = t[bi].gen;
    if (bgen == 0) {
      *err = ReadError{"invalid generation number 0", bi};
      return false;
    }
    if (gen_ == 0) gen_ = bgen;
    if (bgen == gen_ + 1) {
      *spill = bi;
      break;
    }
    if (bgen != gen_) {
      *err = ReadError{"generations out of order", bi};
      return false;
    }
    if (!ProcessBatch(bi, err)) return false;
  }
  if (!have_freq_) {
    *err = ReadError{"no frequency event found"};
    return false;
  }
  if (!Failed(tables_.ValidateStackStrings(), SIZE_MAX, err)) return false;
  GroupBatchesByM();
  return true;
}

// processBatch.
bool Generation::ProcessBatch(size_t bi, ReadError* err) {
  switch ((*t_)[bi].kind) {
    case BatchKind::kStrings: return AddStrings(bi, err);
    case BatchKind::kStacks: return AddStacks(bi, err);
    case BatchKind::kCPUSamples: cpu_samples_ += (*t_)[bi].samples.size(); return true;
    case BatchKind::kFrequency:
      // Go stores 1e9/freq as a float; it is never 0, so any second
      // frequency batch is a duplicate.
      if (have_freq_) {
        *err = ReadError{"found multiple frequency events", bi};
        return false;
      }
      have_freq_ = true;
      return true;
    case BatchKind::kEvents:
    default: AddEventBatch(bi); return true;
  }
}

bool Generation::Fail(const absl::Status& s, size_t bi, ReadError* err) {
  *err = ReadError{std::string(s.message()), bi};
  return false;
}

// addStrings: the tables check each entry as Go's dataTable.insert does.
bool Generation::AddStrings(size_t bi, ReadError* err) {
  for (const tracefmt::StringEntry& s : (*t_)[bi].strings) {
    if (!Failed(tables_.AddString(s.id, s.value), bi, err)) return false;
  }
  return true;
}

bool Generation::AddStacks(size_t bi, ReadError* err) {
  for (const tracefmt::StackEntry& s : (*t_)[bi].stacks) {
    if (!Failed(tables_.AddStack(s.id, s.frames.data(), s.frames.size()), bi, err)) return false;
  }
  return true;
}

void Generation::AddEventBatch(size_t bi) {
  const int64_t m = static_cast<int64_t>((*t_)[bi].m);
  auto [it, inserted] = m_to_cursor_.try_emplace(m, static_cast<uint32_t>(cursors_.size()));
  if (inserted) {
    cursors_.emplace_back();
    cursors_.back().m = m;
  }
  batches_.push_back(static_cast<uint32_t>(bi));
  batch_cursor_.push_back(it->second);
}

// A counting sort, stable in file order: each cursor's batches become one
// segment of batch_order_.
void Generation::GroupBatchesByM() {
  batch_order_.assign(batches_.size(), 0);
  for (uint32_t c : batch_cursor_) cursors_[c].seg_end++;
  uint32_t off = 0;
  for (BatchCursor& c : cursors_) {
    const uint32_t n = c.seg_end;
    c.seg_pos = off;
    c.seg_end = off;  // advanced below while filling
    off += n;
  }
  for (size_t i = 0; i < batches_.size(); ++i) {
    BatchCursor& c = cursors_[batch_cursor_[i]];
    batch_order_[c.seg_end++] = batches_[i];
  }
}

// readTimedBaseEvent's errors.
int Generation::BadEvent(const BatchCursor& c, ReadError* err) const {
  const int typ = static_cast<uint8_t>(c.ev->type);
  if (!tracefmt::IsKnown(c.ev->type)) {
    *err = ReadError{absl::StrFormat("found invalid event type: %d", typ), c.batch, c.event};
  } else {
    *err = ReadError{absl::StrFormat("found event without a timestamp: type=%d", typ), c.batch,
                     c.event};
  }
  return -1;
}

}  // namespace schedfuzz::oracle::internal
