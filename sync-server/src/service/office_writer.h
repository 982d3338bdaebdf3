// The office's own writes (administration commands, the coordinators' console): a record's new
// content becomes a Change from the office's device, applied through the same merge and log as
// a tablet's push, so tablets receive it like any other change.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "db/server_store.h"
#include "domain/record_kind.h"
#include "service/change_applier.h"

namespace opcat::server {

struct OfficeEdit {
  domain::RecordKind kind = domain::RecordKind::kVisit;
  std::string id;
  std::string parentId;
  std::string content;  // the complete new opcat.v1 message; ignored for deletes
  std::string authorId;
  bool deleted = false;
};

// Applies `edit` inside the caller's write transaction. A rejected edit comes back as
// kInvalidArgument naming the reason; an edit that changes nothing is accepted and logs nothing.
Result<ChangeVerdict> writeAsOffice(db::StoreSession& session, const OfficeEdit& edit,
                                    std::int64_t nowMs);

// The office's device id (made on first use and kept in settings).
Result<std::string> officeDeviceId(db::StoreSession& session);

}  // namespace opcat::server
