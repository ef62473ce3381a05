// gotests: Go's own go122 parser test cases (internal/trace/v2/testdata/tests
// in a Go 1.22 GOROOT) against the validator. Each case's text-form trace is
// converted to the wire format (tracefmt/gotext.h) and written to OUTDIR, and
// the validator's verdict is checked against the case's expectation.
//
//   gotests OUTDIR CASE.test...
//
// One line per case: name, the validator's verdict, the expectation, and
// "pass" or "FAIL". Exit 0 if every case passes, 1 if one fails, 2 on bad
// input. repro/crosscheck/go_tests.sh runs it and then compares the written
// traces with Go's parser.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>

#include "core/oracle/validator.h"
#include "core/tracefmt/gotext.h"
#include "core/tracefmt/wire.h"

using namespace schedfuzz;

namespace {

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  out->assign(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  return !f.bad();
}

std::string BaseName(const std::string& path) {
  std::string b = path.substr(path.find_last_of('/') + 1);
  if (b.ends_with(".test")) b.resize(b.size() - 5);
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: gotests OUTDIR CASE.test...\n");
    return 2;
  }
  const std::string outdir = argv[1];
  int rc = 0;
  tracefmt::Trace trace;
  oracle::Validator validator;
  for (int i = 2; i < argc; ++i) {
    const std::string path = argv[i];
    std::string txtar;
    if (!ReadFile(path, &txtar)) {
      std::fprintf(stderr, "gotests: cannot read %s\n", path.c_str());
      return 2;
    }
    absl::StatusOr<tracefmt::GoTestCase> tc = tracefmt::ParseGoTestCase(txtar);
    absl::StatusOr<std::string> wire =
        tc.ok() ? tracefmt::GoTextToWire(tc->trace_text) : absl::StatusOr<std::string>(tc.status());
    if (!wire.ok()) {
      std::fprintf(stderr, "gotests: %s: %s\n", path.c_str(),
                   std::string(wire.status().message()).c_str());
      return 2;
    }
    const std::string name = BaseName(path);
    std::ofstream(outdir + "/" + name + ".trace", std::ios::binary) << *wire;
    std::string verdict;
    if (const absl::Status st = tracefmt::ReadWire(*wire, &trace); !st.ok()) {
      verdict = "error: " + std::string(st.message());
    } else if (const oracle::ValidationResult r = validator.Validate(trace); r.ok) {
      verdict = "ok " + std::to_string(r.events_ordered + r.generations) + " events";
    } else {
      verdict = "error: " + r.error.substr(0, r.error.find('\n'));
    }
    // Go's testtrace matches the whole error text against the regexp.
    const bool pass = tc->want_ok
                          ? verdict.starts_with("ok ")
                          : verdict.starts_with("error: ") &&
                                std::regex_search(verdict.substr(7), std::regex(tc->want_error));
    std::printf("%s\t%s\t%s\t%s\n", name.c_str(), verdict.c_str(),
                tc->want_ok ? "SUCCESS" : ("FAILURE " + tc->want_error).c_str(),
                pass ? "pass" : "FAIL");
    if (!pass) rc = 1;
  }
  return rc;
}
