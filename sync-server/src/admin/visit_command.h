// `admin plan-visit`: a preventive visit in status PLANNED, for an institution and a team. The
// team's tablets receive it, so it is audited (ids only).
#pragma once

#include <cstdint>

#include "admin/admin_context.h"
#include "admin/office_records.h"
#include "core/status.h"
#include "db/server_store.h"
#include "domain/visit.h"

namespace opcat::server::admin {

// Writes `visit` after checking that its institution, team and checklist template (when set)
// exist, and that the template is for the institution's category (kNotFound or
// kInvalidArgument naming which). Audits the visit and its team.
Result<WriteOutcome> saveVisit(db::StoreSession& session, const domain::Visit& visit,
                               std::int64_t nowMs);

AdminCommand planVisitCommand();

}  // namespace opcat::server::admin
