// The Go execution-trace wire format (v2: Go 1.22, 1.23, 1.25, 1.26): the
// bytes runtime/trace writes and Go's parser (internal/trace,
// golang.org/x/exp/trace) reads. Trace::version picks the format.
//
// A file is the 16-byte header "go 1.N trace\0\0\0" followed by batches:
//
//   0x01 uvarint(gen) uvarint(m) uvarint(base_ts) uvarint(len) payload[len]
//
// m is 2^64-1 for "no thread". The payload's first byte decides what it is:
// 0x08 a Frequency batch (08 uvarint(ticks per second)), 0x04 a string table
// section (04, then 05 uvarint(id) uvarint(n) bytes[n] per string), 0x02 a
// stack table section, 0x06 CPU samples, anything else an ordinary event
// batch: per event a type byte, uvarint(dt), then EvArgCount uvarint args.
//
// Later versions add (go1.27 internal/trace/batch.go, generation.go):
//  * Go 1.23: an experimental batch, 0x31 exp-byte uvarint(gen) uvarint(m)
//    uvarint(base_ts) uvarint(len) payload[len] (kExperimental). A Go 1.23
//    Frequency batch may hold more than one entry; each is read.
//  * Go 1.25: the Frequency batch becomes a Sync batch (kSync): payload 0x32,
//    then 0x08 uvarint(freq) and 0x33 uvarint(dt) uvarint(mono) uvarint(sec)
//    uvarint(nsec) (a ClockSnapshot, dt from the batch's base time), each at
//    most once per generation; every generation needs both.
//  * Go 1.26: a generation ends with the single byte 0x34 (EndOfGeneration,
//    kEndOfGeneration); generation numbers need only agree within one
//    generation, and a trace that ends inside a generation holding event
//    batches is truncated.
//
// Timestamps. Event::ts is an absolute tick count in units of the
// generation's Frequency (freq = 1e9 makes a tick one nanosecond). On the
// wire each event carries dt, the ticks since the previous event of the same
// batch; the first event's dt is relative to the batch's base timestamp.
// WriteWire uses the first event's ts as the base, so the first dt is 0, and
// ReadWire rebuilds ts = base + sum(dt) (mod 2^64). Go's reader accepts dt=0
// (only the runtime forces dt >= 1) and does not need timestamps to be ordered
// across batches or Ms: it merges the per-M streams by timestamp as a
// heuristic and falls back to trying other Ms when an event cannot yet
// advance. It also bumps the times it reports so they strictly increase.
//
// Batch splitting. A wire batch's dt cannot be negative and its payload may
// not exceed kMaxBatchPayload bytes, so WriteWire cuts one Batch into several
// consecutive wire batches with the same gen and m where its events' ts
// decreases or where the payload would grow past the limit (likewise a long
// string table). Go's reader concatenates all batches of one M within a
// generation in file order, so this changes nothing for it. ReadWire returns
// wire batches as they are, so ReadWire(WriteWire(t)) reproduces t exactly
// when no split was needed, and otherwise reproduces every batch's events, in
// order, spread over consecutive batches of the same gen/m/kind.
#ifndef SCHEDFUZZ_CORE_TRACEFMT_WIRE_H_
#define SCHEDFUZZ_CORE_TRACEFMT_WIRE_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"

#include "core/tracefmt/tables.h"
#include "core/tracefmt/trace.h"

namespace schedfuzz::tracefmt {

// The batch payload limit Go's reader enforces (go122.MaxBatchSize); a payload
// of exactly kMaxBatchPayload bytes is allowed. The table limits are in
// tables.h.
inline constexpr size_t kMaxBatchPayload = 64 << 10;

inline constexpr std::string_view kWireHeader{"go 1.22 trace\0\0\0", 16};
// Appends version v's header ("go 1.N trace\0\0\0").
void AppendWireHeader(Version v, std::string* out);

// --- Unsigned LEB128 varints, as encoding/binary writes and reads them.
inline constexpr size_t kMaxUvarintLen = 10;
// Bytes the minimal encoding of v takes (1..10).
size_t UvarintLen(uint64_t v);
// Appends the minimal encoding of v.
void AppendUvarint(std::string* out, uint64_t v);
enum class UvarintStatus : uint8_t {
  kOk,
  kTruncated,  // input ended inside the varint (or before it)
  kOverflow,   // more than 64 bits: ten continuation bytes, or a 10th byte > 1
};
// Decodes one varint from in at *pos. On kOk stores it in *v and advances
// *pos; otherwise leaves both alone. Non-minimal encodings are accepted, as
// Go accepts them (the runtime pads the batch length to 10 bytes).
UvarintStatus DecodeUvarint(std::string_view in, size_t* pos, uint64_t* v);

// --- Writing.
// Appends t's wire form to *out (header included). Allocates nothing but the
// growth of *out, so a caller that reuses *out (clear() keeps capacity) does
// not allocate once warm. Lengths use the minimal varint encoding; Go reads
// any. Batches are written in t's order; the writer does not check that t is
// a valid trace (one Frequency per gen, gens in order, known event types):
// whatever t says goes on the wire, so Go's parser can judge it. Events whose
// type has no argument count (EvArgCount < 0) are written as type byte and dt
// only. Frequency and table batches get base timestamp 0.
void AppendWire(const Trace& t, std::string* out);
std::string WriteWire(const Trace& t);

// --- Reading.
// Parses a wire-format trace into *out (cleared first, capacity reused).
// Returns an error whose message is the text Go's parser reports for the
// first structural problem it would meet: the header, batch framing, gen
// numbering, the string/stack/CPU-sample tables, the Frequency batch, and the
// encoding of events (unknown or untimed types, bad varints). Checks run in
// Go's order: a generation's batches in file order, then its end-of-gen
// checks (frequency, stack strings), then event decoding, then the next
// generation. What Go checks while ordering events is left to core/oracle:
// statuses, sequence numbers, string/stack ids used by events, and Go's
// refusal of a generation with nothing to order ("broken trace: frontier is
// empty", e.g. a trace holding only Frequency batches), which ReadWire
// accepts so that what it reads always writes back and reads again. Go
// decodes events lazily in timestamp order and stops at its first ordering
// error, so on a trace with several problems Go may name a different one
// first.
//
// Accepts any input without crashing, hanging or allocating more than a
// small multiple of its size. Stack tables and CPU samples are kept
// (kStacks and kCPUSamples batches). On failure *out holds the batches read
// so far.
//
// Go quirk kept: a table batch that ends right where a varint should start
// makes Go return io.EOF, which its Reader reports as a clean end of trace;
// ReadWire reports it as the error "EOF".
absl::Status ReadWire(std::string_view bytes, Trace* out);

}  // namespace schedfuzz::tracefmt

#endif  // SCHEDFUZZ_CORE_TRACEFMT_WIRE_H_
