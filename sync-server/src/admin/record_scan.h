// Finding records by kind. The store looks records up by id only, so the registry and people
// records (which every device receives, scope "") are found through the change log that pull
// serves. Fine for administration at the registry's size (thousands of records); a store query
// by kind would replace it if the console needs it often.
#pragma once

#include <vector>

#include "core/status.h"
#include "db/server_store.h"
#include "domain/record_kind.h"

namespace opcat::server::admin {

// Every record of `kind` (a registry or people kind) that is not deleted, in the order they were
// first written. REQUIRES: `kind` is one that every device sees (Region, Authority, Institution,
// ChecklistTemplate, Monitor, Team).
Result<std::vector<db::ServerRecord>> sharedRecordsOfKind(db::StoreSession& session,
                                                          domain::RecordKind kind);

}  // namespace opcat::server::admin
