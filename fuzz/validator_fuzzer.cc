// Arbitrary bytes as a Go 1.22 wire-format trace into the validator. The
// reader and the validator must never crash or hang, must be deterministic,
// and a trace that reads must survive a write/read round trip unchanged with
// the same verdict.
#include "core/oracle/validator.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <tuple>
#include <vector>

#include "core/tracefmt/trace.h"
#include "core/tracefmt/wire.h"

using namespace schedfuzz;

namespace {

// The events of each (generation, thread), concatenated in file order: what
// Go's reader sees of a trace, whatever the batch boundaries.
bool SameEvents(const tracefmt::Trace& a, const tracefmt::Trace& b) {
  auto flatten = [](const tracefmt::Trace& t) {
    std::vector<
        std::tuple<uint64_t, uint64_t, int, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t>>
        v;
    for (const tracefmt::Batch& x : t)
      for (const auto& e : x.events)
        v.emplace_back(x.gen, x.m, static_cast<int>(e.type), e.ts, e.args[0], e.args[1], e.args[2],
                       e.args[3]);
    std::stable_sort(v.begin(), v.end(), [](const auto& p, const auto& q) {
      return std::tie(std::get<0>(p), std::get<1>(p)) < std::tie(std::get<0>(q), std::get<1>(q));
    });
    return v;
  };
  return flatten(a) == flatten(b);
}

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "==schedfuzz== validator_fuzzer: %s\n%s\n", what, detail.c_str());
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tracefmt::Trace trace, trace2;
  tracefmt::Trace* t = &trace;
  tracefmt::Trace* t2 = &trace2;
  // Fresh per input: reused tables would make its code path depend on the
  // inputs before (AFL++ stability).
  oracle::Validator validator;
  oracle::Validator* v = &validator;
  t->Clear();
  if (!tracefmt::ReadWire(std::string_view(reinterpret_cast<const char*>(data), size), t).ok())
    return 0;
  const oracle::ValidationResult r1 = v->Validate(*t);
  const oracle::ValidationResult r2 = v->Validate(*t);
  if (r1.ok != r2.ok || r1.error != r2.error || r1.events_ordered != r2.events_ordered)
    Fail("validator is not deterministic", r1.error + "\nvs\n" + r2.error);
  const std::string bytes = tracefmt::WriteWire(*t);
  t2->Clear();
  if (absl::Status st = tracefmt::ReadWire(bytes, t2); !st.ok())
    Fail("WriteWire output does not read back", std::string(st.message()));
  // WriteWire may split a batch (a timestamp going backwards, or past the
  // 64 KiB payload limit), so the batches need not match one for one; what
  // must hold is that writing again gives the same bytes, and that the same
  // events per thread come back in the same order.
  if (tracefmt::WriteWire(*t2) != bytes) Fail("write/read/write is not a fixpoint", "");
  if (!SameEvents(*t, *t2)) Fail("write/read round trip changed the events", "");
  const oracle::ValidationResult r3 = v->Validate(*t2);
  if (r3.ok != r1.ok || r3.error != r1.error)
    Fail("round trip changed the verdict", r1.error + "\nvs\n" + r3.error);
  return 0;
}
