// Test support for the wire tests: an event batch built byte by byte, without
// the writer under test.
#ifndef SCHEDFUZZ_CORE_TRACEFMT_WIRE_TESTING_H_
#define SCHEDFUZZ_CORE_TRACEFMT_WIRE_TESTING_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "core/tracefmt/wire.h"

namespace schedfuzz::tracefmt::wiretest {

// EvEventBatch [gen, m, ts, length] followed by `payload`.
inline std::string RawBatch(uint64_t gen, uint64_t m, uint64_t ts, std::string_view payload) {
  std::string s(1, '\x01');
  AppendUvarint(&s, gen);
  AppendUvarint(&s, m);
  AppendUvarint(&s, ts);
  AppendUvarint(&s, payload.size());
  s.append(payload);
  return s;
}

}  // namespace schedfuzz::tracefmt::wiretest

#endif  // SCHEDFUZZ_CORE_TRACEFMT_WIRE_TESTING_H_
