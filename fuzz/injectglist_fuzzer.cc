// Scenarios centred on injectglist: the decoder's defaults (a zero or short
// header) are the Go issue 70883 shape (tracing on, goroutines parked on
// descriptors, one poll batch readying them together, two advances and a
// stop), so the fuzzer starts out exploring schedules of that machine; the
// seeds and dictionary open up the injection paths (findRunnable with and
// without a P, sysmon, startTheWorld) and the tracer timeline.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  schedfuzz::fuzz::Init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return schedfuzz::fuzz::RunScenarioInput(data, size, "injectglist_fuzzer");
}
