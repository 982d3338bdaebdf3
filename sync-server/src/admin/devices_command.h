// `admin enroll-code`, `admin devices` and `admin revoke`: the tablets of the monitors. Codes
// and revocations go through EnrollmentService, which keeps only hashes and audits each step.
// A revocation takes effect at the device's next request, also while the server runs.
#pragma once

#include "admin/admin_context.h"

namespace opcat::server::admin {

AdminCommand enrollCodeCommand();
AdminCommand devicesCommand();
AdminCommand revokeCommand();

}  // namespace opcat::server::admin
