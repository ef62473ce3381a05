#include "core/tracefmt/wire.h"

#include <algorithm>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace schedfuzz::tracefmt {

// ---------------------------------------------------------------------------
// Varints.

size_t UvarintLen(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

namespace {

// Encodes v into buf (at least kMaxUvarintLen bytes); returns the length.
size_t EncodeUvarint(uint64_t v, char* buf) {
  size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>(static_cast<uint8_t>(v) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  return n;
}

}  // namespace

void AppendUvarint(std::string* out, uint64_t v) {
  char buf[kMaxUvarintLen];
  out->append(buf, EncodeUvarint(v, buf));
}

UvarintStatus DecodeUvarint(std::string_view in, size_t* pos, uint64_t* v) {
  uint64_t x = 0;
  unsigned shift = 0;
  size_t p = *pos;
  // Same acceptance as encoding/binary: at most ten bytes, and the tenth may
  // only contribute the single remaining bit.
  for (size_t i = 0; i < kMaxUvarintLen; ++i, ++p) {
    if (p >= in.size()) return UvarintStatus::kTruncated;
    auto b = static_cast<uint8_t>(in[p]);
    if (b < 0x80) {
      if (i == kMaxUvarintLen - 1 && b > 1) return UvarintStatus::kOverflow;
      *v = x | uint64_t{b} << shift;
      *pos = p + 1;
      return UvarintStatus::kOk;
    }
    x |= uint64_t{b & 0x7fu} << shift;
    shift += 7;
  }
  return UvarintStatus::kOverflow;
}

// ---------------------------------------------------------------------------
// Writing.

namespace {

constexpr char kEvEventBatch = static_cast<char>(EvType::kEventBatch);

// Go 1.22's reader decodes with go122.Specs(); go1.27's with the whole
// tracev2 table whatever the version, so that is what a later version's
// events carry.
int ArgsOnWire(EvType t, Version v) {
  return std::max(EvArgCount(t, v == Version::kGo122 ? v : Version::kGo126), 0);
}

size_t EventSize(const Event& e, uint64_t prev_ts, Version v) {
  size_t n = 1 + UvarintLen(e.ts - prev_ts);
  const int nargs = ArgsOnWire(e.type, v);
  for (int i = 0; i < nargs; ++i) n += UvarintLen(e.args[i]);
  return n;
}

void AppendBatchHeader(std::string* out, const Batch& b, uint64_t base_ts, size_t payload_len) {
  out->push_back(kEvEventBatch);
  AppendUvarint(out, b.gen);
  AppendUvarint(out, b.m);
  AppendUvarint(out, base_ts);
  AppendUvarint(out, payload_len);
}

void AppendEventBatches(const Batch& b, Version v, std::string* out) {
  const std::vector<Event>& evs = b.events;
  if (evs.empty()) {
    // Go skips empty event batches; write one anyway so the Trace round-trips.
    AppendBatchHeader(out, b, 0, 0);
    return;
  }
  size_t i = 0;
  while (i < evs.size()) {
    // Pass 1: find where this wire batch ends and how long its payload is, so
    // the header can carry the minimal length without a scratch buffer.
    const uint64_t base = evs[i].ts;
    uint64_t prev = base;
    size_t len = 0;
    size_t j = i;
    for (; j < evs.size(); ++j) {
      if (evs[j].ts < prev) break;  // dt would be negative: start a new batch
      const size_t n = EventSize(evs[j], prev, v);
      if (j > i && len + n > kMaxBatchPayload) break;
      len += n;
      prev = evs[j].ts;
    }
    AppendBatchHeader(out, b, base, len);
    // Pass 2: the events themselves.
    prev = base;
    for (size_t k = i; k < j; ++k) {
      const Event& e = evs[k];
      out->push_back(static_cast<char>(e.type));
      AppendUvarint(out, e.ts - prev);
      const int nargs = ArgsOnWire(e.type, v);
      for (int a = 0; a < nargs; ++a) AppendUvarint(out, e.args[a]);
      prev = e.ts;
    }
    i = j;
  }
}

// A table section (strings, stacks, CPU samples): the header byte, then its
// entries, cut into batches of at most kMaxBatchPayload bytes.
template <typename T, typename SizeFn, typename WriteFn>
void AppendTableBatches(const Batch& b, EvType header, const std::vector<T>& items, SizeFn size,
                        WriteFn write, std::string* out) {
  size_t i = 0;
  do {
    size_t len = 1;  // the header byte
    size_t j = i;
    for (; j < items.size(); ++j) {
      const size_t n = size(items[j]);
      if (j > i && len + n > kMaxBatchPayload) break;
      len += n;
    }
    AppendBatchHeader(out, b, 0, len);
    out->push_back(static_cast<char>(header));
    for (size_t k = i; k < j; ++k) write(items[k]);
    i = j;
  } while (i < items.size());
}

void AppendStringBatches(const Batch& b, std::string* out) {
  AppendTableBatches(
      b, EvType::kStrings, b.strings,
      [](const StringEntry& s) {
        return 1 + UvarintLen(s.id) + UvarintLen(s.value.size()) + s.value.size();
      },
      [out](const StringEntry& s) {
        out->push_back(static_cast<char>(EvType::kString));
        AppendUvarint(out, s.id);
        AppendUvarint(out, s.value.size());
        out->append(s.value);
      },
      out);
}

void AppendStackBatches(const Batch& b, std::string* out) {
  AppendTableBatches(
      b, EvType::kStacks, b.stacks,
      [](const StackEntry& s) {
        size_t n = 1 + UvarintLen(s.id) + UvarintLen(s.frames.size());
        for (const StackFrame& f : s.frames) {
          n += UvarintLen(f.pc) + UvarintLen(f.func) + UvarintLen(f.file) + UvarintLen(f.line);
        }
        return n;
      },
      [out](const StackEntry& s) {
        out->push_back(static_cast<char>(EvType::kStack));
        AppendUvarint(out, s.id);
        AppendUvarint(out, s.frames.size());
        for (const StackFrame& f : s.frames) {
          for (uint64_t v : {f.pc, f.func, f.file, f.line}) AppendUvarint(out, v);
        }
      },
      out);
}

void AppendCPUSampleBatches(const Batch& b, std::string* out) {
  AppendTableBatches(
      b, EvType::kCPUSamples, b.samples,
      [](const CPUSample& s) {
        return 1 + UvarintLen(s.ts) + UvarintLen(s.m) + UvarintLen(s.p) + UvarintLen(s.g) +
               UvarintLen(s.stack);
      },
      [out](const CPUSample& s) {
        out->push_back(static_cast<char>(EvType::kCPUSample));
        for (uint64_t v : {s.ts, s.m, s.p, s.g, s.stack}) AppendUvarint(out, v);
      },
      out);
}

// traceSyncBatch's layout: Sync, then Frequency, then ClockSnapshot, whose dt
// is relative to the batch's base time (the snapshot's own time here).
void AppendSyncBatch(const Batch& b, std::string* out) {
  const uint64_t base = b.has_clock ? b.clock.ts : 0;
  size_t len = 1;
  if (b.has_freq) len += 1 + UvarintLen(b.freq);
  if (b.has_clock) {
    len += 1 + UvarintLen(0) + UvarintLen(b.clock.mono) + UvarintLen(b.clock.sec) +
           UvarintLen(b.clock.nsec);
  }
  AppendBatchHeader(out, b, base, len);
  out->push_back(static_cast<char>(EvType::kSync));
  if (b.has_freq) {
    out->push_back(static_cast<char>(EvType::kFrequency));
    AppendUvarint(out, b.freq);
  }
  if (b.has_clock) {
    out->push_back(static_cast<char>(EvType::kClockSnapshot));
    for (uint64_t v : {uint64_t{0}, b.clock.mono, b.clock.sec, b.clock.nsec}) AppendUvarint(out, v);
  }
}

// ExperimentalBatch: its own type byte, the experiment, then the usual
// header fields and the payload as it is.
void AppendExperimentalBatch(const Batch& b, std::string* out) {
  out->push_back(static_cast<char>(EvType::kExperimentalBatch));
  out->push_back(static_cast<char>(b.exp));
  AppendUvarint(out, b.gen);
  AppendUvarint(out, b.m);
  AppendUvarint(out, 0);
  AppendUvarint(out, b.data.size());
  out->append(b.data);
}

}  // namespace

void AppendWireHeader(Version v, std::string* out) {
  out->append("go 1.");
  out->append(std::to_string(Minor(v)));
  out->append(std::string_view(" trace\0\0\0", 9));
}

void AppendWire(const Trace& t, std::string* out) {
  if (t.version == Version::kGo122) {
    out->append(kWireHeader);
  } else {
    AppendWireHeader(t.version, out);
  }
  for (const Batch& b : t) {
    switch (b.kind) {
      case BatchKind::kEvents: AppendEventBatches(b, t.version, out); break;
      case BatchKind::kFrequency:
        AppendBatchHeader(out, b, 0, 1 + UvarintLen(b.freq));
        out->push_back(static_cast<char>(EvType::kFrequency));
        AppendUvarint(out, b.freq);
        break;
      case BatchKind::kStrings: AppendStringBatches(b, out); break;
      case BatchKind::kStacks: AppendStackBatches(b, out); break;
      case BatchKind::kCPUSamples: AppendCPUSampleBatches(b, out); break;
      case BatchKind::kSync: AppendSyncBatch(b, out); break;
      case BatchKind::kEndOfGeneration:
        out->push_back(static_cast<char>(EvType::kEndOfGeneration));
        break;
      case BatchKind::kExperimental: AppendExperimentalBatch(b, out); break;
    }
  }
}

std::string WriteWire(const Trace& t) {
  std::string out;
  AppendWire(t, &out);
  return out;
}

}  // namespace schedfuzz::tracefmt
