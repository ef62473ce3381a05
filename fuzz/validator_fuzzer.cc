// Arbitrary bytes as a Go 1.22 wire-format trace into the validator. The
// reader and the validator must never crash or hang, must be deterministic,
// and a trace that reads must survive a write/read round trip unchanged with
// the same verdict.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/oracle/validator.h"
#include "core/tracefmt/trace.h"
#include "core/tracefmt/wire.h"

using namespace schedfuzz;

namespace {
bool SameTrace(const tracefmt::Trace& a, const tracefmt::Trace& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const tracefmt::Batch &x = a[i], &y = b[i];
    if (x.kind != y.kind || x.gen != y.gen || x.m != y.m || x.freq != y.freq || x.events.size() != y.events.size() ||
        x.strings.size() != y.strings.size())
      return false;
    for (size_t k = 0; k < x.events.size(); ++k) {
      const auto &e = x.events[k], &f = y.events[k];
      if (e.type != f.type || e.ts != f.ts || e.args[0] != f.args[0] || e.args[1] != f.args[1] ||
          e.args[2] != f.args[2] || e.args[3] != f.args[3])
        return false;
    }
    for (size_t k = 0; k < x.strings.size(); ++k)
      if (x.strings[k].id != y.strings[k].id || x.strings[k].value != y.strings[k].value) return false;
  }
  return true;
}

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "==schedfuzz== validator_fuzzer: %s\n%s\n", what, detail.c_str());
  std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static tracefmt::Trace* t = new tracefmt::Trace();
  static tracefmt::Trace* t2 = new tracefmt::Trace();
  static oracle::Validator* v = new oracle::Validator();
  std::string err;
  t->Clear();
  if (!tracefmt::ReadWire(std::string_view(reinterpret_cast<const char*>(data), size), t, &err)) return 0;
  const oracle::ValidationResult r1 = v->Validate(*t);
  const oracle::ValidationResult r2 = v->Validate(*t);
  if (r1.ok != r2.ok || r1.error != r2.error || r1.events_ordered != r2.events_ordered)
    Fail("validator is not deterministic", r1.error + "\nvs\n" + r2.error);
  const std::string bytes = tracefmt::WriteWire(*t);
  t2->Clear();
  if (!tracefmt::ReadWire(bytes, t2, &err)) Fail("WriteWire output does not read back", err);
  if (!SameTrace(*t, *t2)) Fail("write/read round trip changed the trace", "");
  const oracle::ValidationResult r3 = v->Validate(*t2);
  if (r3.ok != r1.ok || r3.error != r1.error) Fail("round trip changed the verdict", r1.error + "\nvs\n" + r3.error);
  return 0;
}
