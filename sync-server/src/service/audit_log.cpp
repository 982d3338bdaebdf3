#include "service/audit_log.h"

#include "core/byte_buffer.h"
#include "crypto/attachment_stream.h"

namespace opcat::server {

std::string auditHash(const db::AuditEntry& e) {
  ByteWriter w;
  w.putBytes(e.prevHash);
  w.putU64(e.seq);
  w.putU64(static_cast<std::uint64_t>(e.atMs));
  w.putBytes(e.actor);
  w.putBytes(e.event);
  w.putBytes(e.detail);
  const std::string& bytes = w.bytes();
  const auto digest = crypto::sha256(
      std::span(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
  return crypto::toHex(digest);
}

Status appendAudit(db::StoreSession& session, std::int64_t atMs, std::string_view actor,
                   std::string_view event, std::string_view detail) {
  auto last = session.lastAuditEntry();
  if (!last) return last.status();
  db::AuditEntry entry;
  entry.seq = *last ? (*last)->seq + 1 : 1;
  entry.atMs = atMs;
  entry.actor = std::string(actor);
  entry.event = std::string(event);
  entry.detail = std::string(detail);
  entry.prevHash = *last ? (*last)->hash : std::string(64, '0');
  entry.hash = auditHash(entry);
  return session.appendAudit(entry);
}

Result<AuditVerification> verifyAudit(db::StoreSession& session) {
  auto entries = session.auditEntries();
  if (!entries) return entries.status();
  AuditVerification result;
  std::string prev(64, '0');
  std::uint64_t expectedSeq = 1;
  for (const db::AuditEntry& e : *entries) {
    ++result.entries;
    std::string problem;
    if (e.seq != expectedSeq) {
      problem = "entry " + std::to_string(expectedSeq) + " is missing";
    } else if (e.prevHash != prev) {
      problem = "entry " + std::to_string(e.seq) + " does not follow its predecessor";
    } else if (auditHash(e) != e.hash) {
      problem = "entry " + std::to_string(e.seq) + " was altered";
    }
    if (!problem.empty()) {
      result.firstBadSeq = e.seq;
      result.problem = problem;
      return result;
    }
    prev = e.hash;
    ++expectedSeq;
  }
  return result;
}

}  // namespace opcat::server
