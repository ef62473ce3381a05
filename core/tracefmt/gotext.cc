#include "core/tracefmt/gotext.h"

#include <cstdint>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

#include "core/tracefmt/spec.h"
#include "core/tracefmt/wire.h"

namespace schedfuzz::tracefmt {

namespace {

absl::string_view AV(std::string_view s) { return {s.data(), s.size()}; }

absl::Status LineError(size_t line, std::string_view what) {
  return absl::InvalidArgumentError(absl::StrFormat("line %d: %s", line, AV(what)));
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view l = text.substr(0, nl);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    out.push_back(l);
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Tokens(std::string_view l) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < l.size()) {
    while (i < l.size() && IsSpace(l[i])) ++i;
    const size_t start = i;
    while (i < l.size() && !IsSpace(l[i])) ++i;
    if (i > start) out.push_back(l.substr(start, i - start));
  }
  return out;
}

// `name=value` tokens, in order, with the names Go's spec gives.
absl::Status AppendArgs(const std::vector<std::string_view>& toks, size_t first,
                        const std::vector<std::string_view>& names, size_t line, std::string* out) {
  if (toks.size() - first != names.size()) {
    return LineError(
        line, absl::StrFormat("want %d arguments, got %d", names.size(), toks.size() - first));
  }
  for (size_t i = 0; i < names.size(); ++i) {
    const std::string_view t = toks[first + i];
    const size_t eq = t.find('=');
    uint64_t v = 0;
    if (eq == std::string_view::npos || t.substr(0, eq) != names[i] ||
        !absl::SimpleAtoi(AV(t.substr(eq + 1)), &v)) {
      return LineError(line, absl::StrFormat("want %s=<number>, got %s", AV(names[i]), AV(t)));
    }
    AppendUvarint(out, v);
  }
  return absl::OkStatus();
}

// strconv.Unquote for the escapes Go's text writer produces (%q).
bool Unquote(std::string_view q, std::string* out) {
  if (q.size() < 2 || q.front() != '"' || q.back() != '"') return false;
  q = q.substr(1, q.size() - 2);
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < q.size(); ++i) {
    if (q[i] != '\\') {
      out->push_back(q[i]);
      continue;
    }
    if (++i >= q.size()) return false;
    switch (q[i]) {
      case 'n': out->push_back('\n'); break;
      case 't': out->push_back('\t'); break;
      case 'r': out->push_back('\r'); break;
      case 'a': out->push_back('\a'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'v': out->push_back('\v'); break;
      case '\\': out->push_back('\\'); break;
      case '"': out->push_back('"'); break;
      case 'x': {
        if (i + 2 >= q.size()) return false;
        const int h = hex(q[i + 1]), l = hex(q[i + 2]);
        if (h < 0 || l < 0) return false;
        out->push_back(static_cast<char>(h * 16 + l));
        i += 2;
        break;
      }
      default: return false;  // \u, \U and octal: not in the test cases
    }
  }
  return true;
}

}  // namespace

absl::StatusOr<std::string> GoTextToWire(std::string_view text) {
  const std::vector<std::string_view> lines = Lines(text);
  std::string out;
  size_t i = 0;
  auto next = [&]() -> std::vector<std::string_view> {
    while (i < lines.size()) {
      std::vector<std::string_view> t = Tokens(lines[i++]);
      if (!t.empty()) return t;
    }
    return {};
  };
  std::vector<std::string_view> toks = next();
  if (toks.size() != 2 || toks[0] != "Trace" || toks[1] != "Go1.22") {
    return LineError(i, "want `Trace Go1.22`");
  }
  out.append(kWireHeader);
  while (!(toks = next()).empty()) {
    const size_t line = i;
    int typ = -1;
    for (int t = 1; t < kNumEvTypes; ++t) {
      if (kEvSpecs[t].name == toks[0]) typ = t;
    }
    if (typ < 0) return LineError(line, absl::StrCat("unknown event ", AV(toks[0])));
    const EvSpec& spec = kEvSpecs[typ];
    std::vector<std::string_view> names;
    if (spec.timed) names.push_back("dt");
    for (int a = 0; a < spec.nargs; ++a) names.push_back(spec.args[a]);
    out.push_back(static_cast<char>(typ));
    if (absl::Status s = AppendArgs(toks, 1, names, line, &out); !s.ok()) return s;
    const EvType et = static_cast<EvType>(typ);
    if (et == EvType::kStack) {
      uint64_t nframes = 0;
      absl::SimpleAtoi(AV(toks[2].substr(toks[2].find('=') + 1)), &nframes);
      static const std::vector<std::string_view> kFrame = {"pc", "func", "file", "line"};
      for (uint64_t f = 0; f < nframes; ++f) {
        const std::vector<std::string_view> ft = next();
        if (ft.empty()) return LineError(i, "a stack frame is missing");
        if (absl::Status s = AppendArgs(ft, 0, kFrame, i, &out); !s.ok()) return s;
      }
    } else if (et == EvType::kString) {
      if (i >= lines.size()) return LineError(i, "a string's data line is missing");
      const std::string_view l = lines[i++];
      const size_t eq = l.find('=');
      std::string data;
      if (eq == std::string_view::npos || Trim(l.substr(0, eq)) != "data" ||
          !Unquote(Trim(l.substr(eq + 1)), &data)) {
        return LineError(i, "want data=\"...\"");
      }
      AppendUvarint(&out, data.size());
      out.append(data);
    }
  }
  return out;
}

absl::StatusOr<GoTestCase> ParseGoTestCase(std::string_view txtar) {
  GoTestCase tc;
  std::string_view section;
  std::string expect;
  bool have_trace = false;
  for (std::string_view l : Lines(txtar)) {
    if (l.starts_with("-- ") && l.ends_with(" --") && l.size() >= 6) {
      section = l.substr(3, l.size() - 6);
      have_trace |= section == "trace";
      continue;
    }
    if (section == "expect") {
      if (expect.empty() && !Tokens(l).empty()) expect = std::string(l);
    } else if (section == "trace") {
      absl::StrAppend(&tc.trace_text, AV(l), "\n");
    }
  }
  if (!have_trace) return absl::InvalidArgumentError("no `-- trace --` section");
  if (expect == "SUCCESS") return tc;
  constexpr std::string_view kFailure = "FAILURE ";
  if (expect.starts_with(kFailure) &&
      Unquote(std::string_view(expect).substr(kFailure.size()), &tc.want_error)) {
    tc.want_ok = false;
    return tc;
  }
  return absl::InvalidArgumentError(absl::StrCat("bad `-- expect --` line: ", expect));
}

}  // namespace schedfuzz::tracefmt
