// `schedfuzz validate TRACE...`: the validator on trace files, such as those
// a real Go runtime writes (Go 1.22's and Go 1.26's formats). One verdict line per file, in the
// form repro/gocheck prints, so the two can be compared line for line.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "absl/strings/str_format.h"

#include "core/oracle/validator.h"
#include "core/tracefmt/trace.h"
#include "core/tracefmt/wire.h"
#include "repro/cli.h"

namespace schedfuzz::repro {

namespace {

// stdio rather than a stream: a stream reading a directory throws.
bool ReadFile(const std::string& path, std::string* out, std::string* error) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    *error = std::strerror(errno);
    return false;
  }
  out->clear();
  char buf[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof(buf), f)) > 0) out->append(buf, n);
  const bool failed = std::ferror(f) != 0;
  const int err = errno;
  std::fclose(f);
  if (failed) *error = std::strerror(err);
  return !failed;
}

// A file that is no Go trace at all: its header says so.
bool NotATrace(std::string_view msg) {
  return msg.starts_with("bad file format") || msg.starts_with("unknown or unsupported trace");
}

}  // namespace

int CmdValidate(const Options& o, const Io& io) {
  int rc = kExitOk;
  tracefmt::Trace trace;
  oracle::Validator validator;
  std::string bytes;
  for (const std::string& path : o.args) {
    std::string error;
    if (!ReadFile(path, &bytes, &error)) {
      std::fprintf(io.err, "schedfuzz: %s: %s\n", path.c_str(), error.c_str());
      rc = kExitUsage;
      continue;
    }
    std::string verdict;
    int file_rc = kExitOk;
    if (const absl::Status st = tracefmt::ReadWire(bytes, &trace); !st.ok()) {
      verdict = absl::StrFormat("error: %s", std::string(st.message()));
      file_rc = NotATrace(std::string(st.message())) ? kExitUsage : kExitViolation;
    } else if (const oracle::ValidationResult r = validator.Validate(trace); r.ok) {
      // Go's reader also returns its Sync events.
      verdict = absl::StrFormat("ok %d events", oracle::GoEventCount(r, trace.version));
    } else {
      verdict = absl::StrFormat("error: %s", r.error.substr(0, r.error.find('\n')));
      file_rc = kExitViolation;
    }
    if (o.args.size() > 1) {
      std::fprintf(io.out, "%s\t%s\n", path.c_str(), verdict.c_str());
    } else {
      std::fprintf(io.out, "%s\n", verdict.c_str());
    }
    rc = std::max(rc, file_rc);
  }
  return rc;
}

}  // namespace schedfuzz::repro
