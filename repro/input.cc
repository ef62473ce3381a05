#include "repro/input.h"

#include <cerrno>
#include <cstdio>
#include <string_view>

#include "absl/strings/str_cat.h"

#include "core/scenario/codec.h"
#include "core/scenario/text.h"

namespace schedfuzz::repro {

namespace {

constexpr std::string_view kTextMagic = "schedfuzz scenario";

bool IsTextByte(uint8_t c) { return c >= 0x20 || c == '\n' || c == '\r' || c == '\t'; }

}  // namespace

InputForm DetectForm(std::span<const uint8_t> data) {
  if (data.empty() || scenario::IsFormatVersion(data[0])) return InputForm::kBytes;
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

absl::StatusOr<std::vector<uint8_t>> ReadFile(const std::string& path) {
  FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (!f) return absl::ErrnoToStatus(errno, path);
  std::vector<uint8_t> out;
  uint8_t buf[1 << 14];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) out.insert(out.end(), buf, buf + n);
  const bool bad = std::ferror(f);
  const int saved = errno;
  if (f != stdin) std::fclose(f);
  // Reading a directory fails here (EISDIR), not at fopen.
  if (bad) return absl::ErrnoToStatus(saved, path);
  return out;
}

absl::Status WriteFile(const std::string& path, std::span<const uint8_t> data) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return absl::ErrnoToStatus(errno, path);
  const bool ok = std::fwrite(data.data(), 1, data.size(), f) == data.size();
  const int saved = errno;
  if (std::fclose(f) != 0 || !ok) return absl::ErrnoToStatus(ok ? errno : saved, path);
  return absl::OkStatus();
}

absl::Status WriteFile(const std::string& path, std::string_view data) {
  return WriteFile(
      path, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(data.data()), data.size()));
}

absl::StatusOr<scenario::Scenario> ParseInput(std::span<const uint8_t> data, InputForm* form) {
  const InputForm f = DetectForm(data);
  if (form) *form = f;
  if (f == InputForm::kBytes) {
    // A saved input is whatever a fuzz target ran, and the fuzz targets read
    // an unknown version byte as version 1 (codec.h): so does the CLI, so
    // that every crash file replays as it ran. Only empty input is refused.
    if (data.empty()) return scenario::DecodeStrict(data);
    scenario::Scenario sc;
    scenario::Decode(data, &sc);
    return sc;
  }
  return scenario::ParseText(
      std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
}

absl::StatusOr<scenario::Scenario> LoadScenario(const std::string& path, InputForm* form) {
  const absl::StatusOr<std::vector<uint8_t>> data = ReadFile(path);
  if (!data.ok()) return data.status();
  absl::StatusOr<scenario::Scenario> sc = ParseInput(*data, form);
  if (!sc.ok())
    return absl::Status(sc.status().code(), absl::StrCat(path, ": ", sc.status().message()));
  return sc;
}

}  // namespace schedfuzz::repro
