// Moves attachment bytes after the records are in sync: uploads photos whose Attachment record
// the server has acknowledged (resumable: HEAD tells how far a cut upload got), and downloads
// the bytes of attachments pulled from teammates (verified by SHA-256 before they are stored;
// a partial download is never visible). No Qt; the transport is injected.
#pragma once

#include <cstddef>
#include <string>

#include "core/status.h"
#include "net/http_transport.h"
#include "storage/tablet_store.h"
#include "sync/client/sync_endpoint.h"

namespace opcat::sync {

struct TransferReport {
  std::size_t uploaded = 0;
  std::size_t downloaded = 0;
  std::size_t notYetOnServer = 0;  // pulled records whose bytes nobody has uploaded yet
  std::size_t requests = 0;
  std::uint64_t bytesSent = 0;
  std::uint64_t bytesReceived = 0;
};

class AttachmentTransfer {
 public:
  static constexpr std::size_t kPartBytes = 1 << 20;  // one PUT; a cut costs at most this

  AttachmentTransfer(storage::TabletStore& store, net::HttpTransport& transport,
                     const SyncEndpoint& endpoint)
      : m_store(store), m_transport(transport), m_endpoint(endpoint) {}

  // Uploads, then downloads, everything pending. Stops at the first network failure.
  Status run(TransferReport& report);

 private:
  Result<net::HttpReply> send(const std::string& method, const std::string& sha256Hex,
                              net::HttpHeaders headers, std::string body, TransferReport& report);
  Status upload(const std::string& attachmentId, const std::string& sha256Hex,
                TransferReport& report);

  storage::TabletStore& m_store;
  net::HttpTransport& m_transport;
  const SyncEndpoint& m_endpoint;
};

}  // namespace opcat::sync
