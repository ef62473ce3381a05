// Go's text form of a raw trace (the form of the go122 parser test cases in
// Go's internal/trace/v2/testdata/tests): a "Trace Go1.22" line, then one
// event per line, `Name arg=value ...`, with the arguments in Go's spec order
// ("dt" first for timed events), a Stack's frames on the lines after it
// (`pc= func= file= line=`) and a String's bytes on the line after it
// (`data="..."`, Go-quoted). Batches are written out as the text says,
// sizes included, so a test case's deliberate breakage reaches the parser.
#ifndef SCHEDFUZZ_CORE_TRACEFMT_GOTEXT_H_
#define SCHEDFUZZ_CORE_TRACEFMT_GOTEXT_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace schedfuzz::tracefmt {

// The wire bytes the text describes, or an error naming the line that is not
// Go's text form.
absl::StatusOr<std::string> GoTextToWire(std::string_view text);

// A go122 test case: a txtar archive with an `expect` file ("SUCCESS", or
// `FAILURE "REGEXP"`) and a `trace` file in the text form.
struct GoTestCase {
  bool want_ok = true;
  std::string want_error;  // the FAILURE regexp, unquoted
  std::string trace_text;
};
absl::StatusOr<GoTestCase> ParseGoTestCase(std::string_view txtar);

}  // namespace schedfuzz::tracefmt

#endif  // SCHEDFUZZ_CORE_TRACEFMT_GOTEXT_H_
