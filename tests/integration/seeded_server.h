// A server data folder seeded the way an administrator would set it up (through the server's own
// store and services, before the server starts): the office key, a region and an institution,
// three monitors in two teams, a visit for each team, and one-time enrollment codes.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "crypto/sealed_box.h"

namespace opcat::testing {

struct SeededData {
  std::string region, institution;
  std::string monitorA, monitorA2, monitorB;  // A and A2 in team 1, B in team 2
  std::string team1, team2;
  std::string visit1, visit2;  // visit1 by team 1, visit2 by team 2
  std::string codeA, codeA2, codeB, codeSpare;  // enrollment codes
  crypto::OfficeKeyPair office = crypto::OfficeKeyPair::generate();
};

// Seeds `dataDir` (created if missing). Throws std::runtime_error on failure.
SeededData seedServerData(const std::filesystem::path& dataDir);

// Issues `n` more one-time enrollment codes for `monitorId` (valid for a day) through the
// server's own service. Throws std::runtime_error on failure.
std::vector<std::string> issueCodes(const std::filesystem::path& dataDir,
                                    const std::string& monitorId, int n);

// A device enrolled without the HTTP route: its id and its bearer token.
struct EnrolledDevice {
  std::string deviceId, token;
};

// Issues a code for each of `n` new devices of `monitorId` and trades it at once through
// server::EnrollmentService, as POST /v1/enroll would; for benchmarks that need more tablets
// than the route's per-address rate limit lets one address enroll. Throws like issueCodes.
std::vector<EnrolledDevice> enrollDevices(const std::filesystem::path& dataDir,
                                          const std::string& monitorId, int n);

// The events of the server's audit log, oldest first (read on a live data folder).
std::vector<std::string> auditEvents(const std::filesystem::path& dataDir);

// Revokes a device through the server's own service, on a live data folder.
void revokeDevice(const std::filesystem::path& dataDir, const std::string& deviceId);

// Plans `n` more visits by `teamId` to `institutionId` through server::writeAsOffice, as the
// office would, on a data folder seeded by seedServerData (best before the server starts).
// Returns their ids in order. Throws std::runtime_error on failure.
std::vector<std::string> planVisits(const std::filesystem::path& dataDir,
                                    const std::string& teamId, const std::string& institutionId,
                                    int n);

// A visiting group added by seedTeams: the team, its monitors and the one visit it has planned.
struct SeededTeam {
  std::string team, visit;
  std::vector<std::string> monitors;
};

// Adds `teams` teams of `monitorsPerTeam` new monitors (at most 20, the domain's limit), each team
// with a planned visit to the seeded institution, through server::writeAsOffice, on a data folder
// seeded by seedServerData (`seeded`), before the server starts. For benchmarks with many small
// visiting groups. Throws std::runtime_error on failure.
std::vector<SeededTeam> seedTeams(const std::filesystem::path& dataDir, const SeededData& seeded,
                                  int teams, int monitorsPerTeam);

// Enrolls the tablet whose store already uses `deviceId` (TabletStore::deviceId) through
// server::EnrollmentService, as POST /v1/enroll would, from a remote address of its own so the
// route's per-address rate limit never refuses it; on a live data folder too. For suites that
// enroll many tablets or enroll behind a faulty link. Throws std::runtime_error on failure.
EnrolledDevice enrollDeviceAs(const std::filesystem::path& dataDir, const std::string& monitorId,
                              const std::string& deviceId, const std::string& name);

}  // namespace opcat::testing
