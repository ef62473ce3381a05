// scenario_fuzzer's harness: configuration from the environment
// (read once at start-up) and the run-and-report step.
#ifndef SCHEDFUZZ_FUZZ_FUZZ_COMMON_H_
#define SCHEDFUZZ_FUZZ_FUZZ_COMMON_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "core/oracle/verdict.h"
#include "core/runtime/variant.h"

namespace schedfuzz::fuzz {

struct Config {
  const rt::Variant* variant = nullptr;
  oracle::OracleSet oracles = oracle::OracleSet::kAll;
  bool report_known = false;  // SCHEDFUZZ_REPORT_KNOWN=1: stop on quiet known findings too
  // SCHEDFUZZ_FIND=ID: stop on that known finding (and on new ones) only.
  std::string find;
  // SCHEDFUZZ_FEEDBACK=trace: libFuzzer also gets the tracer-state features
  // of fuzz/trace_feedback.h as coverage (default: code coverage only).
  bool trace_feedback = false;
  // SCHEDFUZZ_SCHEDULE_FORM=pct: run only inputs whose schedule is in PCT
  // form (byte format version 3, header bit 5); the others return at once,
  // as inputs of unknown versions do, so a campaign seeded with PCT-form
  // inputs stays in PCT's space (default `any`: both forms run).
  bool pct_only = false;
};

// SCHEDFUZZ_GO (default: the current release, 1.27), SCHEDFUZZ_VARIANT
// (default: that release as shipped), SCHEDFUZZ_ORACLES (default "all"),
// SCHEDFUZZ_REPORT_KNOWN (default 0), SCHEDFUZZ_FIND, SCHEDFUZZ_FEEDBACK
// (none or trace; default none) and SCHEDFUZZ_SCHEDULE_FORM (any or pct;
// default any).
// An unknown name is a configuration error: one line on stderr, exit 2.
const Config& GetConfig();

// Reads the configuration and warms up the reused runner (call from
// LLVMFuzzerInitialize; RunScenarioInput calls it too, for drivers without it).
void Init();

// Decode `data` as a scenario, run it, and abort with the verdict printed if
// an oracle fires (so every engine saves the input). Returns 0.
int RunScenarioInput(const uint8_t* data, size_t size, const char* target);

}  // namespace schedfuzz::fuzz

#endif  // SCHEDFUZZ_FUZZ_FUZZ_COMMON_H_
