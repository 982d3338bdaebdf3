// Schema migrations keyed by `PRAGMA user_version`. Each step runs in its own transaction
// together with the version bump, so a crash leaves the schema at a whole version. Each store
// (tablet, server) passes its own steps.
#pragma once

#include <span>
#include <string_view>

#include "core/status.h"
#include "storage/database.h"

namespace opcat::storage {

// Brings `db` from its current version up to `target` (every step by default), where step i
// (0-based) produces version i + 1. kCorrupt if the file is from a newer build than `steps`
// knows: it is never downgraded.
Status migrateSchema(Database& db, std::span<const char* const> steps, int target = -1);

}  // namespace opcat::storage
