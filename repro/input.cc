#include "repro/input.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "absl/strings/str_format.h"

#include "core/scenario/codec.h"
#include "core/scenario/text.h"

namespace schedfuzz::repro {

namespace {

constexpr std::string_view kTextMagic = "schedfuzz scenario";

bool IsTextByte(uint8_t c) { return c >= 0x20 || c == '\n' || c == '\r' || c == '\t'; }

}  // namespace

InputForm DetectForm(std::span<const uint8_t> data) {
  if (data.empty() || data[0] == scenario::kFormatVersion) return InputForm::kBytes;
  const std::string_view s(reinterpret_cast<const char*>(data.data()), data.size());
  size_t pos = 0;
  while (pos < s.size()) {
    size_t end = s.find('\n', pos);
    if (end == std::string_view::npos) end = s.size();
    std::string_view line = s.substr(pos, end - pos);
    const size_t first = line.find_first_not_of(" \t\r");
    pos = end + 1;
    if (first == std::string_view::npos || line[first] == '#') continue;
    if (line.substr(first, kTextMagic.size()) == kTextMagic) return InputForm::kText;
    break;
  }
  for (uint8_t c : data)
    if (!IsTextByte(c)) return InputForm::kBytes;
  return InputForm::kText;
}

bool ReadFile(const std::string& path, std::vector<uint8_t>* out, std::string* error) {
  out->clear();
  FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) {
    *error = absl::StrFormat("%s: %s", path, std::strerror(errno));
    return false;
  }
  uint8_t buf[1 << 14];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out->insert(out->end(), buf, buf + n);
  const bool bad = std::ferror(f);
  const int saved = errno;
  if (f != stdin) std::fclose(f);
  if (bad) {
    // Reading a directory fails here (EISDIR), not at fopen.
    *error = absl::StrFormat("%s: %s", path, std::strerror(saved));
    return false;
  }
  return true;
}

bool WriteFile(const std::string& path, std::span<const uint8_t> data, std::string* error) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) {
    *error = absl::StrFormat("%s: %s", path, std::strerror(errno));
    return false;
  }
  const bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  const int saved = errno;
  if (std::fclose(f) != 0 || !ok) {
    *error = absl::StrFormat("%s: %s", path, std::strerror(ok ? errno : saved));
    return false;
  }
  return true;
}

bool WriteFile(const std::string& path, const std::string& data, std::string* error) {
  return WriteFile(
      path, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(data.data()), data.size()),
      error);
}

bool ParseInput(std::span<const uint8_t> data, scenario::Scenario* out, std::string* error,
                InputForm* form) {
  const InputForm f = DetectForm(data);
  if (form) *form = f;
  if (f == InputForm::kBytes) return scenario::DecodeStrict(data, out, error);
  const std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
  return scenario::ParseText(text, out, error);
}

bool LoadScenario(const std::string& path, scenario::Scenario* out, std::string* error,
                  InputForm* form) {
  std::vector<uint8_t> data;
  if (!ReadFile(path, &data, error)) return false;
  std::string why;
  if (!ParseInput(data, out, &why, form)) {
    *error = absl::StrFormat("%s: %s", path, why);
    return false;
  }
  return true;
}

}  // namespace schedfuzz::repro
