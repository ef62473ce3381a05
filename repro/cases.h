// Regression cases (repro/cases/*.txt): scenario texts whose comments state
// the verdict each variant must give, so a case is one self-contained file:
//
//   # expect fixed: ok
//   # expect go70883/validator: violation: validator: inconsistent status
//   #   ... (one line; the text after "VARIANT[/ORACLES]: " is compared
//   #   exactly with what `schedfuzz run` prints after "FILE: ")
//   schedfuzz scenario v1
//   ...
//
// ORACLES defaults to all. Verdicts include " [known: ID]" exactly when the
// run is attributed to a known finding, so a case also pins attribution.
#ifndef SCHEDFUZZ_REPRO_CASES_H_
#define SCHEDFUZZ_REPRO_CASES_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/oracle/verdict.h"
#include "core/runtime/variant.h"

namespace schedfuzz::repro {

struct Expectation {
  int line = 0;
  const rt::Variant* variant = nullptr;
  oracle::OracleSet oracles = oracle::OracleSet::kAll;
  std::string label;  // "go70883/validator" as written
  std::string want;   // "ok", "violation: ...", "discarded: ..."
};

// Reads the `# expect` lines of a case text. False with *error ("line N:
// ...") on a malformed one or when there are none.
bool ParseExpectations(std::string_view text, std::vector<Expectation>* out, std::string* error);

}  // namespace schedfuzz::repro

#endif  // SCHEDFUZZ_REPRO_CASES_H_
