// Photos and files of a visit, kept as encrypted files in the data folder (see
// crypto/attachment_stream.h) and described by an Attachment record that syncs like any other.
// The plaintext never touches the disk.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>
#include <span>
#include <string_view>

#include "core/status.h"
#include "domain/attachment.h"
#include "storage/tablet_store.h"

namespace opcat::storage {

class AttachmentStore {
 public:
  // Fills `buffer` with the next bytes of the attachment; returns how many, 0 at the end.
  using Source = std::function<Result<std::size_t>(std::span<std::uint8_t> buffer)>;
  using Sink = std::function<void(std::span<const std::uint8_t>)>;

  explicit AttachmentStore(TabletStore& store) : m_store(store) {}

  // Encrypts everything `source` yields into a new file, then saves `meta` (its sha256 and
  // size filled in from the content) with its outbox entry in one transaction. If anything
  // fails, the file is removed and nothing is recorded.
  Result<domain::Attachment> add(domain::Attachment meta, const Source& source,
                                 std::string_view authorId);
  Result<domain::Attachment> addBytes(domain::Attachment meta,
                                      std::span<const std::uint8_t> content,
                                      std::string_view authorId);

  // Streams the decrypted content to `sink`, then checks it against the record's SHA-256 and
  // size. kTampered if the file was altered, truncated, swapped or does not match; the caller
  // must then discard what `sink` received.
  Status read(std::string_view attachmentId, const Sink& sink);

  // Attachments whose record the server has acknowledged but whose bytes it does not have yet:
  // they can be uploaded now (the server accepts bytes only for records it knows).
  Result<std::vector<domain::Attachment>> pendingUploads();
  Status markUploaded(std::string_view attachmentId);

  // Attachment records (pulled from others) whose bytes are not on this tablet yet.
  Result<std::vector<domain::Attachment>> missingFiles();
  // Stores downloaded bytes for `meta` after checking them against its SHA-256 and size
  // (kTampered otherwise; nothing is written). The file is encrypted like a local one.
  Status storeDownloaded(const domain::Attachment& meta, std::span<const std::uint8_t> content);

  // Removes encrypted files that no attachment row names (left by a crash between writing the
  // file and committing its record). Returns how many were removed.
  Result<int> removeOrphans();

 private:
  Result<std::filesystem::path> fileOf(std::string_view attachmentId);
  TabletStore& m_store;
};

}  // namespace opcat::storage
