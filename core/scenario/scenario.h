// A Scenario is one fuzz input decoded: the machine the model runs
// (rt::Machine: size, goroutines and their programs, descriptors and poller
// batches, the tracer timeline) and the schedule, a byte string a
// sim::ByteChooser consumes to pick which virtual thread runs at each
// scheduling point. The machine's vocabulary and bounds belong to the model
// (core/runtime/machine.h); this layer only adds the schedule and the
// formats (codec.h, text.h).
#ifndef SCHEDFUZZ_CORE_SCENARIO_SCENARIO_H_
#define SCHEDFUZZ_CORE_SCENARIO_SCENARIO_H_

#include <cstdint>
#include <vector>

#include "core/runtime/machine.h"

namespace schedfuzz::scenario {

using rt::GoroutineSpec;
using rt::InitState;
using rt::kMaxBatches;
using rt::kMaxChans;
using rt::kMaxFds;
using rt::kMaxGoroutines;
using rt::kMaxMs;
using rt::kMaxProcs;
using rt::kMaxProgramLen;
using rt::kMaxPrograms;
using rt::kMaxRunqSize;
using rt::kMaxTracerOps;
using rt::kMinRunqSize;
using rt::kNumOpKinds;
using rt::kNumPollPaths;
using rt::Op;
using rt::OpKind;
using rt::PollBatch;
using rt::PollPath;
using rt::TracerOp;
using rt::TracerOpKind;

struct Scenario : rt::Machine {
  std::vector<uint8_t> schedule;  // the chooser's bytes
  // How the schedule is read: false, a sim::ByteChooser's bytes (one byte per
  // decision); true, a sim::PctByteChooser's (priorities and change points;
  // byte format version 3, docs/format.md section 2.8).
  bool pct_schedule = false;
  bool operator==(const Scenario&) const = default;
};

}  // namespace schedfuzz::scenario

#endif  // SCHEDFUZZ_CORE_SCENARIO_SCENARIO_H_
