// The tablets' sync API: POST /v1/enroll, POST /v1/sync/push, POST /v1/sync/pull
// (protobuf bodies; see proto/opcat/v1/sync.proto).
#pragma once

#include "db/server_store.h"
#include "http/router.h"
#include "service/enrollment_service.h"
#include "service/sync_service.h"

namespace opcat::server::http {

inline constexpr int kMaxChangesPerPush = 5000;

void addSyncResource(Router& router, db::ServerStore& store, EnrollmentService& enrollment,
                     SyncService& sync);

}  // namespace opcat::server::http
