// Tracer state embedded in the runtime's g, m and p, and the tracer's global
// state (Go 1.22 trace2runtime.go, trace2status.go, trace2.go).
#ifndef SCHEDFUZZ_CORE_TRACE_STATE_H_
#define SCHEDFUZZ_CORE_TRACE_STATE_H_

#include <cstdint>
#include <vector>

#include "core/sim/sync.h"
#include "core/tracefmt/trace.h"

namespace schedfuzz::rt {

// traceSchedResourceState (trace2status.go): per-G and per-P flags saying
// whether the resource's status was written in a generation (indexed gen%3,
// so the next generation's slot can be cleared while the current and the
// previous ones are live), and event sequence counters (indexed gen%2).
struct traceSchedResourceState {
  sim::Atomic<uint32_t> statusTraced[3];
  uint64_t seq[2] = {0, 0};

  // acquireStatus: claim the right to write this resource's status in gen.
  bool acquireStatus(uint64_t gen, const char* site);
  // readyNextGen: prepare the slots of gen+1.
  void readyNextGen(uint64_t gen, const char* site);
  bool statusWasTraced(uint64_t gen, const char* site) {
    return statusTraced[gen % 3].Load(site) != 0;
  }
  void setStatusTraced(uint64_t gen, const char* site) { statusTraced[gen % 3].Store(1, site); }
  uint64_t nextSeq(uint64_t gen) { return ++seq[gen % 2]; }
  void ResetRaw() {
    for (auto& s : statusTraced) s.SetRaw(0);
    seq[0] = seq[1] = 0;
  }
};

// mTraceState (trace2runtime.go / go1.27 traceruntime.go): how the M marks
// its trace critical section, and its current buffer per gen%2 (index into
// the tracer's buffer pool, -1 for none). Go 1.22 uses a seqlock, odd while
// the M is inside traceAcquire..traceRelease. Go 1.27 uses a writing flag and
// lets the section nest: a nested traceAcquire counts itself in `reentered`
// and returns the generation the outermost one read (`entryGen`).
struct mTraceState {
  sim::Atomic<uint64_t> seqlock;  // Go 1.22
  sim::Atomic<uint32_t> writing;  // Go 1.27
  uint32_t reentered = 0;         // Go 1.27
  uint64_t entryGen = 0;          // Go 1.27
  int buf[2] = {-1, -1};
};

inline constexpr int kMaxTraceBufs = 48;
inline constexpr int kMaxSessions = 8;  // StartTrace..StopTrace sessions per run

// A trace buffer: one tracefmt::Batch being filled by one writer for one
// generation (Go's traceBuf). The model never fills a buffer: it is flushed
// only by traceAdvance (a simplification listed in docs/model.md).
struct traceBuf {
  tracefmt::Batch batch;
  bool in_use = false;
};

// traceNextGen (trace2.go:643): generations skip 0, which means "off".
inline uint64_t traceNextGen(uint64_t gen) { return gen == ~uint64_t{0} ? 4 : gen + 1; }

// traceState (trace2.go `trace`): the fields the model needs.
struct traceState {
  sim::Mutex lock;            // trace.lock
  sim::Atomic<uint64_t> gen;  // 0 = tracing off
  uint64_t lastNonZeroGen = 0;
  sim::Atomic<uint32_t> shutdown;
  sim::Atomic<int32_t> exitingSyscall;
  sim::Mutex advanceSema;        // traceAdvanceSema
  bool enabled_session = false;  // a session's output is open
  traceBuf bufs[kMaxTraceBufs];
  uint64_t last_ts = 0;  // timestamps strictly increase
  // The engine step at which each event of the run was written, in writing
  // order, keyed by its timestamp (unique in a run): reports and attribution
  // map an event the validator names back to the moment the model wrote it.
  // Cleared per run with its capacity kept.
  struct Written {
    uint64_t ts;
    uint64_t step;
  };
  std::vector<Written> written;
  // Output: one Trace per StartTrace..StopTrace session, batches in the
  // order the reader would write them.
  tracefmt::Trace sessions[kMaxSessions];
  int nsessions = 0;
  int nclosed = 0;        // sessions whose StopTrace finished: only those are complete traces
  bool overflow = false;  // ran out of buffers or sessions (run is discarded)
  // The garbage collector's STW reason strings a generation used (bit 0:
  // kStrGCMarkTerm, bit 1: kStrGCSweepTerm), indexed gen%2: writeStrings
  // adds them to that generation's string table.
  uint8_t gcStrings[2] = {0, 0};
};

}  // namespace schedfuzz::rt

#endif  // SCHEDFUZZ_CORE_TRACE_STATE_H_
