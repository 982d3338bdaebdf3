#include "storage/attachment_store.h"

#include <sodium.h>

#include <array>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "crypto/attachment_stream.h"
#include "domain/validation.h"
#include "storage/data_folder.h"
#include "sync/codec/record_codec.h"

namespace opcat::storage {
namespace fs = std::filesystem;
namespace {

// A random name: the file's name says nothing about its attachment or content.
std::string randomFileName() {
  std::array<std::uint8_t, 16> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return crypto::toHex(bytes) + ".att";
}

}  // namespace

Result<domain::Attachment> AttachmentStore::add(domain::Attachment meta, const Source& source,
                                                std::string_view authorId) {
  const std::string fileName = randomFileName();
  const fs::path path = DataFolder::attachments(m_store.folder()) / fileName;
  auto writer = crypto::AttachmentWriter::begin(path, m_store.attachmentKey(), meta.id);
  if (!writer) return writer.status();
  std::vector<std::uint8_t> buffer(64 * 1024);
  for (;;) {
    auto n = source(buffer);
    if (!n) return n.status();  // the writer's destructor removes the partial file
    if (*n == 0) break;
    OPCAT_RETURN_IF_ERROR((*writer)->write(std::span(buffer.data(), *n)));
  }
  sodium_memzero(buffer.data(), buffer.size());
  auto summary = (*writer)->finish();
  if (!summary) return summary.status();

  meta.sha256.assign(summary->sha256.begin(), summary->sha256.end());
  meta.sizeBytes = static_cast<std::int64_t>(summary->sizeBytes);
  Status saved = domain::validationStatus(domain::validate(meta));
  if (saved.isOk()) {
    RecordWrite write{domain::Attachment::kKind, meta.id, std::string(meta.parentId()),
                      codec::encode(meta), std::string(authorId), false,
                      [&](Database& db) -> Status {
                        auto stmt = db.prepare(
                            "INSERT INTO attachment_files(attachment_id, file_name) "
                            "VALUES (?1, ?2)");
                        if (!stmt) return stmt.status();
                        return stmt->bind(1, meta.id).bind(2, fileName).run();
                      }};
    saved = m_store.write(write);
  }
  if (!saved.isOk()) {
    std::error_code ec;
    fs::remove(path, ec);
    return saved;
  }
  return meta;
}

Result<domain::Attachment> AttachmentStore::addBytes(domain::Attachment meta,
                                                     std::span<const std::uint8_t> content,
                                                     std::string_view authorId) {
  std::size_t offset = 0;
  return add(std::move(meta),
             [&](std::span<std::uint8_t> buffer) -> Result<std::size_t> {
               const std::size_t n = std::min(buffer.size(), content.size() - offset);
               std::copy_n(content.begin() + static_cast<std::ptrdiff_t>(offset), n,
                           buffer.begin());
               offset += n;
               return n;
             },
             authorId);
}

Result<fs::path> AttachmentStore::fileOf(std::string_view attachmentId) {
  auto stmt = m_store.database().prepare(
      "SELECT file_name FROM attachment_files WHERE attachment_id = ?1");
  if (!stmt) return stmt.status();
  stmt->bind(1, attachmentId);
  if (!stmt->step()) {
    OPCAT_RETURN_IF_ERROR(stmt->status());
    return Status::error(StatusCode::kNotFound,
                         "attachment " + std::string(attachmentId) + " has no file here");
  }
  return DataFolder::attachments(m_store.folder()) / std::string(stmt->columnText(0));
}

Status AttachmentStore::read(std::string_view attachmentId, const Sink& sink) {
  auto stored = m_store.read(domain::Attachment::kKind, attachmentId);
  if (!stored) return stored.status();
  if (!*stored) {
    return Status::error(StatusCode::kNotFound,
                         "attachment " + std::string(attachmentId) + " does not exist");
  }
  auto meta = codec::decode<domain::Attachment>((*stored)->state.content);
  if (!meta) return meta.status();
  auto path = fileOf(attachmentId);
  if (!path) return path.status();
  auto summary = crypto::readAttachment(*path, m_store.attachmentKey(), attachmentId, sink);
  if (!summary) return summary.status();
  const std::string digest(summary->sha256.begin(), summary->sha256.end());
  if (digest != meta->sha256 || static_cast<std::int64_t>(summary->sizeBytes) != meta->sizeBytes) {
    return Status::error(StatusCode::kTampered,
                         "attachment " + std::string(attachmentId) +
                             " does not match its recorded SHA-256 and size");
  }
  return Status::ok();
}

namespace {

Result<std::vector<domain::Attachment>> decodeAll(const std::vector<StoredRecord>& rows) {
  std::vector<domain::Attachment> out;
  for (const StoredRecord& row : rows) {
    auto meta = codec::decode<domain::Attachment>(row.state.content);
    if (!meta) return meta.status();
    out.push_back(std::move(meta).value());
  }
  return out;
}

}  // namespace

Result<std::vector<domain::Attachment>> AttachmentStore::pendingUploads() {
  auto rows = m_store.queryRecords(
      "WHERE kind = 15 AND deleted = 0 "
      "AND NOT EXISTS (SELECT 1 FROM outbox WHERE outbox.record_id = records.id) AND id IN "
      "(SELECT attachment_id FROM attachment_files WHERE uploaded = 0) ORDER BY hlc",
      nullptr);
  if (!rows) return rows.status();
  return decodeAll(*rows);
}

Status AttachmentStore::markUploaded(std::string_view attachmentId) {
  auto stmt = m_store.database().prepare(
      "UPDATE attachment_files SET uploaded = 1 WHERE attachment_id = ?1");
  if (!stmt) return stmt.status();
  return stmt->bind(1, attachmentId).run();
}

Result<std::vector<domain::Attachment>> AttachmentStore::missingFiles() {
  auto rows = m_store.queryRecords(
      "WHERE kind = 15 AND deleted = 0 AND id NOT IN "
      "(SELECT attachment_id FROM attachment_files) ORDER BY hlc",
      nullptr);
  if (!rows) return rows.status();
  return decodeAll(*rows);
}

Status AttachmentStore::storeDownloaded(const domain::Attachment& meta,
                                        std::span<const std::uint8_t> content) {
  const auto digest = crypto::sha256(content);
  if (std::string(digest.begin(), digest.end()) != meta.sha256 ||
      static_cast<std::int64_t>(content.size()) != meta.sizeBytes) {
    return Status::error(StatusCode::kTampered, "downloaded bytes of attachment " + meta.id +
                                                    " do not match its SHA-256 and size");
  }
  const std::string fileName = randomFileName();
  const fs::path path = DataFolder::attachments(m_store.folder()) / fileName;
  auto writer = crypto::AttachmentWriter::begin(path, m_store.attachmentKey(), meta.id);
  if (!writer) return writer.status();
  OPCAT_RETURN_IF_ERROR((*writer)->write(content));
  auto summary = (*writer)->finish();
  if (!summary) return summary.status();
  auto stmt = m_store.database().prepare(
      "INSERT INTO attachment_files(attachment_id, file_name, uploaded) VALUES (?1, ?2, 1)");
  Status saved = stmt ? stmt->bind(1, meta.id).bind(2, fileName).run() : stmt.status();
  if (!saved.isOk()) {
    std::error_code ec;
    fs::remove(path, ec);
  }
  return saved;
}

Result<int> AttachmentStore::removeOrphans() {
  auto stmt = m_store.database().prepare("SELECT file_name FROM attachment_files");
  if (!stmt) return stmt.status();
  std::set<std::string> known;
  while (stmt->step()) known.emplace(stmt->columnText(0));
  OPCAT_RETURN_IF_ERROR(stmt->status());
  int removed = 0;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(DataFolder::attachments(m_store.folder()), ec)) {
    if (known.count(entry.path().filename().string()) == 0) {
      // Ciphertext only; removing is enough.
      if (fs::remove(entry.path(), ec)) ++removed;
    }
  }
  if (ec) return Status::error(StatusCode::kIoError, "cleaning attachments: " + ec.message());
  return removed;
}

}  // namespace opcat::storage
