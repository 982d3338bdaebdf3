#include "core/uuid.h"

#include <gtest/gtest.h>
#include <sodium.h>

#include <set>

namespace opcat {
namespace {

TEST(UuidTest, NewUuidsAreCanonicalVersion4AndDistinct) {
  ASSERT_GE(sodium_init(), 0);
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string id = newUuid();
    ASSERT_TRUE(isUuid(id)) << id;
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b') << id;
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(UuidTest, RejectsMalformedIds) {
  EXPECT_FALSE(isUuid(""));
  EXPECT_FALSE(isUuid("42"));
  EXPECT_FALSE(isUuid("3F2B8C1E-9A4D-4E6F-8B21-0C7D5E9F1A23"));  // upper case is not canonical
  EXPECT_FALSE(isUuid("3f2b8c1e-9a4d-4e6f-8b21-0c7d5e9f1a2"));
  EXPECT_FALSE(isUuid("3f2b8c1e+9a4d-4e6f-8b21-0c7d5e9f1a23"));
  EXPECT_FALSE(isUuid("3f2b8c1e-9a4d-4e6f-8b21-0c7d5e9f1a2g"));
  EXPECT_TRUE(isUuid("3f2b8c1e-9a4d-4e6f-8b21-0c7d5e9f1a23"));
}

}  // namespace
}  // namespace opcat
