#include "repro/json.h"

#include "absl/strings/str_format.h"

namespace schedfuzz::repro {

std::string JsonString(std::string_view s) {
  std::string r = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': r += "\\\""; break;
      case '\\': r += "\\\\"; break;
      case '\n': r += "\\n"; break;
      case '\r': r += "\\r"; break;
      case '\t': r += "\\t"; break;
      default:
        if (c < 0x20) {
          absl::StrAppendFormat(&r, "\\u%04x", c);
        } else {
          r.push_back(static_cast<char>(c));
        }
    }
  }
  r += "\"";
  return r;
}

void JsonObject::Key(std::string_view key) {
  if (!fields_.empty()) fields_ += ',';
  fields_ += JsonString(key);
  fields_ += ':';
}

JsonObject& JsonObject::Str(std::string_view key, std::string_view value) {
  Key(key);
  fields_ += JsonString(value);
  return *this;
}

JsonObject& JsonObject::Bool(std::string_view key, bool value) {
  Key(key);
  fields_ += value ? "true" : "false";
  return *this;
}

JsonObject& JsonObject::Null(std::string_view key) {
  Key(key);
  fields_ += "null";
  return *this;
}

JsonObject& JsonObject::Fixed(std::string_view key, double value, int digits) {
  Key(key);
  absl::StrAppendFormat(&fields_, "%.*f", digits, value);
  return *this;
}

JsonObject& JsonObject::Ints(std::string_view key, std::initializer_list<uint64_t> values) {
  Key(key);
  fields_ += '[';
  const char* sep = "";
  for (uint64_t v : values) {
    absl::StrAppend(&fields_, sep, v);
    sep = ",";
  }
  fields_ += ']';
  return *this;
}

JsonObject& JsonObject::Object(std::string_view key, const JsonObject& value) {
  Key(key);
  fields_ += value.str();
  return *this;
}

JsonObject& JsonObject::Objects(std::string_view key, std::span<const JsonObject> values) {
  Key(key);
  fields_ += '[';
  const char* sep = "";
  for (const JsonObject& v : values) {
    absl::StrAppend(&fields_, sep, v.str());
    sep = ",";
  }
  fields_ += ']';
  return *this;
}

std::string JsonObject::str() const { return "{" + fields_ + "}"; }

}  // namespace schedfuzz::repro
