// Reading the wire format (wire.h). A Go 1.22 trace is read as x/exp/trace's
// Go 1.22 parser reads it (readGeneration, readBatch, processBatch,
// batchCursor); a Go 1.23+ trace as go1.27's internal/trace reads it
// (readBatch, readGenerationWithSpill for 1.23 and 1.25, readGeneration for
// 1.26, processBatch, setSyncBatch), closely enough to fail on the same inputs
// with the same text; the comments name the Go behaviour matched.
#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

#include "core/tracefmt/spec.h"
#include "core/tracefmt/tables.h"
#include "core/tracefmt/wire.h"

namespace schedfuzz::tracefmt {
namespace {

// Debian's Abseil has its own string_view type; convert at the boundary.
absl::string_view AV(std::string_view s) { return {s.data(), s.size()}; }

// encoding/binary's error values, as %v prints them.
constexpr std::string_view kErrEOF = "EOF";
constexpr std::string_view kErrUnexpectedEOF = "unexpected EOF";
constexpr std::string_view kErrOverflow = "binary: varint overflows a 64-bit integer";

// A byte source with io.Reader/io.ByteReader semantics over a slice.
struct Cursor {
  std::string_view in;
  size_t pos = 0;

  size_t Left() const { return in.size() - pos; }
  bool AtEnd() const { return pos >= in.size(); }

  // binary.ReadUvarint: on error returns its message (io.EOF when nothing
  // was left, io.ErrUnexpectedEOF when the input ended mid-varint).
  bool ReadUvarint(uint64_t* v, std::string_view* err) {
    if (AtEnd()) {
      *err = kErrEOF;
      return false;
    }
    switch (DecodeUvarint(in, &pos, v)) {
      case UvarintStatus::kOk: return true;
      case UvarintStatus::kTruncated:
        *err = kErrUnexpectedEOF;
        pos = in.size();
        return false;
      case UvarintStatus::kOverflow: *err = kErrOverflow; return false;
    }
    return false;
  }
  // The same, with the error as a Status whose text is prefix + Go's.
  absl::Status Uvarint(uint64_t* v, std::string_view prefix = {}) {
    std::string_view err;
    if (ReadUvarint(v, &err)) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(AV(prefix), AV(err)));
  }
};

// fmt's isSpace, on UTF-8 input: is there a blank at pos, and how long.
bool IsUtf8SpaceAt(std::string_view s, size_t pos, size_t* len) {
  auto at = [&](size_t i) -> int {
    return pos + i < s.size() ? static_cast<uint8_t>(s[pos + i]) : -1;
  };
  const int c = at(0);
  switch (c) {
    case ' ':
    case '\t':
    case '\v':
    case '\f': *len = 1; return true;
    case '\r': *len = 1; return at(1) != '\n';
    case 0xc2:  // U+0085 NEL, U+00A0 NBSP
      *len = 2;
      return at(1) == 0x85 || at(1) == 0xa0;
    case 0xe1:  // U+1680
      *len = 3;
      return at(1) == 0x9a && at(2) == 0x80;
    case 0xe2: {  // U+2000..U+200A, U+2028, U+2029, U+202F, U+205F
      *len = 3;
      const int b1 = at(1), b2 = at(2);
      if (b1 == 0x80) return (b2 >= 0x80 && b2 <= 0x8a) || b2 == 0xa8 || b2 == 0xa9 || b2 == 0xaf;
      return b1 == 0x81 && b2 == 0x9f;
    }
    case 0xe3:  // U+3000
      *len = 3;
      return at(1) == 0x80 && at(2) == 0x80;
    default: return false;
  }
}

// fmt.Fscanf's notion of a blank for the spaces in "go 1.%d trace": any
// Unicode white space except newline; "\r\n" counts as a newline.
bool SkipBlanks(std::string_view s, size_t* pos, bool require_one) {
  size_t p = *pos;
  size_t n = 0;
  size_t len = 0;
  while (p < s.size() && IsUtf8SpaceAt(s, p, &len)) {
    p += len;
    ++n;
  }
  if (require_one && n == 0) return false;
  *pos = p;
  return true;
}

// version.ReadHeader: fmt.Fscanf(r, "go 1.%d trace\x00\x00\x00", &v) into a
// uint32, then a check that v is a known version. Of Go's versions only the
// v2 ones (22, 23, 25, 26) are read here; go1.27 reads 11, 19 and 21 with its
// older parser, which this project does not model, so those are reported as
// unsupported too.
absl::Status ReadHeader(std::string_view in, size_t* pos, Version* version) {
  constexpr std::string_view kBad = "bad file format: not a Go execution trace?";
  size_t p = 0;
  auto literal = [&](std::string_view lit) {
    if (in.substr(p, lit.size()) != lit) return false;
    p += lit.size();
    return true;
  };
  uint64_t v = 0;
  bool ok = literal("go") && SkipBlanks(in, &p, true) && literal("1.");
  if (ok) {
    SkipBlanks(in, &p, false);  // %d skips leading blanks
    size_t digits = 0;
    while (p < in.size() && in[p] >= '0' && in[p] <= '9') {
      v = v * 10 + static_cast<uint64_t>(in[p] - '0');
      if (v > 0xffffffffu) break;  // overflows the uint32: Fscanf fails
      ++p;
      ++digits;
    }
    ok = digits > 0 && v <= 0xffffffffu && SkipBlanks(in, &p, true) &&
         literal(std::string_view("trace\0\0\0", 8));
  }
  if (!ok) return absl::InvalidArgumentError(AV(kBad));
  if (!IsV2Version(v)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("unknown or unsupported trace version go 1.%d", v));
  }
  *version = static_cast<Version>(v);
  *pos = p;
  return absl::OkStatus();
}

// go122.EventString, as used in readBatch's error. Type 0 has no spec entry,
// so its name prints as the empty string.
std::string Go122EventString(uint8_t typ) {
  if (typ == 0) return std::string();
  if (typ < kNumEvTypes) return std::string(EvName(EvType{typ}));
  return absl::StrFormat("Invalid(%d)", typ);
}

absl::Status Error(std::string_view msg) { return absl::InvalidArgumentError(AV(msg)); }

struct WireBatch {
  uint64_t gen = 0;
  uint64_t m = 0;
  uint64_t ts = 0;
  std::string_view data;
  uint8_t exp = 0;   // Go 1.23+: the experiment of an ExperimentalBatch
  bool eog = false;  // Go 1.23+: the one-byte EndOfGeneration batch
};

constexpr auto kByte = [](EvType t) { return static_cast<uint8_t>(t); };

// readBatch: a batch, or nullopt at a clean end of input. From Go 1.23 on
// (go1.27 batch.go) the header byte may also be EndOfGeneration (a batch of
// its own with gen 0) or ExperimentalBatch (followed by the experiment byte;
// the input ending right before it is io.EOF, a clean end), and the error
// text for any other byte changed.
absl::StatusOr<std::optional<WireBatch>> ReadBatch(Cursor* c, Version v) {
  if (c->AtEnd()) return std::nullopt;
  const auto typ = static_cast<uint8_t>(c->in[c->pos++]);
  WireBatch b;
  if (v == Version::kGo122) {
    if (typ != kByte(EvType::kEventBatch)) {
      return Error(absl::StrCat("expected batch event (", Go122EventString(uint8_t{1}), "), got ",
                                Go122EventString(typ)));
    }
  } else if (typ == kByte(EvType::kEndOfGeneration)) {
    b.m = kNoThread;
    b.eog = true;
    b.data = c->in.substr(c->pos - 1, 1);
    return b;
  } else if (typ != kByte(EvType::kEventBatch) && typ != kByte(EvType::kExperimentalBatch)) {
    return Error(absl::StrFormat("expected batch event, got event %d", typ));
  } else if (typ == kByte(EvType::kExperimentalBatch)) {
    if (c->AtEnd()) return std::nullopt;
    b.exp = static_cast<uint8_t>(c->in[c->pos++]);
  }
  uint64_t size = 0;
  if (absl::Status s = c->Uvarint(&b.gen, "error reading batch gen: "); !s.ok()) return s;
  if (absl::Status s = c->Uvarint(&b.m, "error reading batch M ID: "); !s.ok()) return s;
  if (absl::Status s = c->Uvarint(&b.ts, "error reading batch timestamp: "); !s.ok()) return s;
  if (absl::Status s = c->Uvarint(&size, "error reading batch size: "); !s.ok()) return s;
  if (size > kMaxBatchPayload) {
    return Error(absl::StrFormat("invalid batch size %d, maximum is %d", size, kMaxBatchPayload));
  }
  if (size > c->Left()) {
    const size_t left = c->Left();
    c->pos = c->in.size();
    return Error(absl::StrFormat("failed to read full batch: read %d but wanted %d", left, size));
  }
  b.data = c->in.substr(c->pos, size);
  c->pos += size;
  return b;
}

class WireReader {
 public:
  WireReader(std::string_view in, Trace* out) : out_(out) { cur_.in = in; }

  absl::Status Run() {
    if (absl::Status s = ReadHeader(cur_.in, &cur_.pos, &v_); !s.ok()) return s;
    out_->version = v_;
    decode_specs_ = DecodeSpecs(v_);
    if (v_ == Version::kGo126) return RunGo126();
    std::optional<WireBatch> spill;
    // Each iteration is one readGeneration (readGenerationWithSpill from Go
    // 1.23 on) plus the decoding Go does when it starts ordering that
    // generation's events.
    for (bool first = true; first || spill; first = false) {
      StartGeneration();
      // go1.27 only: an unreadable batch after the generation has started is
      // held until the generation has been read and ordered.
      std::optional<absl::Status> spill_error;
      if (spill) {
        gen_ = spill->gen;
        const WireBatch b = *spill;
        spill.reset();
        if (absl::Status s = ProcessBatch(b); !s.ok()) return s;
      }
      for (;;) {
        absl::StatusOr<std::optional<WireBatch>> r = ReadBatch(&cur_, v_);
        if (!r.ok()) {
          if (v_ == Version::kGo122 || gen_ == 0) return r.status();
          spill_error = r.status();
          break;
        }
        if (!r->has_value()) break;
        const WireBatch& b = **r;
        if (b.gen == 0) return Error("invalid generation number 0");
        if (gen_ == 0) gen_ = b.gen;
        if (b.gen == gen_ + 1) {
          spill = b;
          break;
        }
        if (b.gen != gen_) return Error("generations out of order");
        if (absl::Status s = ProcessBatch(b); !s.ok()) return s;
      }
      if (absl::Status s = EndGeneration(); !s.ok()) return s;
      if (spill_error) return *spill_error;
    }
    return absl::OkStatus();
  }

 private:
  void StartGeneration() {
    tables_.Clear();
    gen_ = 0;
    have_freq_ = false;
    have_clock_ = false;
    event_batches_ = false;
    event_error_.clear();
  }

  // The checks after a generation's last batch, then the decoding errors Go
  // meets when it orders the generation.
  absl::Status EndGeneration() {
    if (!have_freq_) return Error("no frequency event found");
    if (v_ >= Version::kGo125 && !have_clock_) return Error("no clock snapshot event found");
    if (absl::Status s = tables_.ValidateStackStrings(); !s.ok()) return s;
    if (!event_error_.empty()) return Error(event_error_);
    return absl::OkStatus();
  }

  // go1.27 readGeneration for Go 1.26 traces: a generation is everything up
  // to its EndOfGeneration batch; the input may end only between generations.
  absl::Status RunGo126() {
    for (;;) {
      StartGeneration();
      for (;;) {
        absl::StatusOr<std::optional<WireBatch>> r = ReadBatch(&cur_, v_);
        if (!r.ok()) return r.status();
        if (!r->has_value()) {
          // Go counts only event batches here: a generation cut off after
          // its tables alone ends the trace cleanly.
          if (event_batches_) return Error("incomplete generation found; trace likely truncated");
          return absl::OkStatus();
        }
        const WireBatch& b = **r;
        if (gen_ == 0) gen_ = b.gen;
        if (IsEndOfGeneration(b)) {
          // On the wire the marker has no generation or thread.
          Batch& e = NewBatch(BatchKind::kEndOfGeneration, b);
          e.gen = 0;
          e.m = kNoThread;
          break;
        }
        if (b.gen == 0) return Error("invalid generation number 0");
        if (b.gen != gen_) {
          return Error(
              "broken trace: missing end-of-generation event, or generations are interleaved");
        }
        if (absl::Status s = ProcessBatch(b); !s.ok()) return s;
      }
      if (absl::Status s = EndGeneration(); !s.ok()) return s;
    }
  }

  // batch.isEndOfGeneration: the marker, or any ordinary batch whose payload
  // starts with its byte.
  static bool IsEndOfGeneration(const WireBatch& b) {
    return b.exp == 0 && !b.data.empty() &&
           static_cast<uint8_t>(b.data[0]) == kByte(EvType::kEndOfGeneration);
  }

  // processBatch: the payload's first byte picks the table it feeds.
  absl::Status ProcessBatch(const WireBatch& b) {
    if (v_ == Version::kGo122) {
      const int first = b.data.empty() ? -1 : static_cast<uint8_t>(b.data[0]);
      switch (first) {
        case static_cast<int>(EvType::kStrings): return AddStrings(b);
        case static_cast<int>(EvType::kStacks): return AddStacks(b);
        case static_cast<int>(EvType::kCPUSamples): return AddCPUSamples(b);
        case static_cast<int>(EvType::kFrequency): return ParseFreq(b);
        default: DecodeEvents(b); return absl::OkStatus();
      }
    }
    // go1.27: the same, except that an experimental batch is never a table,
    // the sync batch starts with Sync from Go 1.25 on (with Frequency
    // before), and an EndOfGeneration payload here is Go's internal error.
    const int first = b.exp != 0 || b.data.empty() ? -1 : static_cast<uint8_t>(b.data[0]);
    const int sync = v_ >= Version::kGo125 ? kByte(EvType::kSync) : kByte(EvType::kFrequency);
    if (first == kByte(EvType::kStrings)) return AddStrings(b);
    if (first == kByte(EvType::kStacks)) return AddStacks(b);
    if (first == kByte(EvType::kCPUSamples)) return AddCPUSamples(b);
    if (first == sync) return SetSyncBatch(b);
    if (b.exp != 0) {
      Batch& out = NewBatch(BatchKind::kExperimental, b);
      out.exp = b.exp;
      out.data.assign(b.data.data(), b.data.size());
      return absl::OkStatus();
    }
    if (first == kByte(EvType::kEndOfGeneration)) {
      return Error("internal error: unexpectedly processing EndOfGeneration; broken trace?");
    }
    event_batches_ = true;
    DecodeEvents(b);
    return absl::OkStatus();
  }

  // setSyncBatch: a Go 1.23 Frequency batch or a Go 1.25+ Sync batch, whose
  // entries are read to the end; each kind may come once per generation.
  absl::Status SetSyncBatch(const WireBatch& b) {
    const bool sync = v_ >= Version::kGo125;
    Batch& out = NewBatch(sync ? BatchKind::kSync : BatchKind::kFrequency, b);
    out.has_freq = false;
    Cursor r{b.data, sync ? size_t{1} : size_t{0}};
    uint64_t last_ts = b.ts;
    while (!r.AtEnd()) {
      const auto ev = static_cast<uint8_t>(r.in[r.pos++]);
      if (ev == kByte(EvType::kFrequency)) {
        if (have_freq_) return Error("found multiple frequency events");
        if (absl::Status s = r.Uvarint(&out.freq); !s.ok()) return s;
        have_freq_ = true;
        out.has_freq = true;
      } else if (ev == kByte(EvType::kClockSnapshot) && sync) {
        if (have_clock_) return Error("found multiple clock snapshot events");
        have_clock_ = true;
        uint64_t dt = 0;
        if (absl::Status s = r.Uvarint(&dt); !s.ok()) return s;
        last_ts += dt;
        out.clock.ts = last_ts;
        for (uint64_t* v : {&out.clock.mono, &out.clock.sec, &out.clock.nsec}) {
          if (absl::Status s = r.Uvarint(v); !s.ok()) return s;
        }
        out.has_clock = true;
      } else {
        return Error(absl::StrFormat("expected frequency or clock snapshot event, got %d", ev));
      }
    }
    return absl::OkStatus();
  }

  Batch& NewBatch(BatchKind kind, const WireBatch& b) {
    Batch& out = out_->Append();
    out.kind = kind;
    out.gen = b.gen;
    out.m = b.m;
    return out;
  }

  // parseFreq: the value after the type byte; anything after it is ignored.
  absl::Status ParseFreq(const WireBatch& b) {
    Cursor r{b.data, 1};
    uint64_t f = 0;
    if (absl::Status s = r.Uvarint(&f); !s.ok()) return s;
    if (have_freq_) return Error("found multiple frequency events");
    have_freq_ = true;
    NewBatch(BatchKind::kFrequency, b).freq = f;
    return absl::OkStatus();
  }

  // The byte that starts each entry of a table batch.
  static absl::Status EntryType(Cursor* r, EvType want, const char* what) {
    const auto ev = static_cast<uint8_t>(r->in[r->pos++]);
    if (ev == static_cast<uint8_t>(want)) return absl::OkStatus();
    return Error(absl::StrFormat("expected %s event, got %d", what, ev));
  }

  absl::Status AddStrings(const WireBatch& b) {
    Batch& out = NewBatch(BatchKind::kStrings, b);
    Cursor r{b.data, 1};
    while (!r.AtEnd()) {
      if (absl::Status s = EntryType(&r, EvType::kString, "string"); !s.ok()) return s;
      uint64_t id = 0, len = 0;
      if (absl::Status s = r.Uvarint(&id); !s.ok()) return s;
      if (absl::Status s = r.Uvarint(&len); !s.ok()) return s;
      if (absl::Status s = GenTables::CheckStringSize(len); !s.ok()) return s;
      if (len > r.Left()) {
        return Error(
            absl::StrFormat("failed to read full string: read %d but wanted %d", r.Left(), len));
      }
      const std::string_view str = r.in.substr(r.pos, len);
      r.pos += len;
      if (absl::Status s = tables_.AddString(id, str); !s.ok()) return s;
      out.strings.push_back(StringEntry{id, std::string(str)});
    }
    return absl::OkStatus();
  }

  absl::Status AddStacks(const WireBatch& b) {
    Batch& out = NewBatch(BatchKind::kStacks, b);
    Cursor r{b.data, 1};
    while (!r.AtEnd()) {
      if (absl::Status s = EntryType(&r, EvType::kStack, "stack"); !s.ok()) return s;
      StackEntry e;
      uint64_t nframes = 0;
      if (absl::Status s = r.Uvarint(&e.id); !s.ok()) return s;
      if (absl::Status s = r.Uvarint(&nframes); !s.ok()) return s;
      if (absl::Status s = GenTables::CheckStackSize(nframes); !s.ok()) return s;
      e.frames.resize(nframes);
      for (uint64_t i = 0; i < nframes; ++i) {
        static constexpr const char* kField[] = {"PC", "funcID", "fileID", "line"};
        StackFrame& f = e.frames[i];
        uint64_t* fields[] = {&f.pc, &f.func, &f.file, &f.line};
        for (int k = 0; k < 4; ++k) {
          std::string_view err;
          if (!r.ReadUvarint(fields[k], &err)) {
            return Error(absl::StrFormat("reading frame %d's %s for stack %d: %s", i + 1, kField[k],
                                         e.id, AV(err)));
          }
        }
      }
      if (absl::Status s = tables_.AddStack(e.id, e.frames.data(), e.frames.size()); !s.ok()) {
        return s;
      }
      out.stacks.push_back(std::move(e));
    }
    return absl::OkStatus();
  }

  // addCPUSamples.
  absl::Status AddCPUSamples(const WireBatch& b) {
    Batch& out = NewBatch(BatchKind::kCPUSamples, b);
    Cursor r{b.data, 1};
    while (!r.AtEnd()) {
      if (absl::Status s = EntryType(&r, EvType::kCPUSample, "CPU sample"); !s.ok()) return s;
      CPUSample c;
      for (uint64_t* v : {&c.ts, &c.m, &c.p, &c.g, &c.stack}) {
        if (absl::Status s = r.Uvarint(v); !s.ok()) return s;
      }
      out.samples.push_back(c);
    }
    return absl::OkStatus();
  }
  // readTimedBaseEvent for every event of an ordinary batch. Go only decodes
  // while ordering, so a decoding error is held until the generation's
  // table checks have passed.
  void DecodeEvents(const WireBatch& b) {
    Batch& out = NewBatch(BatchKind::kEvents, b);
    if (!event_error_.empty()) return;
    const std::string_view d = b.data;
    size_t p = 0;
    uint64_t ts = b.ts;
    while (p < d.size()) {
      const auto typ = static_cast<uint8_t>(d[p]);
      if (typ >= decode_specs_) {
        event_error_ = absl::StrFormat("found invalid event type: %d", typ);
        return;
      }
      const int nargs = SpecOf(EvType{typ}).timed ? SpecOf(EvType{typ}).nargs : -1;
      if (nargs < 0) {
        event_error_ = absl::StrFormat("found event without a timestamp: type=%d", typ);
        return;
      }
      ++p;
      Event e;
      e.type = EvType{typ};
      uint64_t dt = 0;
      if (DecodeUvarint(d, &p, &dt) != UvarintStatus::kOk) {
        event_error_ = "found invalid uvarint for timestamp";
        return;
      }
      for (int i = 0; i < nargs; ++i) {
        if (DecodeUvarint(d, &p, &e.args[i]) != UvarintStatus::kOk) {
          event_error_ = "found invalid uvarint";
          return;
        }
      }
      ts += dt;
      e.ts = ts;
      out.events.push_back(e);
    }
  }

  Cursor cur_;
  Trace* out_;
  Version v_ = Version::kGo122;
  size_t decode_specs_ = kNumEvTypes;  // types readTimedBaseEvent knows
  GenTables tables_;
  uint64_t gen_ = 0;
  bool have_freq_ = false;
  bool have_clock_ = false;
  bool event_batches_ = false;  // Go 1.26: the generation has an event batch
  std::string event_error_;     // first event decode error of the generation
};

}  // namespace

absl::Status ReadWire(std::string_view bytes, Trace* out) {
  out->Clear();
  return WireReader(bytes, out).Run();
}

}  // namespace schedfuzz::tracefmt
