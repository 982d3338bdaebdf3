// The console's sign-in API (JSON): POST /console/api/login, POST /console/api/logout and
// GET /console/api/session. The session travels in the HttpOnly, SameSite=Strict cookie
// `opcat_session`; errors are JSON problems.
#pragma once

#include "db/server_store.h"
#include "http/router.h"
#include "service/login_service.h"

namespace opcat::server::http {

inline constexpr std::size_t kMaxLoginBodyBytes = 4096;

void addConsoleAuthResource(Router& router, db::ServerStore& store, LoginService& login);

}  // namespace opcat::server::http
