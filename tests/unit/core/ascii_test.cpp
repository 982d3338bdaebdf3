#include "core/ascii.h"

#include <gtest/gtest.h>

namespace opcat {
namespace {

TEST(AsciiTest, HeaderNamesAndSchemesCompareWithoutCase) {
  EXPECT_TRUE(equalsIgnoringAsciiCase("Content-Type", "content-type"));
  EXPECT_TRUE(equalsIgnoringAsciiCase("HTTPS", "https"));
  EXPECT_TRUE(equalsIgnoringAsciiCase("", ""));
  EXPECT_FALSE(equalsIgnoringAsciiCase("https", "http"));
  EXPECT_FALSE(equalsIgnoringAsciiCase("content-type", "content_type"));
}

TEST(AsciiTest, OnlyAsciiLettersFold) {
  // UTF-8 bytes are compared as they are: "É" and "é" differ, whatever the locale.
  EXPECT_FALSE(equalsIgnoringAsciiCase("\xC3\x89", "\xC3\xA9"));
  EXPECT_EQ(asciiLower('@'), '@');
  EXPECT_EQ(asciiLower('['), '[');
  EXPECT_EQ(asciiLower('Z'), 'z');
  EXPECT_EQ(asciiLower('\xC3'), '\xC3');
}

}  // namespace
}  // namespace opcat
