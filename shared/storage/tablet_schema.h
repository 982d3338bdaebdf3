// The tablet store's schema, as migration steps for storage::migrateSchema.
#pragma once

#include "core/status.h"
#include "storage/database.h"

namespace opcat::storage {

// The schema version this build writes.
int latestSchemaVersion();

// Brings the tablet database up to `target` (latest by default); see migrateSchema.
Status migrate(Database& db, int target = -1);

}  // namespace opcat::storage
