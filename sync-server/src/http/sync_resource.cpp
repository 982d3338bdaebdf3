#include "http/sync_resource.h"

#include <google/protobuf/arena.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>

#include <algorithm>

#include "http/protobuf_body.h"
#include "opcat/v1/sync.pb.h"
#include "service/audit_log.h"
#include "service/device_auth.h"
#include "service/rate_limiter.h"
#include "sync/codec/change_proto.h"
#include "sync/hlc.h"

namespace opcat::server::http {
namespace {

using google::protobuf::internal::WireFormatLite;

// Refused sign-ins are audited, but at most a few per address and minute, so that a flood of
// bad tokens cannot turn into a flood of writes.
RateLimiter& refusalAuditLimiter() {
  static RateLimiter limiter(10, 10);
  return limiter;
}

// The device behind the request's bearer token, or the 401 to answer with.
std::variant<Actor, Response> device(db::ServerStore& store, const Request& request) {
  const auto header = request.header("Authorization");
  auto actor = authenticateDevice(store, header.value_or(""));
  if (!actor) {
    if (actor.status().code() == StatusCode::kDatabaseError) throw std::runtime_error("store");
    const std::int64_t now = sync::HybridClock::systemWallClockMs();
    if (refusalAuditLimiter().allow(request.remoteAddress, now)) {
      (void)store.write([&](db::StoreSession& session) {
        // The reason names the device when the token was a revoked one; never the token.
        return appendAudit(session, now, "-", "auth.refused",
                           actor.status().message() + " route=" + request.path +
                               " from=" + request.remoteAddress);
      });
    }
    return protobufProblem(ProblemCode::kUnauthenticated,
                           "missing, unknown or revoked device token; enroll again");
  }
  return std::move(actor).value();
}

Response enroll(EnrollmentService& enrollment, const Request& request) {
  v1::EnrollRequest message;
  if (auto problem = parseProtobufBody(request, message)) return *problem;
  auto outcome = enrollment.enroll(message.code(), message.device_id(), message.device_name(),
                                   request.remoteAddress);
  if (auto* failure = std::get_if<EnrollFailure>(&outcome)) {
    return protobufProblem(failure->problem, failure->detail);
  }
  const auto& result = std::get<EnrollResult>(outcome);
  v1::EnrollResponse reply;
  reply.set_device_id(result.deviceId);
  reply.set_device_token(result.deviceToken);
  reply.set_office_public_key(result.officePublicKey);
  reply.set_office_key_id(result.officeKeyId);
  reply.set_server_time_ms(result.serverTimeMs);
  reply.set_monitor_id(result.monitorId);
  Response response = protobufResponse(reply);
  response.principal = result.deviceId;
  return response;
}

// Writes the PullResponse by hand: each change is already encoded in the log, so it is copied
// as a length-delimited field instead of being parsed and serialised again.
std::string encodePullResponse(const PullResult& result, std::int64_t serverTimeMs) {
  // Room for the whole page up front: grown by doubling, a page was reallocated, copied and
  // zero-filled over and over (8 % of the server's CPU with 200 tablets at once; 3 % now).
  std::size_t bound = 3 * 11;  // the three scalar fields: tag and varint each
  for (const std::string& change : result.encodedChanges) bound += change.size() + 1 + 5;
  std::string out;
  out.reserve(bound);
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    for (const std::string& change : result.encodedChanges) {
      WireFormatLite::WriteBytes(v1::PullResponse::kChangesFieldNumber, change, &coded);
    }
    WireFormatLite::WriteUInt64(v1::PullResponse::kNextCursorFieldNumber, result.nextCursor,
                                &coded);
    WireFormatLite::WriteBool(v1::PullResponse::kHasMoreFieldNumber, result.hasMore, &coded);
    WireFormatLite::WriteInt64(v1::PullResponse::kServerTimeMsFieldNumber, serverTimeMs, &coded);
  }
  return out;
}

// A PullRequest's page size when it names none.
constexpr std::uint32_t kDefaultPullLimit = 1000;

Result<PullResult> pullFor(SyncService& sync, const Actor& actor, const v1::PullRequest& ask) {
  return sync.pull(actor, ask.cursor(), ask.limit() == 0 ? kDefaultPullLimit : ask.limit());
}

// Answers a push's `pull`: PushResponse.pulled, appended to the serialized response as field 3
// (protobuf takes fields in any order). Read after the push committed, it is the page a pull
// sent next would get. If the read fails it is left out, and the device pulls on its own.
void appendPulled(SyncService& sync, const Actor& actor, const v1::PullRequest& ask,
                  std::string& body) {
  auto pulled = pullFor(sync, actor, ask);
  if (!pulled) return;
  google::protobuf::io::StringOutputStream stream(&body);  // appends
  google::protobuf::io::CodedOutputStream coded(&stream);
  WireFormatLite::WriteBytes(v1::PushResponse::kPulledFieldNumber,
                             encodePullResponse(*pulled, sync::HybridClock::systemWallClockMs()),
                             &coded);
}

Response push(db::ServerStore& store, SyncService& sync, const Request& request) {
  auto who = device(store, request);
  if (auto* denied = std::get_if<Response>(&who)) return std::move(*denied);
  const Actor& actor = std::get<Actor>(who);
  // The parsed request (thousands of small messages and strings for a batch of 500) lives in
  // an arena, allocated in a few blocks and freed at once: one by one they were a tenth of a
  // push's CPU in the allocator.
  google::protobuf::ArenaOptions arenaOptions;
  arenaOptions.start_block_size = std::min<std::size_t>(2 * request.body.size() + 4096, 1 << 24);
  google::protobuf::Arena arena(arenaOptions);
  v1::PushRequest& message = *google::protobuf::Arena::CreateMessage<v1::PushRequest>(&arena);
  if (auto problem = parseProtobufBody(request, message)) return *problem;
  if (message.changes_size() > kMaxChangesPerPush) {
    return protobufProblem(ProblemCode::kBatchTooLarge,
                           std::to_string(message.changes_size()) + " changes; send at most " +
                               std::to_string(kMaxChangesPerPush) + " per push");
  }
  // Malformed changes are rejected one by one; the valid ones go to the store in order.
  std::vector<std::optional<ChangeVerdict>> early(static_cast<std::size_t>(message.changes_size()));
  std::vector<sync::Change> valid;
  valid.reserve(early.size());
  for (int i = 0; i < message.changes_size(); ++i) {
    auto change = codec::changeFromProto(message.changes(i));
    if (!change) {
      early[static_cast<std::size_t>(i)] =
          ChangeVerdict::reject(ProblemCode::kInvalidChange, change.status().message());
    } else {
      valid.push_back(std::move(change).value());
    }
  }
  auto pushed = sync.push(actor, std::move(valid));
  if (!pushed) {
    if (pushed.status().code() == StatusCode::kUnavailable) {
      return protobufProblem(ProblemCode::kShuttingDown, "retry shortly");
    }
    throw std::runtime_error("push failed");  // logged as a 500 without content
  }
  v1::PushResponse reply;
  auto next = pushed->verdicts.begin();
  for (int i = 0; i < message.changes_size(); ++i) {
    const ChangeVerdict& verdict =
        early[static_cast<std::size_t>(i)] ? *early[static_cast<std::size_t>(i)] : *next++;
    v1::ChangeResult* result = reply.add_results();
    *result->mutable_id() = message.changes(i).id();
    result->set_outcome(verdict.accepted ? v1::ChangeResult::OUTCOME_ACCEPTED
                                         : v1::ChangeResult::OUTCOME_REJECTED);
    if (!verdict.accepted) {
      result->set_problem_code(static_cast<int>(verdict.problem));
      result->set_reason(verdict.reason);
    }
  }
  reply.set_cursor(pushed->cursor);
  Response response = protobufResponse(reply);
  if (message.has_pull()) appendPulled(sync, actor, message.pull(), response.body);
  response.principal = actor.deviceId;
  return response;
}

Response pull(db::ServerStore& store, SyncService& sync, const Request& request) {
  auto who = device(store, request);
  if (auto* denied = std::get_if<Response>(&who)) return std::move(*denied);
  const Actor& actor = std::get<Actor>(who);
  v1::PullRequest message;
  if (auto problem = parseProtobufBody(request, message)) return *problem;
  auto pulled = pullFor(sync, actor, message);
  if (!pulled) throw std::runtime_error("pull failed");
  Response response;
  response.contentType = kProtobufType;
  response.body = encodePullResponse(*pulled, sync::HybridClock::systemWallClockMs());
  response.principal = actor.deviceId;
  return response;
}

}  // namespace

void addSyncResource(Router& router, db::ServerStore& store, EnrollmentService& enrollment,
                     SyncService& sync) {
  router.post("/v1/enroll", [&enrollment](const Request& r) { return enroll(enrollment, r); });
  router.post("/v1/sync/push", [&store, &sync](const Request& r) { return push(store, sync, r); });
  router.post("/v1/sync/pull", [&store, &sync](const Request& r) { return pull(store, sync, r); });
}

}  // namespace opcat::server::http
