// Loading inputs: a file holds either a fuzz input in the byte format (first
// byte = format version) or a scenario in the text form. Both become the
// same Scenario, so every subcommand takes either.
#ifndef SCHEDFUZZ_REPRO_INPUT_H_
#define SCHEDFUZZ_REPRO_INPUT_H_

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/scenario/scenario.h"

namespace schedfuzz::repro {

enum class InputForm : uint8_t { kBytes, kText };

// Which form `data` is in. Text: the first line that is neither blank nor a
// `#` comment starts with "schedfuzz scenario" (so a case file may open with
// comments), or the data has no control bytes besides whitespace and does not
// start with the version byte (so a text file with a typo in its header still
// gets the text parser's line-numbered message). Everything else is bytes.
InputForm DetectForm(std::span<const uint8_t> data);

// Reads a whole file ("-" is stdin). False with *error set to one line.
bool ReadFile(const std::string& path, std::vector<uint8_t>* out, std::string* error);
// Writes a whole file, replacing it. False with *error set to one line.
bool WriteFile(const std::string& path, std::span<const uint8_t> data, std::string* error);
bool WriteFile(const std::string& path, const std::string& data, std::string* error);

// Decodes data in the detected form: DecodeStrict for bytes, ParseText for
// text. False with *error set to the decoder's or parser's one line.
bool ParseInput(std::span<const uint8_t> data, scenario::Scenario* out, std::string* error,
                InputForm* form = nullptr);

// ReadFile + ParseInput; errors name the file: "x.txt: line 3: ...".
bool LoadScenario(const std::string& path, scenario::Scenario* out, std::string* error,
                  InputForm* form = nullptr);

}  // namespace schedfuzz::repro

#endif  // SCHEDFUZZ_REPRO_INPUT_H_
