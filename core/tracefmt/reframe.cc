#include "core/tracefmt/reframe.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace schedfuzz::tracefmt {
namespace {

// Copies b into a fresh batch of *out.
void CopyBatch(const Batch& b, Trace* out) {
  Batch& c = out->Append();
  c.kind = b.kind;
  c.gen = b.gen;
  c.m = b.m;
  c.events.assign(b.events.begin(), b.events.end());
  c.freq = b.freq;
  c.strings.assign(b.strings.begin(), b.strings.end());
  c.stacks.assign(b.stacks.begin(), b.stacks.end());
  c.samples.assign(b.samples.begin(), b.samples.end());
  c.has_freq = b.has_freq;
  c.has_clock = b.has_clock;
  c.clock = b.clock;
  c.exp = b.exp;
  c.data = b.data;
}

// The earliest event time of the generation whose batches are [begin, end).
uint64_t FirstTime(const Trace& in, size_t begin, size_t end) {
  uint64_t t = UINT64_MAX;
  for (size_t i = begin; i < end; ++i)
    for (const Event& e : in[i].events) t = std::min(t, e.ts);
  return t == UINT64_MAX ? 0 : t;
}

}  // namespace

void Reframe(const Trace& in, Version v, Trace* out) {
  out->Clear();
  out->version = v;
  size_t begin = 0;
  while (begin < in.size()) {
    size_t end = begin + 1;
    while (end < in.size() && in[end].gen == in[begin].gen) ++end;
    const uint64_t t0 = FirstTime(in, begin, end);
    for (size_t i = begin; i < end; ++i) {
      const Batch& b = in[i];
      if (b.kind == BatchKind::kFrequency && v >= Version::kGo125) {
        Batch& s = out->Append();
        s.kind = BatchKind::kSync;
        s.gen = b.gen;
        s.m = b.m;
        s.freq = b.freq;
        s.has_freq = true;
        s.has_clock = true;
        s.clock = ClockSnapshot{t0, t0, t0 / 1000000000, t0 % 1000000000};
        continue;
      }
      CopyBatch(b, out);
    }
    if (v >= Version::kGo126) out->Append().kind = BatchKind::kEndOfGeneration;
    begin = end;
  }
}

}  // namespace schedfuzz::tracefmt
