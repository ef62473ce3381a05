// explain: what happened in one run, for a person. A Recorder watches the
// run through RunOptions.observer (every scheduling point, just before its
// operation) and RunOptions.observer_hooks (the model's status changes,
// events, tracer acquire/release, generation switches and flushes, at the
// moment they happen), and keeps one StepRow per step and one Fact per hook
// call. The step table and the plain-words account are rendered from those
// records; nothing is specific to one bug.
#ifndef SCHEDFUZZ_REPRO_EXPLAIN_H_
#define SCHEDFUZZ_REPRO_EXPLAIN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "core/scenario/run.h"

namespace schedfuzz::repro {

enum class FactKind : uint8_t { kStatus, kEvent, kAcquire, kRelease, kGenSwitch, kFlush };

// One model event, as a hook reported it.
struct Fact {
  FactKind kind = FactKind::kStatus;
  uint64_t step = 0;  // the step during which it happened
  // The M that made the change ("M2", "sysmon", "tracer"; "" for M-less);
  // for kFlush the M whose buffer traceAdvance flushed.
  std::string m;
  int64_t goid = 0;         // kStatus, kEvent: the goroutine concerned (0: none)
  uint32_t old_status = 0;  // kStatus (scan bit included)
  uint32_t new_status = 0;
  const char* site = "";  // kStatus
  tracefmt::Event ev;     // kEvent
  uint64_t gen =
      0;  // kEvent/kAcquire/kRelease/kFlush: generation; kGenSwitch: the new one (0: off)
  uint64_t old_gen = 0;      // kGenSwitch
  bool in_window = false;    // kStatus, kEvent: the M was inside traceAcquire..traceRelease
  uint64_t window_gen = 0;   // ... and its locker's generation
  uint64_t tracing_gen = 0;  // trace.gen when it happened
  // kStatus: the new status is _Gwaiting for the GC or the tracer (a wait
  // reason the release's goStatusToTraceGoStatus traces as running).
  bool traced_running = false;
};

// One scheduling point of the run.
struct StepRow {
  uint64_t step = 0;
  int thread = -1;
  const char* site = "";  // "function: operation"
  sim::OpKind op = sim::OpKind::kOther;
  uint64_t gen = 0;       // trace.gen after the step
  int64_t seq = -1;       // the seqlock of the thread's M after the step (-1: no M)
  size_t first_fact = 0;  // facts[first_fact, first_fact + nfacts) happened in this step
  size_t nfacts = 0;
};

struct Recording {
  std::vector<StepRow> rows;
  std::vector<Fact> facts;
  std::vector<std::string> thread_names;
};

// Attach to RunOptions before Runner::Run; read recording() after.
class Recorder {
 public:
  explicit Recorder(const scenario::Runner* runner) : runner_(runner) {}
  void Install(scenario::RunOptions* opts);
  // After the run: completes the last row.
  void Finish();
  const Recording& recording() const { return rec_; }

 private:
  static void OnStep(void* ctx, const sim::StepRecord& r);
  static void OnStatus(void* ctx, rt::g* gp, uint32_t old, uint32_t nw, rt::m* mp,
                       const char* site);
  static void OnEvent(void* ctx, const tracefmt::Event& ev, uint64_t gen, rt::m* mp);
  static void OnAcquire(void* ctx, rt::m* mp, uint64_t gen);
  static void OnRelease(void* ctx, rt::m* mp, uint64_t gen);
  static void OnGenSwitch(void* ctx, uint64_t old_gen, uint64_t new_gen);
  static void OnFlush(void* ctx, rt::m* mp, uint64_t gen);

  Fact& Add(FactKind kind, const rt::m* mp);
  void CompleteRow();
  const rt::m* MOfThread(int thread) const;

  const scenario::Runner* runner_;
  Recording rec_;
};

// The goroutine a verdict is about: Verdict::goid, else the number after
// "goroutine " in its message; 0 if none.
int64_t VerdictGoroutine(const oracle::Verdict& v);

// The account of the window in plain words (account.cc): what the events,
// status changes, tracer sections and generation switches that concern
// goroutine `goid` were, in order, and what the oracle concluded.
std::string Account(const Recording& rec, const scenario::Outcome& out, int64_t goid);

// Rendering pieces (explain.cc), exposed for tests.
std::string DescribeFact(const Fact& f);
std::string StepTable(const Recording& rec, const scenario::Outcome& out, int64_t goid, bool full);

}  // namespace schedfuzz::repro

#endif  // SCHEDFUZZ_REPRO_EXPLAIN_H_
