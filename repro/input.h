// Loading inputs: a file holds either a fuzz input in the byte format (first
// byte = format version) or a scenario in the text form. Both become the
// same Scenario, so every subcommand takes either.
#ifndef SCHEDFUZZ_REPRO_INPUT_H_
#define SCHEDFUZZ_REPRO_INPUT_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

#include "core/scenario/scenario.h"

namespace schedfuzz::repro {

enum class InputForm : uint8_t { kBytes, kText };

// Which form `data` is in. Text: the first line that is neither blank nor a
// `#` comment starts with "schedfuzz scenario" (so a case file may open with
// comments), or the data has no control bytes besides whitespace and does not
// start with the version byte (so a text file with a typo in its header still
// gets the text parser's line-numbered message). Everything else is bytes.
InputForm DetectForm(std::span<const uint8_t> data);

// Reads a whole file ("-" is stdin). Errors: one line, "PATH: why".
absl::StatusOr<std::vector<uint8_t>> ReadFile(const std::string& path);
// Writes a whole file, replacing it. Errors: one line, "PATH: why".
absl::Status WriteFile(const std::string& path, std::span<const uint8_t> data);
absl::Status WriteFile(const std::string& path, std::string_view data);

// Decodes data in the detected form: DecodeStrict for bytes, ParseText for
// text; their one-line error otherwise.
absl::StatusOr<scenario::Scenario> ParseInput(std::span<const uint8_t> data,
                                              InputForm* form = nullptr);

// ReadFile + ParseInput; errors name the file: "x.txt: line 3: ...".
absl::StatusOr<scenario::Scenario> LoadScenario(const std::string& path, InputForm* form = nullptr);

}  // namespace schedfuzz::repro

#endif  // SCHEDFUZZ_REPRO_INPUT_H_
