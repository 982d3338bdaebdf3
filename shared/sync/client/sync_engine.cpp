#include "sync/client/sync_engine.h"

#include <utility>

#include "sync/client/attachment_transfer.h"
#include "sync/codec/sync_messages.h"

namespace opcat::sync {
namespace {

constexpr char kProtobuf[] = "application/x-protobuf";

// A non-200 reply as a Status that says what the server said (its problem code and title).
Status problemStatus(const net::HttpReply& reply, const std::string& path) {
  std::string what = "HTTP " + std::to_string(reply.status);
  if (auto problem = codec::decodeProblem(reply.body)) {
    what += " problem " + std::to_string(problem->code) + " (" + problem->title +
            (problem->detail.empty() ? "" : ": " + problem->detail) + ")";
  }
  // 429 (rate limited) and 5xx are worth retrying later; other refusals are not.
  const StatusCode code = reply.status == 401 ? StatusCode::kWrongPassphrase
                          : (reply.status >= 500 || reply.status == 429) ? StatusCode::kUnavailable
                                                : StatusCode::kInvalidArgument;
  return Status::error(code, path + ": " + what);
}

}  // namespace

std::string SyncReport::summary() const {
  return "pushed " + std::to_string(pushed) + " (accepted " + std::to_string(accepted) +
         ", refused " + std::to_string(rejected) + "), pulled " + std::to_string(pulled) +
         " (applied " + std::to_string(applied) + ", conflicts " + std::to_string(conflicts) +
         "), attachments up " + std::to_string(uploaded) + " down " +
         std::to_string(downloaded) + ", " + std::to_string(requests) + " requests, " + std::to_string(bytesSent) +
         " B sent, " + std::to_string(bytesReceived) + " B received, cursor " +
         std::to_string(cursor);
}

SyncEngine::SyncEngine(storage::TabletStore& store, net::HttpTransport& transport,
                       SyncEndpoint endpoint, SyncLimits limits)
    : m_store(store),
      m_transport(transport),
      m_endpoint(std::move(endpoint)),
      m_limits(limits) {}

Result<net::HttpReply> SyncEngine::post(const std::string& path, std::string body,
                                        SyncReport& report) {
  net::HttpRequest request;
  request.method = "POST";
  request.url = m_endpoint.serverUrl + path;
  request.headers = {{"Content-Type", kProtobuf},
                     {"Authorization", "Bearer " + m_endpoint.deviceToken}};
  report.bytesSent += body.size();
  request.body = std::move(body);
  ++report.requests;
  auto reply = m_transport.send(request);
  if (!reply) return reply.status();
  report.bytesReceived += reply->body.size();
  if (reply->status != 200) return problemStatus(*reply, path);
  return reply;
}

Status SyncEngine::executePushes(const SyncPlan& plan, SyncReport& report) {
  for (const PushBatch& batch : plan.pushBatches) {
    auto reply = post("/v1/sync/push", codec::encodePushRequest(batch.changes), report);
    if (!reply) return reply.status();
    auto decoded = codec::decodePushReply(reply->body);
    if (!decoded) return decoded.status();
    if (decoded->results.size() != batch.size()) {
      return Status::error(StatusCode::kCorrupt, "the server answered a push of " +
                                                     std::to_string(batch.size()) + " with " +
                                                     std::to_string(decoded->results.size()));
    }
    report.pushed += batch.size();
    std::vector<std::uint64_t> acknowledged;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const codec::PushVerdict& verdict = decoded->results[i];
      if (verdict.id != batch.changes[i].id) {
        return Status::error(StatusCode::kCorrupt, "the server's verdicts are out of order");
      }
      if (verdict.accepted) {
        acknowledged.push_back(batch.sequences[i]);
      } else {
        OPCAT_RETURN_IF_ERROR(m_store.recordRejection(batch.sequences[i],
                                                      batch.changes[i].recordId,
                                                      verdict.problemCode, verdict.reason));
        ++report.rejected;
      }
    }
    OPCAT_RETURN_IF_ERROR(storage::Outbox(m_store).acknowledge(acknowledged));
    report.accepted += acknowledged.size();
  }
  return Status::ok();
}

Status SyncEngine::executePulls(std::uint64_t from, SyncReport& report) {
  std::uint64_t cursor = from;
  for (;;) {
    auto reply = post("/v1/sync/pull", codec::encodePullRequest(cursor, m_limits.pullLimit),
                      report);
    if (!reply) return reply.status();
    auto page = codec::decodePullReply(reply->body);
    if (!page) return page.status();
    if (page->nextCursor < cursor) {
      return Status::error(StatusCode::kCorrupt, "the server moved the cursor backwards");
    }
    auto applied = m_store.applyPulled(page->changes, page->nextCursor);
    if (!applied) return applied.status();
    report.pulled += page->changes.size();
    report.applied += applied->applied;
    report.conflicts += applied->conflicted;
    cursor = page->nextCursor;
    report.cursor = cursor;
    if (!page->hasMore) return Status::ok();
  }
}

Result<SyncReport> SyncEngine::syncOnce() {
  SyncReport report;
  auto plan = planSync(m_store, m_limits);
  if (!plan) return plan.status();
  report.cursor = plan->pullFrom;
  OPCAT_RETURN_IF_ERROR(executePushes(*plan, report));
  OPCAT_RETURN_IF_ERROR(executePulls(plan->pullFrom, report));
  // Bytes move after the records: the server takes bytes only for attachments it knows.
  TransferReport transfer;
  const Status moved = AttachmentTransfer(m_store, m_transport, m_endpoint).run(transfer);
  report.uploaded += transfer.uploaded;
  report.downloaded += transfer.downloaded;
  report.requests += transfer.requests;
  report.bytesSent += transfer.bytesSent;
  report.bytesReceived += transfer.bytesReceived;
  OPCAT_RETURN_IF_ERROR(moved);
  return report;
}

Status enrollDevice(storage::TabletStore& store, net::HttpTransport& transport,
                    const std::string& serverUrl, const std::string& code,
                    const std::string& deviceName, const std::vector<std::string>& pins,
                    const std::string& caFile) {
  net::HttpRequest request;
  request.method = "POST";
  request.url = serverUrl + "/v1/enroll";
  request.headers = {{"Content-Type", kProtobuf}};
  request.body = codec::encodeEnrollRequest(code, store.deviceId(), deviceName);
  auto reply = transport.send(request);
  if (!reply) return reply.status();
  if (reply->status != 200) return problemStatus(*reply, "/v1/enroll");
  auto enrolled = codec::decodeEnrollReply(reply->body);
  if (!enrolled) return enrolled.status();
  if (enrolled->deviceId != store.deviceId()) {
    return Status::error(StatusCode::kCorrupt, "the server enrolled another device id");
  }
  return saveEndpoint(store, SyncEndpoint{serverUrl, enrolled->deviceToken, pins, caFile,
                                          enrolled->officePublicKey, enrolled->officeKeyId,
                                          enrolled->monitorId});
}

}  // namespace opcat::sync
