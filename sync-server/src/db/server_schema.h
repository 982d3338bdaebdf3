// The server store's schema, as migration steps for storage::migrateSchema.
#pragma once

#include <span>

namespace opcat::server::db {

std::span<const char* const> serverSchemaSteps();

}  // namespace opcat::server::db
