// The security audit log: enrollments, revocations, sign-ins and refusals, append-only, each
// entry carrying the SHA-256 of its predecessor so that altering or removing one is detected.
// Entries hold ids and reasons, never record content.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "db/server_store.h"

namespace opcat::server {

// Appends an entry inside the caller's write transaction.
Status appendAudit(db::StoreSession& session, std::int64_t atMs, std::string_view actor,
                   std::string_view event, std::string_view detail);

struct AuditVerification {
  std::uint64_t entries = 0;
  std::uint64_t firstBadSeq = 0;  // 0 when the chain is intact
  std::string problem;
};

// Recomputes the chain from the first entry.
Result<AuditVerification> verifyAudit(db::StoreSession& session);

// The hash of an entry given its predecessor's hash (hex SHA-256 over a length-prefixed
// encoding of every field, so no two different entries hash alike).
std::string auditHash(const db::AuditEntry& entry);

}  // namespace opcat::server
