// Scenarios of the Go scheduler and tracer model. The decoder's defaults (a
// zero or short header) are the Go issue 70883 shape (tracing on, goroutines
// parked on descriptors, one poll batch readying them together, two advances
// and a stop), so from an empty corpus the fuzzer starts out exploring
// schedules of that machine. The seeds open up the rest: corpus/scenario_fuzzer/
// injectglist/ the injection paths (findRunnable with and without a P, sysmon,
// startTheWorld) under a moving tracer timeline, corpus/scenario_fuzzer/
// scheduler/ goroutine programs over every modeled operation (parks, readies,
// creation, Gosched, syscalls, exits, small run queues, several tracing
// sessions), whose seeds set the section mask so the explicit sections are
// explored.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  schedfuzz::fuzz::Init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return schedfuzz::fuzz::RunScenarioInput(data, size, "scenario_fuzzer");
}
