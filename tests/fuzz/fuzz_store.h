// The server store the push fuzzer applies to: a temp folder seeded through the office's own
// write path with fixed ids, so that seed inputs (made by make_corpus.cpp) can name the seeded
// visit and records and get past access control.
#pragma once

#include <filesystem>
#include <memory>

#include "db/server_store.h"
#include "service/change_applier.h"

namespace opcat::fuzz {

// Fixed, valid UUIDs.
inline constexpr char kMonitorId[] = "00000000-0000-4000-8000-00000000000a";
inline constexpr char kOtherMonitorId[] = "00000000-0000-4000-8000-00000000000b";
inline constexpr char kRegionId[] = "00000000-0000-4000-8000-000000000001";
inline constexpr char kInstitutionId[] = "00000000-0000-4000-8000-000000000002";
inline constexpr char kTeamId[] = "00000000-0000-4000-8000-000000000003";
inline constexpr char kOtherTeamId[] = "00000000-0000-4000-8000-000000000004";
inline constexpr char kVisitId[] = "00000000-0000-4000-8000-000000000005";       // kTeamId's
inline constexpr char kOtherVisitId[] = "00000000-0000-4000-8000-000000000006";  // another team's
inline constexpr char kFindingId[] = "00000000-0000-4000-8000-000000000007";     // in kVisitId
inline constexpr char kInterviewId[] = "00000000-0000-4000-8000-000000000008";   // in kVisitId
inline constexpr char kRecommendationId[] = "00000000-0000-4000-8000-000000000009";
// Changes from kDeviceId are applied as the tablet of kMonitorId, changes from kOfficeDeviceId
// as the office; any other device id is refused (a device pushes only its own changes).
inline constexpr char kDeviceId[] = "00000000-0000-4000-8000-0000000000d1";
inline constexpr char kOfficeDeviceId[] = "00000000-0000-4000-8000-0000000000f1";
inline constexpr std::int64_t kSeedTimeMs = 1'764'000'000'000;

// The actor a change from `deviceId` is applied as.
server::Actor actorFor(const std::string& deviceId);

// Opens a store in `dir` (created if missing) and seeds it: monitors, two teams, a visit for
// each, and in kVisitId a finding, an interview and a recommendation. Aborts on failure.
std::unique_ptr<server::db::ServerStore> openSeededStore(const std::filesystem::path& dir);

}  // namespace opcat::fuzz
