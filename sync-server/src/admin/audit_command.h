// `admin audit-verify`: recomputes the audit log's hash chain, so that an entry altered or
// removed behind the server's back (the database edited directly) is found.
#pragma once

#include "admin/admin_context.h"

namespace opcat::server::admin {

AdminCommand auditVerifyCommand();

}  // namespace opcat::server::admin
