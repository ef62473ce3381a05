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
  v_ = t_->version;
  decode_specs_ = tracefmt::DecodeSpecs(v_);
  gen_ = 0;
  have_freq_ = false;
  have_clock_ = false;
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
    const BatchKind kind = t[bi].kind;
    if (v_ == tracefmt::Version::kGo122 &&
        (kind == BatchKind::kEndOfGeneration || kind == BatchKind::kExperimental)) {
      // Their header bytes are no batch header to go1.22's readBatch.
      *err = ReadError{absl::StrFormat("expected batch event (EventBatch), got Invalid(%d)",
                                       kind == BatchKind::kEndOfGeneration ? 52 : 49),
                       bi};
      return false;
    }
    // go1.27's readBatch gives an EndOfGeneration generation 0.
    const uint64_t bgen = kind == BatchKind::kEndOfGeneration ? 0 : t[bi].gen;
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
  return Finish(err);
}

Generation::Read126 Generation::ReadUntilEnd(const Trace& t, size_t* next, ReadError* err) {
  t_ = &t;
  Clear();
  bool ended = false;
  while (*next < t.size()) {
    const size_t bi = (*next)++;
    const bool eog = t[bi].kind == BatchKind::kEndOfGeneration;
    const uint64_t bgen = eog ? 0 : t[bi].gen;
    if (gen_ == 0) gen_ = bgen;
    if (eog) {
      ended = true;
      break;
    }
    if (bgen == 0) {
      *err = ReadError{"invalid generation number 0", bi};
      return Read126::kError;
    }
    if (bgen != gen_) {
      *err = ReadError{
          "broken trace: missing end-of-generation event, or generations are interleaved", bi};
      return Read126::kError;
    }
    if (!ProcessBatch(bi, err)) return Read126::kError;
  }
  if (!ended) {
    // Go checks for event batches only: tables alone end the trace cleanly.
    if (batches_.empty()) return Read126::kDone;
    *err = ReadError{"incomplete generation found; trace likely truncated"};
    return Read126::kError;
  }
  return Finish(err) ? Read126::kRead : Read126::kError;
}

// The checks after a generation's last batch.
bool Generation::Finish(ReadError* err) {
  if (!have_freq_) {
    *err = ReadError{"no frequency event found"};
    return false;
  }
  if (v_ >= tracefmt::Version::kGo125 && !have_clock_) {
    *err = ReadError{"no clock snapshot event found"};
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
      // From Go 1.25 on a batch starting with Frequency is no sync batch:
      // an event batch that cannot be decoded (Misfiled).
      if (v_ >= tracefmt::Version::kGo125) break;
      // Go stores 1e9/freq as a float; it is never 0, so any second
      // frequency batch is a duplicate.
      if (have_freq_) {
        *err = ReadError{"found multiple frequency events", bi};
        return false;
      }
      have_freq_ = true;
      return true;
    case BatchKind::kSync:
      // Before Go 1.25 a batch starting with Sync is an event batch.
      if (v_ < tracefmt::Version::kGo125) break;
      return SetSync(bi, err);
    case BatchKind::kExperimental:
      // go1.27 keeps experimental batches aside; nothing orders them.
      return true;
    case BatchKind::kEndOfGeneration:
      // Only reached before Go 1.26, where Read rejects it first.
      return true;
    case BatchKind::kEvents:
    default: break;
  }
  AddEventBatch(bi);
  return true;
}

// setSyncBatch: its Frequency, then its ClockSnapshot (the order the writer
// puts them in); each may come once per generation.
bool Generation::SetSync(size_t bi, ReadError* err) {
  const Batch& b = (*t_)[bi];
  if (b.has_freq) {
    if (have_freq_) {
      *err = ReadError{"found multiple frequency events", bi};
      return false;
    }
    have_freq_ = true;
  }
  if (b.has_clock) {
    if (have_clock_) {
      *err = ReadError{"found multiple clock snapshot events", bi};
      return false;
    }
    have_clock_ = true;
  }
  return true;
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

// A Frequency batch from Go 1.25 on, or a Sync batch before it, is an event
// batch to Go whose first byte is that structural type: its first event
// cannot be decoded.
int Generation::Misfiled(BatchCursor& c, uint32_t bi, ReadError* err) const {
  static constexpr tracefmt::Event kFreq{tracefmt::EvType::kFrequency};
  static constexpr tracefmt::Event kSync{tracefmt::EvType::kSync};
  c.batch = bi;
  c.event = 0;
  c.ev = (*t_)[bi].kind == BatchKind::kFrequency ? &kFreq : &kSync;
  return BadEvent(c, err);
}

// readTimedBaseEvent's errors.
int Generation::BadEvent(const BatchCursor& c, ReadError* err) const {
  const int typ = static_cast<uint8_t>(c.ev->type);
  if (static_cast<size_t>(typ) >= decode_specs_) {
    *err = ReadError{absl::StrFormat("found invalid event type: %d", typ), c.batch, c.event};
  } else {
    *err = ReadError{absl::StrFormat("found event without a timestamp: type=%d", typ), c.batch,
                     c.event};
  }
  return -1;
}

}  // namespace schedfuzz::oracle::internal
