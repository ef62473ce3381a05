// A JSON object written field by field, for the subcommands' --json lines.
// Fields come out in the order they are added; strings are escaped (quote,
// backslash and control bytes; other bytes pass through, so the output is
// UTF-8 exactly when the input is).
#ifndef SCHEDFUZZ_REPRO_JSON_H_
#define SCHEDFUZZ_REPRO_JSON_H_

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace schedfuzz::repro {

// `s` as a quoted, escaped JSON string.
std::string JsonString(std::string_view s);

class JsonObject {
 public:
  JsonObject& Str(std::string_view key, std::string_view value);
  JsonObject& Bool(std::string_view key, bool value);
  JsonObject& Null(std::string_view key);
  template <std::integral T>
  requires(!std::same_as<T, bool>) JsonObject& Int(std::string_view key, T value) {
    Key(key);
    absl::StrAppend(&fields_, value);
    return *this;
  }
  // A number with `digits` digits after the point ("%.*f").
  JsonObject& Fixed(std::string_view key, double value, int digits);
  JsonObject& Ints(std::string_view key, std::initializer_list<uint64_t> values);  // [a,b,...]
  JsonObject& Object(std::string_view key, const JsonObject& value);
  JsonObject& Objects(std::string_view key, std::span<const JsonObject> values);  // [{..},..]

  // "{...}", without a newline.
  std::string str() const;

 private:
  void Key(std::string_view key);

  std::string fields_;
};

}  // namespace schedfuzz::repro

#endif  // SCHEDFUZZ_REPRO_JSON_H_
