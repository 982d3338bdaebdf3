// A server data folder seeded the way an administrator would set it up (through the server's own
// store and services, before the server starts): the office key, a region and an institution,
// three monitors in two teams, a visit for each team, and one-time enrollment codes.
#pragma once

#include <filesystem>
#include <string>

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

// Revokes a device through the server's own service, on a live data folder.
void revokeDevice(const std::filesystem::path& dataDir, const std::string& deviceId);

}  // namespace opcat::testing
