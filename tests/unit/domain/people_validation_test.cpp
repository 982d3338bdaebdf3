// Validation of monitors, visiting groups and coordinators.
#include <gtest/gtest.h>

#include "domain/limits.h"
#include "domain/people.h"
#include "domain/validation.h"
#include "sample_records.h"

namespace opcat::domain {
namespace {

using samples::sample;
using samples::uuidFor;
using test::failsOnly;
using test::isValid;

TEST(MonitorValidationTest, SampleIsValid) { EXPECT_TRUE(isValid(sample<Monitor>())); }

TEST(MonitorValidationTest, FullNameIsRequired) {
  Monitor m = sample<Monitor>();
  m.fullName.clear();
  EXPECT_TRUE(failsOnly(m, "full_name", "required"));
  m.fullName = std::string(kMaxShortTextChars + 1, 'a');
  EXPECT_TRUE(failsOnly(m, "full_name", "max_length"));
}

TEST(MonitorValidationTest, LanguagesAreKnown) {
  Monitor m = sample<Monitor>();
  m.languages[1] = static_cast<Language>(9);
  EXPECT_TRUE(failsOnly(m, "languages[1]", "enum_range"));
  m.languages[1] = Language::kUnspecified;
  EXPECT_TRUE(failsOnly(m, "languages[1]", "required"));
  m.languages.clear();
  EXPECT_TRUE(isValid(m));
}

TEST(MonitorValidationTest, ContactsAreBounded) {
  Monitor m = sample<Monitor>();
  m.email = std::string(kMaxEmailChars - 8, 'a') + "@mail.kz";
  EXPECT_TRUE(isValid(m));
  m.email = "a" + m.email;
  EXPECT_TRUE(failsOnly(m, "email", "max_length"));
  m = sample<Monitor>();
  m.phone = "+7 \xff";
  EXPECT_TRUE(failsOnly(m, "phone", "utf8"));
}

TEST(TeamValidationTest, SampleIsValid) { EXPECT_TRUE(isValid(sample<Team>())); }

TEST(TeamValidationTest, NameIsRequiredAndRegionOptional) {
  Team t = sample<Team>();
  t.name.clear();
  EXPECT_TRUE(failsOnly(t, "name", "required"));
  t = sample<Team>();
  t.regionId.clear();
  EXPECT_TRUE(isValid(t));
  t.regionId = "KZ-71";
  EXPECT_TRUE(failsOnly(t, "region_id", "uuid"));
}

TEST(TeamValidationTest, MembersAreDistinctMonitorsWithRoles) {
  Team t = sample<Team>();
  t.members[1].monitorId = t.members[0].monitorId;
  EXPECT_TRUE(failsOnly(t, "members[1].monitor_id", "unique"));
  t = sample<Team>();
  t.members[0].role = TeamRole::kUnspecified;
  EXPECT_TRUE(failsOnly(t, "members[0].role", "required"));
  t.members[0].role = static_cast<TeamRole>(7);
  EXPECT_TRUE(failsOnly(t, "members[0].role", "enum_range"));
  t = sample<Team>();
  t.members[1].monitorId.clear();
  EXPECT_TRUE(failsOnly(t, "members[1].monitor_id", "required"));
}

TEST(TeamValidationTest, MemberCountIsBounded) {
  Team t = sample<Team>();
  t.members.clear();
  for (unsigned n = 0; n < kMaxTeamMembers; ++n)
    t.members.push_back({uuidFor(n), TeamRole::kMember});
  EXPECT_TRUE(isValid(t));
  t.members.push_back({uuidFor(999), TeamRole::kMember});
  EXPECT_TRUE(failsOnly(t, "members", "max_count"));
}

TEST(CoordinatorValidationTest, SampleIsValid) { EXPECT_TRUE(isValid(sample<Coordinator>())); }

TEST(CoordinatorValidationTest, RegionIdsAreUuids) {
  Coordinator c = sample<Coordinator>();
  c.regionIds[1] = "KZ-71";
  EXPECT_TRUE(failsOnly(c, "region_ids[1]", "uuid"));
  c.regionIds[1].clear();
  EXPECT_TRUE(failsOnly(c, "region_ids[1]", "required"));
}

TEST(CoordinatorValidationTest, FullNameIsRequired) {
  Coordinator c = sample<Coordinator>();
  c.fullName.clear();
  EXPECT_TRUE(failsOnly(c, "full_name", "required"));
}

}  // namespace
}  // namespace opcat::domain
