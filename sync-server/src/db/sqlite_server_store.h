// The embedded store: SQLite in the data folder (WAL, synchronous=FULL). One write connection,
// used by one writer at a time, and a pool of read connections, so pulls read a consistent
// snapshot while pushes commit.
#pragma once

#include <filesystem>
#include <memory>

#include "core/status.h"
#include "db/server_store.h"

namespace opcat::server::db {

// Opens (creating and migrating) `<dataDir>/opcat-server.db`.
Result<std::unique_ptr<ServerStore>> openSqliteServerStore(const std::filesystem::path& dataDir);

}  // namespace opcat::server::db
