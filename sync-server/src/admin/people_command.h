// `admin monitor-add` and `admin team-add`: the NPM's monitors and the visiting groups formed
// from them. Both are records every tablet receives, written through writeAsOffice. Team
// membership decides which visits a monitor's tablets may see, so both are audited (ids only).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "admin/admin_context.h"
#include "admin/office_records.h"
#include "core/status.h"
#include "db/server_store.h"
#include "domain/people.h"

namespace opcat::server::admin {

// Writes `monitor` and audits it. Validation failures come back as kInvalidArgument.
Result<WriteOutcome> saveMonitor(db::StoreSession& session, const domain::Monitor& monitor,
                                 std::int64_t nowMs);

// Writes `team` after checking that every member is a monitor (kNotFound naming the first that
// is not), and audits it with its members' ids.
Result<WriteOutcome> saveTeam(db::StoreSession& session, const domain::Team& team,
                              std::int64_t nowMs);

// The id of the Region record with ISO 3166-2 code `isoCode` ("KZ-71"), if there is one.
Result<std::optional<std::string>> regionIdByIso(db::StoreSession& session,
                                                 std::string_view isoCode);

AdminCommand monitorAddCommand();
AdminCommand teamAddCommand();

}  // namespace opcat::server::admin
