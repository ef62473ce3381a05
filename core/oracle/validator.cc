// Go trace reader model. Source of truth for Go 1.22 traces:
// src/internal/trace/v2 at go1.22.4 (the parser golang.org/x/exp/trace
// snapshots for Go 1.22 traces); for Go 1.23, 1.25 and 1.26 traces
// (Trace::version): src/internal/trace at go1.27.4. Every error text is Go's,
// character for character. The files follow Go's:
//   validator.cc            reader.go: the frontier, ReadEvent, validateTableIDs
//   validator_generation.*  generation.go, batch.go, batchcursor.go
//   validator_order.*       order.go: advance, validateCtx, dumpOrdering;
//   validator_order_proc.cc, _goroutine.cc, _range.cc: its handlers per resource
//
// Go's identifiers are signed: GoID, ProcID and ThreadID are int64 with -1 for
// "none" (NoGoroutine, NoProc, NoThread). Event arguments are uint64 on the
// wire and converted, so an argument of 2^64-1 *is* "none" to Go, and ids are
// printed signed. Statuses are converted to uint8 (go122.GoStatus /
// ProcStatus), so only the low byte of a status argument counts. This file
// keeps exactly those conversions. What each event type is (arguments,
// stack and string arguments, range begin) comes from tracefmt/spec.h.
//
// Simplifications (deviations from what Go would do with the same trace once
// the exporter wrote it out), all on inputs the model never produces:
//  * Timestamps are the events' raw ticks, compared as uint64. Go converts
//    ticks to nanoseconds through the Frequency batch (float math, int64
//    result) and accumulates per-event deltas; for the model's freq = 1e9 the
//    order is the same. Timestamps that go backwards inside a batch (not
//    encodable on the wire) are taken as given.
//  * Equal timestamps: Go's tie order comes from random map iteration (which M
//    enters the heap first). Here ties go to the M whose first batch of the
//    generation comes first in the file. Go's unstable sort of frontiers with
//    more than 12 Ms is not reproduced either.
//  * A batch's kind is Batch::kind. On the wire Go classifies a batch by its
//    first byte, so an event batch starting with a structural event type
//    (2, 4, 6, 8, and from Go 1.25 50; in Go 1.26 an event batch starting
//    with 52 ends the generation) would be read as a stacks/strings/samples/
//    frequency/sync batch; here it stays an event batch and its first event
//    fails with Go's `found event without a timestamp: type=N`. A Frequency
//    batch in a Go 1.25+ trace, or a Sync batch before Go 1.25, is what the
//    wire makes of it: an event batch whose first byte does not decode. An
//    experimental batch is set aside whatever its experiment number (Go reads
//    one numbered 0 by its payload). Wire-level errors (header, varints,
//    batch size > 64 KiB, go1.27's deferred read errors) cannot occur in a
//    Trace and are not checked.
//  * CPU samples are counted when their generation has been ordered, not
//    interleaved by time: a trace rejected halfway may report fewer events
//    ordered than Go returned before its error.
//  * GoDestroySyscall with a P makes Go return an extra ProcSteal event. It
//    changes no ordering state, so it is only counted in events_ordered.
//  * The dumps after `broken trace: failed to advance: frontier:` and
//    `broken trace: frontier is empty:` follow Go's layout (reader.go
//    dumpFrontier, order.go dumpOrdering) but list states sorted by id (Go
//    prints map order) and times in ticks. Only the first line is Go's text.
//  * GCSweepBegin/GCSweepEnd on a P with no state would be a nil dereference
//    (a panic) in Go; it cannot happen (bound Ps always have state, and P
//    states are never deleted) but if it did we report Go's panic text.
// User tasks, regions, and the GC sweep / mark assist / STW ranges are
// modelled fully, including their error texts.
#include "core/oracle/validator.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_format.h"

#include "core/oracle/validator_generation.h"
#include "core/oracle/validator_order.h"
#include "core/tracefmt/spec.h"

namespace schedfuzz::oracle {

using internal::BatchCursor;
using internal::Ordering;
using internal::ReadError;
using tracefmt::Event;
using tracefmt::Trace;

// reader.go: the generation being read, the frontier of its per-M cursors,
// and the ordering state.
struct Validator::Impl {
  Impl() { frontier.reserve(16); }

  internal::Generation gen;
  Ordering order;
  // Cursor ids with an event on offer, sorted by (timestamp, id): the order
  // in which Go's reader tries them.
  std::vector<uint32_t> frontier;
  ValidationResult res;

  void Fail(std::string msg, size_t batch, size_t event) {
    res.ok = false;
    res.error = std::move(msg);
    res.gen = gen.gen();
    res.batch = batch;
    res.event = event;
  }
  void Fail(ReadError& e) { Fail(std::move(e.text), e.batch, e.event); }
  void AddCulprit(const BatchCursor& c) {
    if (res.nculprits == ValidationResult::kMaxCulprits) return;
    const internal::Ctx o = order.ObjectsOf(*c.ev, c.m);
    ValidationResult::Culprit& k = res.culprits[res.nculprits++];
    k.g = o.g;
    k.p = o.p;
    k.m = o.m;
    k.ts = c.ev->ts;
    k.batch = c.batch;
    k.event = c.event;
    k.type = c.ev->type;
    // An event that names a P (ProcStart, ProcSteal, ...) can be stuck
    // because of the P its thread still holds in the parser's state, not the
    // one it names: that P is an object of the verdict too.
    const int64_t held = order.HeldP(c.m);
    if (held != internal::kNone && held != o.p && res.nculprits < ValidationResult::kMaxCulprits) {
      ValidationResult::Culprit& h = res.culprits[res.nculprits++];
      h = k;
      h.p = held;
    }
  }

  bool Before(uint32_t a, uint32_t b) const {
    const uint64_t ta = gen.cursors()[a].ev->ts, tb = gen.cursors()[b].ev->ts;
    return ta != tb ? ta < tb : a < b;
  }
  void FrontierInsert(uint32_t c) {
    auto pos = std::lower_bound(frontier.begin(), frontier.end(), c,
                                [this](uint32_t x, uint32_t y) { return Before(x, y); });
    frontier.insert(pos, c);
  }

  // The two "broken trace" errors: dumpFrontier, then dumpOrdering.
  std::string BrokenTrace(const char* what) const {
    std::string s = absl::StrFormat("broken trace: %s:\n[gen=%d]\n\n", what, gen.gen());
    for (uint32_t ci : frontier) {
      const BatchCursor& c = gen.cursors()[ci];
      const tracefmt::EvSpec& sp = tracefmt::SpecOf(c.ev->type);
      absl::StrAppendFormat(&s, "M %d [%s time=%d", c.m, sp.name, c.ev->ts);
      for (int i = 0; i < sp.nargs; ++i) {
        absl::StrAppendFormat(&s, " %s=%d", sp.args[i], c.ev->args[i]);
      }
      s += "]\n";
    }
    s += "\n";
    return s + order.Dump();
  }

  // validateTableIDs: stack and string ids must exist in this generation's
  // tables.
  [[gnu::always_inline]] bool ValidateTableIDs(const Event& ev, size_t bi, size_t ei) {
    const tracefmt::EvSpec& sp = tracefmt::SpecOf(ev.type);
    for (int8_t a : sp.stack_args) {
      if (a < 0) break;
      if (ev.args[a] != 0 && !gen.HasStack(ev.args[a])) return BadID("stack", ev, a, bi, ei);
    }
    for (int8_t a : sp.string_args) {
      if (a < 0) break;
      if (ev.args[a] != 0 && !gen.HasString(ev.args[a])) return BadID("string", ev, a, bi, ei);
    }
    return true;
  }
  [[gnu::noinline]] bool BadID(const char* what, const Event& ev, int a, size_t bi, size_t ei) {
    Fail(absl::StrFormat("found invalid %s ID %d for event %s", what, ev.args[a],
                         tracefmt::SpecOf(ev.type).name),
         bi, ei);
    return false;
  }

  // ReadEvent, called until io.EOF or an error.
  void Run(const Trace& t) {
    order.Reset(t.version);
    res = ValidationResult{};
    size_t next = 0;
    size_t spill = SIZE_MAX;
    ReadError err;
    if (t.version >= tracefmt::Version::kGo126) {
      // go1.27 readGeneration: generations end at EndOfGeneration; the trace
      // ends where no further generation starts.
      for (;;) {
        switch (gen.ReadUntilEnd(t, &next, &err)) {
          case internal::Generation::Read126::kDone: return;
          case internal::Generation::Read126::kError: return Fail(err);
          case internal::Generation::Read126::kRead: break;
        }
        if (!OrderGeneration()) return;
      }
    }
    for (bool first = true; first || spill != SIZE_MAX; first = false) {
      if (!gen.Read(t, &next, &spill, &err)) return Fail(err);
      if (!OrderGeneration()) return;
    }
  }

  // Orders the generation just read; false after an error.
  bool OrderGeneration() {
    ReadError err;
    frontier.clear();
    std::vector<BatchCursor>& cursors = gen.cursors();
    for (uint32_t c = 0; c < cursors.size(); ++c) {
      const int r = gen.NextEvent(cursors[c], &err);
      if (r < 0) return Fail(err), false;
      if (r > 0) FrontierInsert(c);
    }
    // Go's reader returns a generation's CPU samples between its events,
    // by time; they touch no ordering state, so only their number counts.
    // go1.27's reader moves on to the next generation when there is nothing
    // to order; go1.22's reports it.
    if (frontier.empty() && gen.cpu_samples() == 0 &&
        order.version() == tracefmt::Version::kGo122) {
      return Fail(BrokenTrace("frontier is empty"), SIZE_MAX, SIZE_MAX), false;
    }
    while (!frontier.empty()) {
      size_t i = 0;
      Ordering::Adv r = Ordering::Adv::kNotYet;
      for (; i < frontier.size(); ++i) {
        const BatchCursor& c = cursors[frontier[i]];
        r = order.Advance(*c.ev, c.m, gen);
        if (r != Ordering::Adv::kNotYet) break;
      }
      if (r == Ordering::Adv::kNotYet) {
        const BatchCursor& head = cursors[frontier[0]];
        for (uint32_t f : frontier) AddCulprit(cursors[f]);
        return Fail(BrokenTrace("failed to advance: frontier"), head.batch, head.event), false;
      }
      const uint32_t ci = frontier[i];
      BatchCursor& c = cursors[ci];
      if (r == Ordering::Adv::kError) {
        AddCulprit(c);
        return Fail(order.TakeError(), c.batch, c.event), false;
      }
      // Taken: refresh the cursor first (its next event may be malformed),
      // then check the taken event's table IDs, as ReadEvent's defer does.
      const Event* ev = c.ev;
      const size_t bi = c.batch, ei = c.event;
      frontier.erase(frontier.begin() + static_cast<std::ptrdiff_t>(i));
      const int more = gen.NextEvent(c, &err);
      if (more < 0) return Fail(err), false;
      if (more > 0) FrontierInsert(ci);
      if (!ValidateTableIDs(*ev, bi, ei)) return false;
      res.events_ordered += 1 + order.extra_events();
    }
    res.events_ordered += gen.cpu_samples();
    ++res.generations;
    return true;
  }
};

Validator::Validator() : impl_(std::make_unique<Impl>()) {}
Validator::~Validator() = default;

ValidationResult Validator::Validate(const tracefmt::Trace& t) {
  impl_->Run(t);
  ValidationResult r = std::move(impl_->res);
  impl_->res = ValidationResult{};
  return r;
}

ValidationResult ValidateTrace(const tracefmt::Trace& t) {
  thread_local Validator v;
  return v.Validate(t);
}

}  // namespace schedfuzz::oracle
