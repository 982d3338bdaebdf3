// `admin seed-demo`: a data folder ready for a demonstration (scripts/demo): an office key, the
// repository's registry and checklists, three monitors forming an Astana team, a coordinator
// user, two planned visits and an enrollment code for the first monitor. Demo records have
// fixed ids and are skipped when present, so running it again adds nothing but a fresh code.
#pragma once

#include "admin/admin_context.h"

namespace opcat::server::admin {

AdminCommand seedDemoCommand();

}  // namespace opcat::server::admin
