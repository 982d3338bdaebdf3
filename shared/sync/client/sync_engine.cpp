#include "sync/client/sync_engine.h"

#include <future>
#include <set>
#include <string_view>
#include <utility>

#include "core/ascii.h"
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
  const StatusCode code = reply.status == 401 ? StatusCode::kUnauthenticated
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

Result<codec::PushReply> SyncEngine::sendBatch(const PushBatch& batch,
                                               std::span<const std::string> encodedChanges,
                                               const std::optional<codec::PullAsk>& pull,
                                               SyncReport& report) {
  auto reply = post("/v1/sync/push", codec::encodePushRequest(encodedChanges, pull), report);
  if (!reply) return reply.status();
  auto decoded = codec::decodePushReply(reply->body);
  if (!decoded) return decoded.status();
  if (decoded->results.size() != batch.size()) {
    return Status::error(StatusCode::kCorrupt, "the server answered a push of " +
                                                   std::to_string(batch.size()) + " with " +
                                                   std::to_string(decoded->results.size()));
  }
  for (std::size_t i = 0; i < batch.size(); ++i) {
    if (decoded->results[i].id != ChangeId{m_store.deviceId(), batch.sequences[i]}) {
      return Status::error(StatusCode::kCorrupt, "the server's verdicts are out of order");
    }
  }
  return decoded;
}

Status SyncEngine::executePushes(const SyncPlan& plan, SyncReport& report,
                                 std::vector<std::uint64_t>& unacknowledged,
                                 std::optional<codec::PullReply>& firstPage) {
  const std::vector<PushBatch>& batches = plan.pushBatches;
  if (batches.empty()) return Status::ok();
  // Batch k's own ask: the last one brings back the pull's first page.
  const auto pullAfter = [&](std::size_t k) {
    return k + 1 == batches.size()
               ? std::optional<codec::PullAsk>(codec::PullAsk{plan.pullFrom, m_limits.pullLimit})
               : std::nullopt;
  };
  storage::Outbox outbox(m_store);
  // Every database call is on this thread; another only sends. While the server works on batch
  // k, this thread reads batch k+1's bytes; while it works on k+1, this one acknowledges k.
  auto encoded = outbox.readEncoded(batches[0].sequences);
  if (!encoded) return encoded.status();
  std::vector<std::string> inFlight = std::move(encoded).value();
  // A single batch has nothing to overlap with: it is sent on this thread (when awaited).
  const auto policy = batches.size() > 1 ? std::launch::async : std::launch::deferred;
  auto sending = std::async(policy, [this, &batch = batches[0], &inFlight, ask = pullAfter(0),
                                     &report] { return sendBatch(batch, inFlight, ask, report); });
  for (std::size_t k = 0;; ++k) {
    std::vector<std::string> nextBytes;
    if (k + 1 < batches.size()) {
      auto read = outbox.readEncoded(batches[k + 1].sequences);
      if (!read) return read.status();  // after the send in flight ends (~future)
      nextBytes = std::move(read).value();
    }
    auto sent = sending.get();
    if (!sent) return sent.status();
    // The next batch goes out while this one's verdicts are recorded: the server answered this
    // one already, so it applies them in order; a failure here leaves the next batch's changes
    // in the outbox, and pushing them again is a replay the server accepts once.
    if (k + 1 < batches.size()) {
      inFlight = std::move(nextBytes);
      sending = std::async(std::launch::async, [this, &batch = batches[k + 1], &inFlight,
                                                ask = pullAfter(k + 1), &report] {
        return sendBatch(batch, inFlight, ask, report);
      });
    }
    // report's counters are split: the send adds requests and bytes, this thread the rest.
    const PushBatch& batch = batches[k];
    report.pushed += batch.size();
    std::vector<std::uint64_t> acknowledged;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const codec::PushVerdict& verdict = sent->results[i];
      if (verdict.accepted) {
        acknowledged.push_back(batch.sequences[i]);
      } else {
        OPCAT_RETURN_IF_ERROR(m_store.recordRejection(batch.sequences[i], batch.recordIds[i],
                                                      verdict.problemCode, verdict.reason));
        ++report.rejected;
      }
    }
    report.accepted += acknowledged.size();
    if (k + 1 == batches.size()) {
      // The last batch's entries leave the outbox with the first pulled page (executePulls):
      // until then they stay queued, and pushing them again is a replay.
      unacknowledged = std::move(acknowledged);
      firstPage = std::move(sent->pulled);
      return Status::ok();
    }
    OPCAT_RETURN_IF_ERROR(outbox.acknowledge(acknowledged));
  }
}

Result<SyncEngine::FetchedPage> SyncEngine::fetchPage(std::uint64_t cursor, bool prepare,
                                                      SyncReport& report) {
  auto reply = post("/v1/sync/pull", codec::encodePullRequest(cursor, m_limits.pullLimit), report);
  if (!reply) return reply.status();
  auto page = codec::decodePullReply(reply->body);
  if (!page) return page.status();
  return acceptPage(std::move(page).value(), cursor, prepare);
}

Result<SyncEngine::FetchedPage> SyncEngine::acceptPage(codec::PullReply page,
                                                       std::uint64_t cursor, bool prepare) {
  if (page.nextCursor < cursor) {
    return Status::error(StatusCode::kCorrupt, "the server moved the cursor backwards");
  }
  FetchedPage fetched{std::move(page), {}};
  if (prepare) fetched.prepared = storage::preparePulled(m_store.deviceId(), fetched.reply.changes);
  return fetched;
}

Status SyncEngine::executePulls(std::uint64_t from, SyncReport& report,
                                std::vector<std::uint64_t> acknowledged,
                                std::optional<codec::PullReply> firstPage) {
  // The first page is not prepared: on this thread that would gain nothing, and would waste the
  // work for every record the store already holds (a delta is mostly edits).
  auto page = firstPage ? acceptPage(std::move(*firstPage), from, /*prepare=*/false)
                        : fetchPage(from, /*prepare=*/false, report);
  if (!page) {
    // The acknowledgements still count: recorded now, they are not pushed again.
    OPCAT_RETURN_IF_ERROR(storage::Outbox(m_store).acknowledge(acknowledged));
    return page.status();
  }
  // Nothing new and nothing to record: no transaction, no fsync (a sync with nothing to do).
  if (page->reply.changes.empty() && page->reply.nextCursor == from && !page->reply.hasMore &&
      acknowledged.empty()) {
    return Status::ok();
  }
  for (;;) {
    if (!page) return page.status();
    // The next page is fetched, decoded and prepared on another thread while this one is
    // applied: it starts from this page's end, and is applied only after this page and its
    // cursor are committed, so a crash or failure in between only means fetching it again.
    const codec::PullReply& reply = page->reply;
    std::future<Result<FetchedPage>> next;
    if (reply.hasMore) {
      next = std::async(std::launch::async, [this, cursor = reply.nextCursor, &report] {
        return fetchPage(cursor, /*prepare=*/true, report);
      });
    }
    // report's counters are split: the fetch adds requests and bytes, this thread the rest.
    // The first page's commit also takes the last pushed batch out of the outbox.
    auto applied = m_store.applyPulled(
        reply.changes, reply.nextCursor, page->prepared,
        acknowledged.empty() ? std::function<Status(storage::Database&)>()
                             : [&acknowledged](storage::Database& db) {
                                 return storage::Outbox::acknowledgeWithin(db, acknowledged);
                               });
    if (!applied) return applied.status();  // after the fetch in flight ends (~future)
    acknowledged.clear();
    report.pulled += reply.changes.size();
    report.applied += applied->applied;
    report.conflicts += applied->conflicted;
    report.cursor = reply.nextCursor;
    if (!next.valid()) return Status::ok();
    page = next.get();
  }
}

Result<SyncReport> SyncEngine::syncOnce() {
  SyncReport report;
  auto plan = planSync(m_store, m_limits);
  if (!plan) return plan.status();
  report.cursor = plan->pullFrom;
  std::vector<std::uint64_t> unacknowledged;
  std::optional<codec::PullReply> firstPage;
  OPCAT_RETURN_IF_ERROR(executePushes(*plan, report, unacknowledged, firstPage));
  OPCAT_RETURN_IF_ERROR(
      executePulls(plan->pullFrom, report, std::move(unacknowledged), std::move(firstPage)));
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
  const std::set<std::string> distinctPins(pins.begin(), pins.end());
  // Only https needs pins; what else a URL may be (plain http to loopback, or nothing) is the
  // transport's to judge, and it says so in its own words.
  const bool tls = equalsIgnoringAsciiCase(std::string_view(serverUrl).substr(0, 8), "https://");
  if (tls && distinctPins.size() < 2) {
    return Status::error(
        StatusCode::kInvalidArgument,
        "enrolling with " + serverUrl + " needs two pins of the server's public keys, its " +
            "current key and a backup (sha256//...); got " + std::to_string(distinctPins.size()));
  }
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
