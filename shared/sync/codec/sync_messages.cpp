#include "sync/codec/sync_messages.h"

#include <climits>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/wire_format_lite.h>

#include "opcat/v1/sync.pb.h"
#include "sync/codec/change_proto.h"

namespace opcat::codec {
namespace {

template <typename M>
Status parse(std::string_view bytes, M& message) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX) ||
      !message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Status::error(StatusCode::kCorrupt,
                         "the server's reply does not parse as " + message.GetTypeName());
  }
  return Status::ok();
}

Result<PullReply> fromProto(const v1::PullResponse& m) {
  PullReply reply;
  reply.nextCursor = m.next_cursor();
  reply.hasMore = m.has_more();
  reply.serverTimeMs = m.server_time_ms();
  reply.changes.reserve(static_cast<std::size_t>(m.changes_size()));
  for (const auto& c : m.changes()) {
    auto change = changeFromProto(c);
    if (!change) return change.status();
    reply.changes.push_back(std::move(change).value());
  }
  return reply;
}

}  // namespace

std::string encodeEnrollRequest(std::string_view code, std::string_view deviceId,
                                std::string_view deviceName) {
  v1::EnrollRequest m;
  m.set_code(std::string(code));
  m.set_device_id(std::string(deviceId));
  m.set_device_name(std::string(deviceName));
  return m.SerializeAsString();
}

Result<EnrollReply> decodeEnrollReply(std::string_view bytes) {
  v1::EnrollResponse m;
  OPCAT_RETURN_IF_ERROR(parse(bytes, m));
  if (m.device_token().empty() || m.office_public_key().size() != 32) {
    return Status::error(StatusCode::kCorrupt, "the enrollment reply lacks a token or office key");
  }
  return EnrollReply{m.device_id(),     m.device_token(),   m.office_public_key(),
                     m.office_key_id(), m.server_time_ms(), m.monitor_id()};
}

std::string encodePushRequest(std::span<const sync::Change> changes) {
  v1::PushRequest m;
  m.mutable_changes()->Reserve(static_cast<int>(changes.size()));
  for (const sync::Change& c : changes) changeToProto(c, *m.add_changes());
  return m.SerializeAsString();
}

std::string encodePushRequest(std::span<const std::string> encodedChanges,
                              const std::optional<PullAsk>& pull) {
  using google::protobuf::internal::WireFormatLite;
  // PushRequest is `repeated Change changes = 1` then `PullRequest pull = 2`: each change a tag,
  // a length and its bytes, which is what serializing the message writes.
  const std::string pullBytes = pull ? encodePullRequest(pull->cursor, pull->limit) : "";
  std::size_t size = pull ? 1 + 10 + pullBytes.size() : 0;
  for (const std::string& c : encodedChanges) size += 1 + 10 + c.size();
  std::string out;
  out.reserve(size);
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    for (const std::string& c : encodedChanges) {
      WireFormatLite::WriteBytes(v1::PushRequest::kChangesFieldNumber, c, &coded);
    }
    if (pull) WireFormatLite::WriteBytes(v1::PushRequest::kPullFieldNumber, pullBytes, &coded);
  }
  return out;
}

Result<PushReply> decodePushReply(std::string_view bytes) {
  v1::PushResponse m;
  OPCAT_RETURN_IF_ERROR(parse(bytes, m));
  PushReply reply;
  reply.cursor = m.cursor();
  for (const auto& r : m.results()) {
    reply.results.push_back({{r.id().device_id(), r.id().sequence()},
                             r.outcome() == v1::ChangeResult::OUTCOME_ACCEPTED,
                             r.problem_code(),
                             r.reason()});
  }
  if (m.has_pulled()) {
    auto pulled = fromProto(m.pulled());
    if (!pulled) return pulled.status();
    reply.pulled = std::move(pulled).value();
  }
  return reply;
}

std::string encodePullRequest(std::uint64_t cursor, std::uint32_t limit) {
  v1::PullRequest m;
  m.set_cursor(cursor);
  m.set_limit(limit);
  return m.SerializeAsString();
}

Result<PullReply> decodePullReply(std::string_view bytes) {
  v1::PullResponse m;
  OPCAT_RETURN_IF_ERROR(parse(bytes, m));
  return fromProto(m);
}

Result<ProblemReply> decodeProblem(std::string_view bytes) {
  v1::Problem m;
  OPCAT_RETURN_IF_ERROR(parse(bytes, m));
  return ProblemReply{m.code(), m.title(), m.detail()};
}

}  // namespace opcat::codec
