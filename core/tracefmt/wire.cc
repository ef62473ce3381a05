#include "core/tracefmt/wire.h"

#include <algorithm>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace schedfuzz::tracefmt {

// ---------------------------------------------------------------------------
// Varints.

size_t UvarintLen(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

namespace {

// Encodes v into buf (at least kMaxUvarintLen bytes); returns the length.
size_t EncodeUvarint(uint64_t v, char* buf) {
  size_t n = 0;
  while (v >= 0x80) {
    buf[n++] = static_cast<char>(static_cast<uint8_t>(v) | 0x80);
    v >>= 7;
  }
  buf[n++] = static_cast<char>(v);
  return n;
}

}  // namespace

void AppendUvarint(std::string* out, uint64_t v) {
  char buf[kMaxUvarintLen];
  out->append(buf, EncodeUvarint(v, buf));
}

UvarintStatus DecodeUvarint(std::string_view in, size_t* pos, uint64_t* v) {
  uint64_t x = 0;
  unsigned shift = 0;
  size_t p = *pos;
  // Same acceptance as encoding/binary: at most ten bytes, and the tenth may
  // only contribute the single remaining bit.
  for (size_t i = 0; i < kMaxUvarintLen; ++i, ++p) {
    if (p >= in.size()) return UvarintStatus::kTruncated;
    auto b = static_cast<uint8_t>(in[p]);
    if (b < 0x80) {
      if (i == kMaxUvarintLen - 1 && b > 1) return UvarintStatus::kOverflow;
      *v = x | uint64_t{b} << shift;
      *pos = p + 1;
      return UvarintStatus::kOk;
    }
    x |= uint64_t{b & 0x7fu} << shift;
    shift += 7;
  }
  return UvarintStatus::kOverflow;
}

// ---------------------------------------------------------------------------
// Writing.

namespace {

constexpr char kEvEventBatch = static_cast<char>(EvType::kEventBatch);

int ArgsOnWire(EvType t) { return std::max(EvArgCount(t), 0); }

size_t EventSize(const Event& e, uint64_t prev_ts) {
  size_t n = 1 + UvarintLen(e.ts - prev_ts);
  const int nargs = ArgsOnWire(e.type);
  for (int i = 0; i < nargs; ++i) n += UvarintLen(e.args[i]);
  return n;
}

void AppendBatchHeader(std::string* out, const Batch& b, uint64_t base_ts, size_t payload_len) {
  out->push_back(kEvEventBatch);
  AppendUvarint(out, b.gen);
  AppendUvarint(out, b.m);
  AppendUvarint(out, base_ts);
  AppendUvarint(out, payload_len);
}

void AppendEventBatches(const Batch& b, std::string* out) {
  const std::vector<Event>& evs = b.events;
  if (evs.empty()) {
    // Go skips empty event batches; write one anyway so the Trace round-trips.
    AppendBatchHeader(out, b, 0, 0);
    return;
  }
  size_t i = 0;
  while (i < evs.size()) {
    // Pass 1: find where this wire batch ends and how long its payload is, so
    // the header can carry the minimal length without a scratch buffer.
    const uint64_t base = evs[i].ts;
    uint64_t prev = base;
    size_t len = 0;
    size_t j = i;
    for (; j < evs.size(); ++j) {
      if (evs[j].ts < prev) break;  // dt would be negative: start a new batch
      const size_t n = EventSize(evs[j], prev);
      if (j > i && len + n > kMaxBatchPayload) break;
      len += n;
      prev = evs[j].ts;
    }
    AppendBatchHeader(out, b, base, len);
    // Pass 2: the events themselves.
    prev = base;
    for (size_t k = i; k < j; ++k) {
      const Event& e = evs[k];
      out->push_back(static_cast<char>(e.type));
      AppendUvarint(out, e.ts - prev);
      const int nargs = ArgsOnWire(e.type);
      for (int a = 0; a < nargs; ++a) AppendUvarint(out, e.args[a]);
      prev = e.ts;
    }
    i = j;
  }
}

size_t StringEntrySize(const StringEntry& s) {
  return 1 + UvarintLen(s.id) + UvarintLen(s.value.size()) + s.value.size();
}

void AppendStringBatches(const Batch& b, std::string* out) {
  const std::vector<StringEntry>& ss = b.strings;
  size_t i = 0;
  do {
    size_t len = 1;  // the EvStrings byte
    size_t j = i;
    for (; j < ss.size(); ++j) {
      const size_t n = StringEntrySize(ss[j]);
      if (j > i && len + n > kMaxBatchPayload) break;
      len += n;
    }
    AppendBatchHeader(out, b, 0, len);
    out->push_back(static_cast<char>(EvType::kStrings));
    for (size_t k = i; k < j; ++k) {
      out->push_back(static_cast<char>(EvType::kString));
      AppendUvarint(out, ss[k].id);
      AppendUvarint(out, ss[k].value.size());
      out->append(ss[k].value);
    }
    i = j;
  } while (i < ss.size());
}

}  // namespace

void AppendWire(const Trace& t, std::string* out) {
  out->append(kWireHeader);
  for (const Batch& b : t) {
    switch (b.kind) {
      case BatchKind::kEvents: AppendEventBatches(b, out); break;
      case BatchKind::kFrequency:
        AppendBatchHeader(out, b, 0, 1 + UvarintLen(b.freq));
        out->push_back(static_cast<char>(EvType::kFrequency));
        AppendUvarint(out, b.freq);
        break;
      case BatchKind::kStrings: AppendStringBatches(b, out); break;
      case BatchKind::kStacks:
        AppendBatchHeader(out, b, 0, 1);
        out->push_back(static_cast<char>(EvType::kStacks));
        break;
    }
  }
}

std::string WriteWire(const Trace& t) {
  std::string out;
  AppendWire(t, &out);
  return out;
}

// ---------------------------------------------------------------------------
// Reading.
//
// The reader follows x/exp/trace's Go 1.22 parser (readGeneration,
// readBatch, processBatch, batchCursor) closely enough to fail on the same
// inputs with the same text; the comments name the Go behaviour matched.

namespace {

// Debian's Abseil has its own string_view type; convert at the boundary.
absl::string_view AV(std::string_view s) { return {s.data(), s.size()}; }

constexpr int kNumGo122Specs = kNumEvTypes;  // len(go122.Specs())

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
// uint32, then a check that v is a known version (only 22 here).
bool ReadHeader(std::string_view in, size_t* pos, std::string* error) {
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
  if (!ok) {
    *error = std::string(kBad);
    return false;
  }
  if (v != 22) {
    *error = absl::StrFormat("unknown or unsupported trace version go 1.%d", v);
    return false;
  }
  *pos = p;
  return true;
}

// go122.EventString, as used in readBatch's error. Type 0 has no spec entry,
// so its name prints as the empty string.
std::string Go122EventString(uint8_t typ) {
  if (typ == 0) return std::string();
  if (typ < kNumGo122Specs) return std::string(EvName(EvType{typ}));
  return absl::StrFormat("Invalid(%d)", typ);
}

struct WireBatch {
  uint64_t gen = 0;
  uint64_t m = 0;
  uint64_t ts = 0;
  std::string_view data;
};

// readBatch. Returns 1 for a batch, 0 for a clean end of input, -1 on error.
int ReadBatch(Cursor* c, WireBatch* b, std::string* error) {
  if (c->AtEnd()) return 0;
  const auto typ = static_cast<uint8_t>(c->in[c->pos++]);
  if (typ != static_cast<uint8_t>(EvType::kEventBatch)) {
    *error = absl::StrCat("expected batch event (", Go122EventString(uint8_t{1}), "), got ",
                          Go122EventString(typ));
    return -1;
  }
  std::string_view err;
  uint64_t size = 0;
  if (!c->ReadUvarint(&b->gen, &err)) {
    *error = absl::StrCat("error reading batch gen: ", AV(err));
    return -1;
  }
  if (!c->ReadUvarint(&b->m, &err)) {
    *error = absl::StrCat("error reading batch M ID: ", AV(err));
    return -1;
  }
  if (!c->ReadUvarint(&b->ts, &err)) {
    *error = absl::StrCat("error reading batch timestamp: ", AV(err));
    return -1;
  }
  if (!c->ReadUvarint(&size, &err)) {
    *error = absl::StrCat("error reading batch size: ", AV(err));
    return -1;
  }
  if (size > kMaxBatchPayload) {
    *error = absl::StrFormat("invalid batch size %d, maximum is %d", size, kMaxBatchPayload);
    return -1;
  }
  if (size > c->Left()) {
    *error = absl::StrFormat("failed to read full batch: read %d but wanted %d", c->Left(), size);
    c->pos = c->in.size();
    return -1;
  }
  b->data = c->in.substr(c->pos, size);
  c->pos += size;
  return 1;
}

// How Go prints a stack in the duplicate-id error: its String method writes
// each pc as "\t%#v\n" (0x-prefixed hex), so an empty stack prints nothing.
std::string FormatStack(const std::vector<uint64_t>& pcs) {
  std::string s;
  for (uint64_t pc : pcs) absl::StrAppend(&s, "\t0x", absl::Hex(pc), "\n");
  return s;
}

struct Frame {
  uint64_t func_id = 0;
  uint64_t file_id = 0;
};

// Everything one generation's tables hold. Lookups only: nothing iterates
// the hash maps, so their order cannot leak into results.
struct GenTables {
  uint64_t gen = 0;
  bool have_freq = false;
  std::unordered_map<uint64_t, std::string_view> strings;
  std::unordered_map<uint64_t, std::vector<uint64_t>> stacks;
  std::vector<uint64_t> stack_ids;             // insertion order; sorted at gen end
  std::unordered_map<uint64_t, Frame> frames;  // first frame seen per pc
  std::string event_error;                     // first event decode error

  template <typename M>
  static void ResetMap(M* m) {
    if (!m->empty() || m->bucket_count() > 1) M().swap(*m);
  }

  void Reset(uint64_t g) {
    gen = g;
    have_freq = false;
    // Swap in empty maps rather than clear(): clear() also wipes the bucket
    // array, and a trace of many tiny generations after one big one would
    // pay for that array every time.
    ResetMap(&strings);
    ResetMap(&stacks);
    ResetMap(&frames);
    stack_ids.clear();
    event_error.clear();
  }
  // dataTable.get: id 0 is always present (the empty string/stack).
  bool HasString(uint64_t id) const { return id == 0 || strings.count(id); }
};

class WireReader {
 public:
  WireReader(std::string_view in, Trace* out, std::string* error) : out_(out), error_(error) {
    cur_.in = in;
  }

  bool Run() {
    if (!ReadHeader(cur_.in, &cur_.pos, error_)) return false;
    bool have_spill = false;
    WireBatch spill;
    // Each iteration is one readGeneration plus the decoding Go does when it
    // starts ordering that generation's events.
    for (bool first = true; first || have_spill; first = false) {
      tables_.Reset(0);
      if (have_spill) {
        tables_.gen = spill.gen;
        have_spill = false;
        if (!ProcessBatch(spill)) return false;
      }
      for (;;) {
        WireBatch b;
        const int r = ReadBatch(&cur_, &b, error_);
        if (r < 0) return false;
        if (r == 0) break;
        if (b.gen == 0) return Fail("invalid generation number 0");
        if (tables_.gen == 0) tables_.gen = b.gen;
        if (b.gen == tables_.gen + 1) {
          spill = b;
          have_spill = true;
          break;
        }
        if (b.gen != tables_.gen) return Fail("generations out of order");
        if (!ProcessBatch(b)) return false;
      }
      if (!tables_.have_freq) return Fail("no frequency event found");
      if (!ValidateStackStrings()) return false;
      if (!tables_.event_error.empty()) return Fail(tables_.event_error);
    }
    return true;
  }

 private:
  bool Fail(std::string_view msg) {
    error_->assign(msg.data(), msg.size());
    return false;
  }

  // processBatch: the payload's first byte picks the table it feeds.
  bool ProcessBatch(const WireBatch& b) {
    const int first = b.data.empty() ? -1 : static_cast<uint8_t>(b.data[0]);
    switch (first) {
      case static_cast<int>(EvType::kStrings): return AddStrings(b);
      case static_cast<int>(EvType::kStacks): return AddStacks(b);
      case static_cast<int>(EvType::kCPUSamples): return CheckCPUSamples(b);
      case static_cast<int>(EvType::kFrequency): return ParseFreq(b);
      default: DecodeEvents(b); return true;
    }
  }

  Batch& NewBatch(BatchKind kind, const WireBatch& b) {
    Batch& out = out_->Append();
    out.kind = kind;
    out.gen = b.gen;
    out.m = b.m;
    return out;
  }

  // parseFreq: the value after the type byte; anything after it is ignored.
  bool ParseFreq(const WireBatch& b) {
    Cursor r{b.data, 1};
    uint64_t f = 0;
    std::string_view err;
    if (!r.ReadUvarint(&f, &err)) return Fail(err);
    if (tables_.have_freq) return Fail("found multiple frequency events");
    tables_.have_freq = true;
    NewBatch(BatchKind::kFrequency, b).freq = f;
    return true;
  }

  bool AddStrings(const WireBatch& b) {
    Batch& out = NewBatch(BatchKind::kStrings, b);
    Cursor r{b.data, 1};
    std::string_view err;
    while (!r.AtEnd()) {
      const auto ev = static_cast<uint8_t>(r.in[r.pos++]);
      if (ev != static_cast<uint8_t>(EvType::kString))
        return Fail(absl::StrFormat("expected string event, got %d", ev));
      uint64_t id = 0, len = 0;
      if (!r.ReadUvarint(&id, &err) || !r.ReadUvarint(&len, &err)) return Fail(err);
      if (len > kMaxStringSize)
        return Fail(absl::StrFormat("invalid string size %d, maximum is %d", len, kMaxStringSize));
      if (len > r.Left())
        return Fail(
            absl::StrFormat("failed to read full string: read %d but wanted %d", r.Left(), len));
      const std::string_view s = r.in.substr(r.pos, len);
      r.pos += len;
      if (id == 0 || tables_.strings.count(id)) {
        const std::string_view existing = id == 0 ? std::string_view() : tables_.strings[id];
        return Fail(absl::StrCat("multiple strings with the same ID: id=", id, ", new=", AV(s),
                                 ", existing=", AV(existing)));
      }
      tables_.strings.emplace(id, s);
      out.strings.push_back(StringEntry{id, std::string(s)});
    }
    return true;
  }

  bool AddStacks(const WireBatch& b) {
    NewBatch(BatchKind::kStacks, b);
    Cursor r{b.data, 1};
    std::string_view err;
    std::vector<uint64_t> pcs;
    while (!r.AtEnd()) {
      const auto ev = static_cast<uint8_t>(r.in[r.pos++]);
      if (ev != static_cast<uint8_t>(EvType::kStack))
        return Fail(absl::StrFormat("expected stack event, got %d", ev));
      uint64_t id = 0, nframes = 0;
      if (!r.ReadUvarint(&id, &err) || !r.ReadUvarint(&nframes, &err)) return Fail(err);
      if (nframes > kMaxFramesPerStack)
        return Fail(
            absl::StrFormat("invalid stack size %d, maximum is %d", nframes, kMaxFramesPerStack));
      pcs.clear();
      for (uint64_t i = 0; i < nframes; ++i) {
        static constexpr const char* kField[] = {"PC", "funcID", "fileID", "line"};
        uint64_t f[4];
        for (int k = 0; k < 4; ++k) {
          if (!r.ReadUvarint(&f[k], &err))
            return Fail(absl::StrFormat("reading frame %d's %s for stack %d: %s", i + 1, kField[k],
                                        id, err));
        }
        pcs.push_back(f[0]);
        tables_.frames.emplace(f[0], Frame{f[1], f[2]});  // first one wins
      }
      if (id == 0 || tables_.stacks.count(id)) {
        const std::string existing =
            FormatStack(id == 0 ? std::vector<uint64_t>() : tables_.stacks[id]);
        return Fail(absl::StrCat("multiple trace.stacks with the same ID: id=", id,
                                 ", new=", FormatStack(pcs), ", existing=", existing));
      }
      tables_.stacks.emplace(id, pcs);
      tables_.stack_ids.push_back(id);
    }
    return true;
  }

  // addCPUSamples: validated like Go does, then dropped (Trace has no place
  // for them; the model takes no CPU profile).
  bool CheckCPUSamples(const WireBatch& b) {
    Cursor r{b.data, 1};
    std::string_view err;
    while (!r.AtEnd()) {
      const auto ev = static_cast<uint8_t>(r.in[r.pos++]);
      if (ev != static_cast<uint8_t>(EvType::kCPUSample))
        return Fail(absl::StrFormat("expected CPU sample event, got %d", ev));
      uint64_t v = 0;
      for (int k = 0; k < 5; ++k) {  // time, m, p, g, stack
        if (!r.ReadUvarint(&v, &err)) return Fail(err);
      }
    }
    return true;
  }

  // readTimedBaseEvent for every event of an ordinary batch. Go only decodes
  // while ordering, so a decoding error is held until the generation's
  // table checks have passed.
  void DecodeEvents(const WireBatch& b) {
    Batch& out = NewBatch(BatchKind::kEvents, b);
    if (!tables_.event_error.empty()) return;
    const std::string_view d = b.data;
    size_t p = 0;
    uint64_t ts = b.ts;
    while (p < d.size()) {
      const auto typ = static_cast<uint8_t>(d[p]);
      if (typ >= kNumGo122Specs) {
        tables_.event_error = absl::StrFormat("found invalid event type: %d", typ);
        return;
      }
      const int nargs = EvArgCount(EvType{typ});
      if (nargs < 0) {
        tables_.event_error = absl::StrFormat("found event without a timestamp: type=%d", typ);
        return;
      }
      ++p;
      Event e;
      e.type = EvType{typ};
      uint64_t dt = 0;
      if (DecodeUvarint(d, &p, &dt) != UvarintStatus::kOk) {
        tables_.event_error = "found invalid uvarint for timestamp";
        return;
      }
      for (int i = 0; i < nargs; ++i) {
        if (DecodeUvarint(d, &p, &e.args[i]) != UvarintStatus::kOk) {
          tables_.event_error = "found invalid uvarint";
          return;
        }
      }
      ts += dt;
      e.ts = ts;
      out.events.push_back(e);
    }
  }

  // validateStackStrings. Go walks its table in id order once compacted;
  // ascending id order is the deterministic choice.
  bool ValidateStackStrings() {
    std::sort(tables_.stack_ids.begin(), tables_.stack_ids.end());
    for (uint64_t id : tables_.stack_ids) {
      for (uint64_t pc : tables_.stacks[id]) {
        const Frame& f = tables_.frames[pc];
        if (!tables_.HasString(f.func_id))
          return Fail(
              absl::StrFormat("found invalid func string ID %d for stack %d", f.func_id, id));
        if (!tables_.HasString(f.file_id))
          return Fail(
              absl::StrFormat("found invalid file string ID %d for stack %d", f.file_id, id));
      }
    }
    return true;
  }

  Cursor cur_;
  Trace* out_;
  std::string* error_;
  GenTables tables_;
};

}  // namespace

bool ReadWire(std::string_view bytes, Trace* out, std::string* error) {
  out->Clear();
  error->clear();
  return WireReader(bytes, out, error).Run();
}

}  // namespace schedfuzz::tracefmt
