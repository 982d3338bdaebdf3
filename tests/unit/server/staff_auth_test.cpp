// Reading the console's session cookie from request headers: only `opcat_session`, only a
// token of the base64url alphabet, in any Cookie header and at any position; how often a
// session's use is recorded.
#include "service/staff_auth.h"

#include <gtest/gtest.h>

namespace opcat::server {
namespace {

TEST(StaffAuthTest, FindsTheSessionCookieAmongOthers) {
  EXPECT_EQ(sessionTokenFromCookies({{"Cookie", "opcat_session=abc-DEF_123"}}), "abc-DEF_123");
  EXPECT_EQ(sessionTokenFromCookies({{"cookie", "theme=dark; opcat_session=tok ;lang=kk"}}), "tok");
  EXPECT_EQ(sessionTokenFromCookies(
                {{"Accept", "*/*"}, {"Cookie", "a=b"}, {"COOKIE", " opcat_session = tok2"}}),
            "tok2");
}

TEST(StaffAuthTest, RefusesMissingOrMalformedTokens) {
  EXPECT_FALSE(sessionTokenFromCookies({}));
  EXPECT_FALSE(sessionTokenFromCookies({{"Authorization", "Bearer opcat_session=tok"}}));
  EXPECT_FALSE(sessionTokenFromCookies({{"Cookie", "opcat_sessionx=tok; xopcat_session=tok"}}));
  EXPECT_FALSE(sessionTokenFromCookies({{"Cookie", "opcat_session="}}));
  EXPECT_FALSE(sessionTokenFromCookies({{"Cookie", "opcat_session=\"tok\""}}));
  EXPECT_FALSE(sessionTokenFromCookies({{"Cookie", "opcat_session=a+b/c="}}));
  EXPECT_FALSE(sessionTokenFromCookies({{"Cookie", "opcat_session=" + std::string(129, 'a')}}));
  EXPECT_TRUE(sessionTokenFromCookies({{"Cookie", "opcat_session=" + std::string(128, 'a')}}));
  // The first cookie of the name decides; a broken one is not skipped for a later one.
  EXPECT_FALSE(sessionTokenFromCookies({{"Cookie", "opcat_session=a.b; opcat_session=good"}}));
}

TEST(StaffAuthTest, NewTokensAreRandomBase64Url) {
  const std::string a = newSessionToken();
  const std::string b = newSessionToken();
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, b);
  EXPECT_EQ(sessionTokenFromCookies({{"Cookie", "opcat_session=" + a}}), a);
}

TEST(StaffAuthTest, UsesAreRecordedAtAFifteenthOfTheIdleLimitAtMostAMinute) {
  EXPECT_EQ(sessionUseGranularityMs(15 * 60 * 1000), 60 * 1000);
  EXPECT_EQ(sessionUseGranularityMs(24 * 3600 * 1000), kMaxSessionUseGranularityMs);
  EXPECT_EQ(sessionUseGranularityMs(60 * 1000), 4000);
  EXPECT_EQ(sessionUseGranularityMs(3000), 200);
  EXPECT_EQ(sessionUseGranularityMs(1000), 66);
}

TEST(StaffAuthTest, RoleNames) {
  EXPECT_STREQ(staffRoleName(db::Role::kAdmin), "admin");
  EXPECT_STREQ(staffRoleName(db::Role::kCoordinator), "coordinator");
  EXPECT_STREQ(staffRoleName(db::Role::kViewer), "viewer");
}

}  // namespace
}  // namespace opcat::server
