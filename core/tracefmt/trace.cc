#include "core/tracefmt/trace.h"

#include <map>
#include <string_view>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace schedfuzz::tracefmt {
namespace {

// Debian's Abseil has its own string_view type; convert at the boundary.
absl::string_view AV(std::string_view s) { return {s.data(), s.size()}; }

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

void AppendThread(std::string* out, uint64_t m) {
  if (m == kNoThread) {
    out->append("none");
  } else {
    absl::StrAppend(out, m);
  }
}

void AppendQuoted(std::string* out, std::string_view s) {
  absl::StrAppend(out, "\"", absl::CEscape(AV(s)), "\"");
}

// Status arguments print as names; values Go has no name for print as
// numbers so that a corrupt status stays visible.
void AppendGoStatus(std::string* out, uint64_t v) {
  if (v <= static_cast<uint64_t>(GoStatus::kWaiting)) {
    out->append(GoStatusName(static_cast<GoStatus>(v)));
  } else {
    absl::StrAppend(out, "Bad(", v, ")");
  }
}

void AppendProcStatus(std::string* out, uint64_t v) {
  // ProcStatusName follows Go's %v, which calls SyscallAbandoned "Bad"; a
  // dump wants to tell the two apart.
  if (v == static_cast<uint64_t>(ProcStatus::kSyscallAbandoned)) {
    out->append("SyscallAbandoned");
  } else if (v < static_cast<uint64_t>(ProcStatus::kSyscallAbandoned)) {
    out->append(ProcStatusName(static_cast<ProcStatus>(v)));
  } else {
    absl::StrAppend(out, "Bad(", v, ")");
  }
}

using StringTable = std::map<std::pair<uint64_t, uint64_t>, std::string_view>;

void AppendEvent(std::string* out, const Batch& b, const Event& e, const StringTable& strings,
                 Version v) {
  absl::StrAppend(out, "gen ", b.gen, " M");
  if (b.m == kNoThread) {
    out->push_back('-');
  } else {
    absl::StrAppend(out, b.m);
  }
  absl::StrAppend(out, " ts=", e.ts, " ", AV(EvName(e.type, v)));
  const int nargs = EvArgCount(e.type, v);
  if (nargs < 0) {
    // Not an event Go allows in a batch: show the raw words.
    for (int i = 0; i < 4; ++i) absl::StrAppend(out, " arg", i, "=", e.args[i]);
    out->push_back('\n');
    return;
  }
  for (int i = 0; i < nargs; ++i) {
    const std::string_view name = EvArgName(e.type, i, v);
    const uint64_t v = e.args[i];
    absl::StrAppend(out, " ", AV(name), "=");
    if (name == "gstatus") {
      AppendGoStatus(out, v);
    } else if (name == "pstatus") {
      AppendProcStatus(out, v);
    } else if (name == "m") {
      AppendThread(out, v);
    } else if (EndsWith(name, "_string") && v != 0) {
      absl::StrAppend(out, v);
      auto it = strings.find({b.gen, v});
      if (it != strings.end()) {
        out->push_back('(');
        AppendQuoted(out, it->second);
        out->push_back(')');
      }
    } else {
      absl::StrAppend(out, v);
    }
  }
  out->push_back('\n');
}

}  // namespace

std::string DumpTrace(const Trace& t) {
  // String ids are per generation and the runtime writes the table after the
  // events that use it, so collect every table first.
  StringTable strings;
  for (const Batch& b : t) {
    if (b.kind != BatchKind::kStrings) continue;
    for (const StringEntry& s : b.strings) strings.emplace(std::make_pair(b.gen, s.id), s.value);
  }

  std::string out;
  for (const Batch& b : t) {
    switch (b.kind) {
      case BatchKind::kFrequency:
        absl::StrAppend(&out, "frequency gen=", b.gen, " freq=", b.freq);
        if (b.m != kNoThread) absl::StrAppend(&out, " m=", b.m);
        out.push_back('\n');
        break;
      case BatchKind::kSync:
        absl::StrAppend(&out, "sync gen=", b.gen);
        if (b.m != kNoThread) absl::StrAppend(&out, " m=", b.m);
        if (b.has_freq) absl::StrAppend(&out, " freq=", b.freq);
        if (b.has_clock) {
          absl::StrAppend(&out, " clock ts=", b.clock.ts, " mono=", b.clock.mono,
                          " sec=", b.clock.sec, " nsec=", b.clock.nsec);
        }
        out.push_back('\n');
        break;
      case BatchKind::kEndOfGeneration: out.append("end of generation\n"); break;
      case BatchKind::kExperimental:
        absl::StrAppend(&out, "experimental gen=", b.gen, " exp=", b.exp, " bytes=", b.data.size(),
                        "\n");
        break;
      case BatchKind::kStrings:
        absl::StrAppend(&out, "strings gen=", b.gen);
        if (b.m != kNoThread) absl::StrAppend(&out, " m=", b.m);
        for (const StringEntry& s : b.strings) {
          absl::StrAppend(&out, " [", s.id, "]=");
          AppendQuoted(&out, s.value);
        }
        out.push_back('\n');
        break;
      case BatchKind::kStacks:
        absl::StrAppend(&out, "stacks gen=", b.gen);
        if (b.m != kNoThread) absl::StrAppend(&out, " m=", b.m);
        out.push_back('\n');
        for (const StackEntry& st : b.stacks) {
          absl::StrAppend(&out, "  stack ", st.id, ":");
          for (const StackFrame& f : st.frames) {
            absl::StrAppend(&out, " 0x", absl::Hex(f.pc), "(func=", f.func, " file=", f.file,
                            " line=", f.line, ")");
          }
          out.push_back('\n');
        }
        break;
      case BatchKind::kCPUSamples:
        absl::StrAppend(&out, "cpusamples gen=", b.gen);
        if (b.m != kNoThread) absl::StrAppend(&out, " m=", b.m);
        out.push_back('\n');
        for (const CPUSample& c : b.samples) {
          absl::StrAppend(&out, "  sample ts=", c.ts, " m=", c.m, " p=", c.p, " g=", c.g,
                          " stack=", c.stack, "\n");
        }
        break;
      case BatchKind::kEvents:
        absl::StrAppend(&out, "batch gen=", b.gen, " m=");
        AppendThread(&out, b.m);
        if (b.m == kNoThread) out.append(" (M-less)");
        out.push_back('\n');
        for (const Event& e : b.events) AppendEvent(&out, b, e, strings, t.version);
        break;
    }
  }
  return out;
}

}  // namespace schedfuzz::tracefmt
