#include "sync/client/attachment_transfer.h"

#include <sodium.h>

#include <vector>

#include "crypto/attachment_stream.h"
#include "storage/attachment_store.h"

namespace opcat::sync {
namespace {

std::string hexOf(const std::string& raw) {
  return crypto::toHex(std::span(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size()));
}

std::uint64_t offsetOf(const net::HttpReply& reply) {
  const auto header = reply.header("Upload-Offset");
  if (!header) return 0;
  try {
    return std::stoull(*header);
  } catch (const std::exception&) {
    return 0;
  }
}

Status unexpected(const net::HttpReply& reply, const std::string& what) {
  return Status::error(reply.status == 401 ? StatusCode::kUnauthenticated
                                           : StatusCode::kUnavailable,
                       what + ": HTTP " + std::to_string(reply.status));
}

}  // namespace

Result<net::HttpReply> AttachmentTransfer::send(const std::string& method,
                                                const std::string& sha256Hex,
                                                net::HttpHeaders headers, std::string body,
                                                TransferReport& report) {
  net::HttpRequest request;
  request.method = method;
  request.url = m_endpoint.serverUrl + "/v1/blobs/" + sha256Hex;
  headers.emplace_back("Authorization", "Bearer " + m_endpoint.deviceToken);
  request.headers = std::move(headers);
  report.bytesSent += body.size();
  request.body = std::move(body);
  ++report.requests;
  auto reply = m_transport.send(request);
  if (reply) report.bytesReceived += reply->body.size();
  return reply;
}

Status AttachmentTransfer::upload(const std::string& attachmentId, const std::string& sha256Hex,
                                  TransferReport& report) {
  auto head = send("HEAD", sha256Hex, {}, {}, report);
  if (!head) return head.status();
  if (head->status == 200 && head->header("Upload-Complete") == "?1") return Status::ok();
  if (head->status != 200 && head->status != 404) return unexpected(*head, "HEAD blob");
  std::uint64_t offset = head->status == 200 ? offsetOf(*head) : 0;

  // The plaintext exists only in memory, and is wiped before returning.
  std::vector<std::uint8_t> content;
  OPCAT_RETURN_IF_ERROR(storage::AttachmentStore(m_store).read(
      attachmentId, [&](std::span<const std::uint8_t> chunk) {
        content.insert(content.end(), chunk.begin(), chunk.end());
      }));
  const std::uint64_t total = content.size();
  Status result = Status::ok();
  while (offset < total) {
    const std::uint64_t end = std::min<std::uint64_t>(total, offset + kPartBytes);
    std::string part(reinterpret_cast<const char*>(content.data()) + offset, end - offset);
    const std::string range = "bytes " + std::to_string(offset) + "-" + std::to_string(end - 1) +
                              "/" + std::to_string(total);
    auto put = send("PUT", sha256Hex,
                    {{"Content-Range", range}, {"Content-Type", "application/octet-stream"}},
                    std::move(part), report);
    sodium_memzero(part.data(), part.size());
    if (!put) {
      result = put.status();
      break;
    }
    if (put->status == 201 || put->status == 200) break;  // complete and verified
    if (put->status == 204 || put->status == 416) {
      offset = offsetOf(*put);  // 416: the server had more (or less); resume where it says
      continue;
    }
    result = unexpected(*put, "PUT blob");
    break;
  }
  sodium_memzero(content.data(), content.size());
  return result;
}

Status AttachmentTransfer::run(TransferReport& report) {
  storage::AttachmentStore attachments(m_store);
  auto uploads = attachments.pendingUploads();
  if (!uploads) return uploads.status();
  for (const auto& meta : *uploads) {
    // An empty file has no bytes to send: both sides know its content from the record.
    if (meta.sizeBytes > 0) OPCAT_RETURN_IF_ERROR(upload(meta.id, hexOf(meta.sha256), report));
    OPCAT_RETURN_IF_ERROR(attachments.markUploaded(meta.id));
    ++report.uploaded;
  }
  auto missing = attachments.missingFiles();
  if (!missing) return missing.status();
  for (const auto& meta : *missing) {
    if (meta.sizeBytes == 0) {
      OPCAT_RETURN_IF_ERROR(attachments.storeDownloaded(meta, {}));
      ++report.downloaded;
      continue;
    }
    auto got = send("GET", hexOf(meta.sha256), {}, {}, report);
    if (!got) return got.status();
    if (got->status == 404) {
      ++report.notYetOnServer;
      continue;
    }
    if (got->status != 200) return unexpected(*got, "GET blob");
    const Status stored = attachments.storeDownloaded(
        meta, std::span(reinterpret_cast<const std::uint8_t*>(got->body.data()), got->body.size()));
    sodium_memzero(got->body.data(), got->body.size());
    OPCAT_RETURN_IF_ERROR(stored);
    ++report.downloaded;
  }
  return Status::ok();
}

}  // namespace opcat::sync
