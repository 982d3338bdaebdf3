#include "core/utf8.h"

#include <gtest/gtest.h>

namespace opcat {
namespace {

TEST(Utf8Test, AcceptsKazakhRussianAndEmoji) {
  EXPECT_TRUE(isValidUtf8("Тергеу изоляторы — Қарағанды облысы"));
  EXPECT_TRUE(isValidUtf8("следственный изолятор"));
  EXPECT_TRUE(isValidUtf8("\xF0\x9F\x93\xB7"));  // camera emoji, 4 bytes
  EXPECT_TRUE(isValidUtf8(""));
}

TEST(Utf8Test, RejectsMalformedSequences) {
  EXPECT_FALSE(isValidUtf8("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(isValidUtf8("\xE0\x80\xAF"));      // overlong, 3 bytes
  EXPECT_FALSE(isValidUtf8("\xED\xA0\x80"));      // UTF-16 surrogate
  EXPECT_FALSE(isValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(isValidUtf8("\x80"));              // lone continuation
  EXPECT_FALSE(isValidUtf8("abc\xD0"));           // truncated
  EXPECT_FALSE(isValidUtf8("\xFF"));
}

TEST(Utf8Test, LengthCountsCodePointsNotBytes) {
  EXPECT_EQ(utf8Length("Қазақ"), 5u);
  EXPECT_EQ(utf8Length("abc"), 3u);
  EXPECT_EQ(utf8Length("\xF0\x9F\x93\xB7"), 1u);
}

}  // namespace
}  // namespace opcat
