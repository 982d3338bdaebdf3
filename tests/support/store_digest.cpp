#include "support/store_digest.h"

#include <sodium.h>

#include <algorithm>
#include <sstream>

#include "core/byte_buffer.h"
#include "storage/database.h"
#include "sync/codec/record_fields.h"
#include "sync/merge.h"

namespace opcat::testing {
namespace {

std::string shortHex(std::string_view bytes, std::size_t most = 12) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes.size() && i < most; ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  if (bytes.size() > most) out += "…(" + std::to_string(bytes.size()) + " B)";
  return out;
}

std::string sha256(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

RecordDigest digestOf(domain::RecordKind kind, std::string id, std::string parentId, bool deleted,
                      std::string content, const sync::RecordMergeState& merge) {
  RecordDigest d{kind, std::move(id),    std::move(parentId), deleted, std::move(content),
                 {},   merge.serialize()};
  for (const auto& [number, heads] : merge.fields()) {
    for (const sync::FieldHead& head : heads) {
      d.heads.push_back(HeadDigest{number, head.version.hlc.packed(), head.version.deviceId,
                                   head.authorId, head.value});
    }
  }
  std::sort(d.heads.begin(), d.heads.end());
  return d;
}

}  // namespace

std::string RecordDigest::describe() const {
  std::ostringstream out;
  out << domain::recordKindName(kind) << " " << id << " parent=" << parentId
      << (deleted ? " DELETED" : "") << " content#" << shortHex(sha256(content).substr(0, 6)) << "("
      << content.size() << " B) heads={";
  for (const HeadDigest& h : heads) {
    out << " " << h.field << ":" << h.hlc << "@" << h.deviceId.substr(0, 8) << "="
        << shortHex(h.value);
  }
  out << " } merge#" << shortHex(sha256(mergeState).substr(0, 6));
  return out.str();
}

std::string StoreDigest::hash() const {
  ByteWriter out;
  for (const auto& [id, r] : records) {
    out.putU32(static_cast<std::uint32_t>(r.kind));
    out.putBytes(r.id);
    out.putBytes(r.parentId);
    out.putU8(r.deleted ? 1 : 0);
    out.putBytes(r.content);
    out.putU32(static_cast<std::uint32_t>(r.heads.size()));
    for (const HeadDigest& h : r.heads) {
      out.putU32(h.field);
      out.putU64(h.hlc);
      out.putBytes(h.deviceId);
      out.putBytes(h.authorId);
      out.putBytes(h.value);
    }
    out.putBytes(r.mergeState);
  }
  const std::string digest = sha256(out.bytes());
  return shortHex(digest, digest.size());
}

std::string StoreDigest::diff(const StoreDigest& a, const StoreDigest& b, std::size_t limit) {
  std::ostringstream out;
  std::size_t shown = 0;
  std::size_t differing = 0;
  auto note = [&](const std::string& text) {
    ++differing;
    if (shown++ < limit) out << "  " << text << "\n";
  };
  for (const auto& [id, r] : a.records) {
    const auto other = b.records.find(id);
    if (other == b.records.end()) {
      note("only in the first:  " + r.describe());
    } else if (!(other->second == r)) {
      std::string what;
      if (r.deleted != other->second.deleted) what += " deleted";
      if (r.content != other->second.content) what += " content";
      if (r.heads != other->second.heads) what += " heads";
      if (r.mergeState != other->second.mergeState) what += " merge-state";
      note("differs in" + what + ":\n    first:  " + r.describe() +
           "\n    second: " + other->second.describe());
    }
  }
  for (const auto& [id, r] : b.records) {
    if (!a.records.contains(id)) note("only in the second: " + r.describe());
  }
  if (differing == 0) return {};
  return std::to_string(differing) + " of " +
         std::to_string(std::max(a.records.size(), b.records.size())) + " records differ:\n" +
         out.str();
}

Result<StoreDigest> digestTabletStore(storage::TabletStore& store,
                                      const DigestSelection& selection) {
  auto rows =
      selection.underParent
          ? store.queryRecords("WHERE id = ?1 OR parent_id = ?1",
                               [&](storage::Statement& s) { s.bind(1, *selection.underParent); })
          : store.queryRecords("", nullptr);
  if (!rows) return rows.status();
  StoreDigest digest;
  for (storage::StoredRecord& row : *rows) {
    std::string id = row.id;
    digest.records.emplace(std::move(id), digestOf(row.kind, row.id, row.parentId, row.deleted,
                                                   std::move(row.state.content), row.state.merge));
  }
  return digest;
}

Result<StoreDigest> digestServerStore(const std::filesystem::path& dataDir,
                                      const DigestSelection& selection) {
  auto db = storage::Database::open(dataDir / "opcat-server.db", /*create=*/false);
  if (!db) return db.status();
  std::string sql = "SELECT id, kind, parent_id, deleted, content, merge FROM records WHERE 1";
  int next = 1;
  if (selection.underParent) {
    sql += " AND (id = ?" + std::to_string(next) + " OR parent_id = ?" + std::to_string(next) + ")";
    ++next;
  }
  if (selection.serverScopes) {
    if (selection.serverScopes->empty()) return StoreDigest{};
    sql += " AND scope IN (";
    for (std::size_t i = 0; i < selection.serverScopes->size(); ++i) {
      sql += (i == 0 ? "?" : ", ?") + std::to_string(next + static_cast<int>(i));
    }
    sql += ")";
  }
  OPCAT_RETURN_IF_ERROR((*db)->exec("BEGIN"));  // one snapshot
  auto stmt = (*db)->prepare(sql);
  if (!stmt) return stmt.status();
  if (selection.underParent) stmt->bind(1, *selection.underParent);
  if (selection.serverScopes) {
    for (std::size_t i = 0; i < selection.serverScopes->size(); ++i) {
      stmt->bind(next + static_cast<int>(i), (*selection.serverScopes)[i]);
    }
  }
  StoreDigest digest;
  while (stmt->step()) {
    const auto kind = domain::recordKindFromInt(static_cast<int>(stmt->columnInt(1)));
    // The server's merge state leaves out the values its content holds.
    auto merge = sync::RecordMergeState::parse(stmt->columnBlob(5),
                                               codec::heldFieldValues(stmt->columnBlob(4)));
    std::string id(stmt->columnText(0));
    if (!kind || !merge) {
      return Status::error(StatusCode::kCorrupt, "server record " + id + " is damaged");
    }
    RecordDigest record =
        digestOf(*kind, id, std::string(stmt->columnText(2)), stmt->columnInt(3) != 0,
                 std::string(stmt->columnBlob(4)), *merge);
    digest.records.emplace(std::move(id), std::move(record));
  }
  OPCAT_RETURN_IF_ERROR(stmt->status());
  OPCAT_RETURN_IF_ERROR((*db)->exec("COMMIT"));
  return digest;
}

}  // namespace opcat::testing
