// Broad scenarios over every modeled operation: goroutine programs with
// parks on descriptors and wait queues, readies, creation, Gosched, yields,
// syscalls (blocking and not), exits; small run queues that overflow; several
// sessions of tracing. Same byte format as injectglist_fuzzer (docs/format.md);
// its seeds set the section mask so the explicit sections are explored.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  schedfuzz::fuzz::Init();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return schedfuzz::fuzz::RunScenarioInput(data, size, "scheduler_fuzzer");
}
