// Re-framing a trace in a later version's format: the same batches and
// events, with the structure that version adds around them. From Go 1.25 each
// Frequency batch becomes a Sync batch holding that Frequency and a
// ClockSnapshot (as runtime/tracetime.go traceSyncBatch writes it); in Go 1.26
// each generation is followed by an EndOfGeneration batch (as
// runtime/trace.go readTrace0 writes it). The model writes Go 1.22 traces;
// this lets Go 1.23+ parsers judge them. It is a parser test, not a claim
// that a newer runtime would write these events.
#ifndef SCHEDFUZZ_CORE_TRACEFMT_REFRAME_H_
#define SCHEDFUZZ_CORE_TRACEFMT_REFRAME_H_

#include "core/tracefmt/trace.h"

namespace schedfuzz::tracefmt {

// *out = in in format v. The snapshot's trace time is the generation's
// earliest event time; its mono, sec and nsec are derived from that (the
// model's clock is in nanoseconds). A generation ends where the next batch
// has another generation number, and at the end of the trace. Reuses *out's
// capacity.
void Reframe(const Trace& in, Version v, Trace* out);

}  // namespace schedfuzz::tracefmt

#endif  // SCHEDFUZZ_CORE_TRACEFMT_REFRAME_H_
