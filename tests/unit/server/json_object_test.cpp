// The strict reader of the console's JSON bodies: flat objects of strings only, escapes and
// surrogate pairs decoded, and every other shape refused without quoting the input.
#include "service/json_object.h"

#include <gtest/gtest.h>

namespace opcat::server {
namespace {

JsonStringObject parsed(std::string_view text) {
  auto object = parseJsonStringObject(text);
  EXPECT_TRUE(object.isOk()) << object.status().message();
  return object.isOk() ? *object : JsonStringObject{};
}

std::string errorOf(std::string_view text, const JsonObjectLimits& limits = {}) {
  auto object = parseJsonStringObject(text, limits);
  EXPECT_FALSE(object.isOk()) << text;
  if (object.isOk()) return {};
  EXPECT_EQ(object.status().code(), StatusCode::kInvalidArgument);
  return object.status().message();
}

TEST(JsonObjectTest, ReadsFlatStringMembers) {
  const JsonStringObject object =
      parsed(" {\"username\" : \"alice\",\n\t\"password\":\"p\\\"w\\\\d\"} \r\n");
  ASSERT_EQ(object.size(), 2u);
  EXPECT_EQ(object.at("username"), "alice");
  EXPECT_EQ(object.at("password"), "p\"w\\d");
  EXPECT_TRUE(parsed("{}").empty());
}

TEST(JsonObjectTest, DecodesEscapesIntoUtf8) {
  const JsonStringObject object =
      parsed(R"({"a":"\u0410\u04d9","b":"\ud83d\ude00","c":"\/\b\f\n\r\t","d":"Әлия"})");
  EXPECT_EQ(object.at("a"), "Аә");
  EXPECT_EQ(object.at("b"), "\xf0\x9f\x98\x80");
  EXPECT_EQ(object.at("c"), "/\b\f\n\r\t");
  EXPECT_EQ(object.at("d"), "Әлия");
}

TEST(JsonObjectTest, RefusesOtherShapes) {
  for (const char* text :
       {"", "[]", "\"x\"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1}", "{\"a\":true}", "{\"a\":null}",
        "{\"a\":{\"b\":\"c\"}}", "{\"a\":[\"b\"]}", "{\"a\":\"b\",}", "{\"a\":\"b\" \"c\":\"d\"}",
        "{'a':'b'}", "{a:\"b\"}", "{\"a\":\"b\"} x", "{\"a\":\"b\"}{}", "{\"a\":\"b"}) {
    SCOPED_TRACE(text);
    errorOf(text);
  }
}

TEST(JsonObjectTest, RefusesBrokenStrings) {
  errorOf("{\"a\":\"line\nbreak\"}");   // raw control character
  errorOf(R"({"a":"\x41"})");           // unknown escape
  errorOf(R"({"a":"\u12"})");           // short \u escape
  errorOf(R"({"a":"\u12G4"})");         // not hex
  errorOf(R"({"a":"\ud83d"})");         // lone high surrogate
  errorOf(R"({"a":"\ud83d\u0041"})");   // high surrogate without a low one
  errorOf(R"({"a":"\ude00"})");         // lone low surrogate
  errorOf("{\"a\":\"\xff\"}");          // not UTF-8
  errorOf("{\"a\":\"\xc0\xaf\"}");      // overlong
  errorOf("{\"a\":\"\xed\xa0\x80\"}");  // surrogate encoded in UTF-8
}

TEST(JsonObjectTest, RefusesDuplicatesAndTooManyMembers) {
  EXPECT_NE(errorOf(R"({"a":"1","a":"2"})").find("duplicate"), std::string::npos);
  EXPECT_NE(errorOf(R"({"a":"1","b":"2","c":"3"})", JsonObjectLimits{2}).find("fewer members"),
            std::string::npos);
  EXPECT_EQ(parsed(R"({"a":"1","b":"2"})").size(), 2u);
}

TEST(JsonObjectTest, ErrorsNameTheOffsetButNotTheInput) {
  const std::string message = errorOf(R"({"secret-key":"hunter2hunter2",)");
  EXPECT_NE(message.find("at byte"), std::string::npos) << message;
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  EXPECT_EQ(message.find("secret-key"), std::string::npos) << message;
}

}  // namespace
}  // namespace opcat::server
