#include "repro/json.h"

#include <cstdint>
#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace schedfuzz::repro {
namespace {

TEST(Json, StringEscapesQuoteBackslashAndControlBytesOnly) {
  EXPECT_EQ(JsonString(""), "\"\"");
  EXPECT_EQ(JsonString("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(JsonString("\n\r\t"), "\"\\n\\r\\t\"");
  EXPECT_EQ(JsonString(std::string("\x00\x01\x1f", 3)), "\"\\u0000\\u0001\\u001f\"");
  // Printable ASCII, DEL and bytes >= 0x80 (UTF-8 or not) pass through.
  EXPECT_EQ(JsonString("x/y \x7f\xc3\xa9\xff"), "\"x/y \x7f\xc3\xa9\xff\"");
}

TEST(Json, ObjectKeepsFieldOrderAndTypes) {
  JsonObject sizes;
  sizes.Ints("goroutines", {4, 1}).Ints("empty", {});
  JsonObject j;
  j.Str("file", "a \"b\".txt")
      .Int("neg", -3)
      .Int("big", std::numeric_limits<uint64_t>::max())
      .Bool("t", true)
      .Bool("f", false)
      .Null("known")
      .Fixed("seconds", 0.1234567, 6)
      .Fixed("rate", 2.25, 1)
      .Object("sizes", sizes);
  EXPECT_EQ(j.str(),
            "{\"file\":\"a \\\"b\\\".txt\",\"neg\":-3,\"big\":18446744073709551615,\"t\":true,"
            "\"f\":false,\"known\":null,\"seconds\":0.123457,\"rate\":2.2,"
            "\"sizes\":{\"goroutines\":[4,1],\"empty\":[]}}");
}

TEST(Json, EmptyObject) { EXPECT_EQ(JsonObject().str(), "{}"); }

TEST(Json, KeysAreEscapedToo) {
  JsonObject j;
  j.Int("a\"b", 1);
  EXPECT_EQ(j.str(), "{\"a\\\"b\":1}");
}

}  // namespace
}  // namespace schedfuzz::repro
