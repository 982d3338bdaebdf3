// The sync protocol's messages (opcat.v1 EnrollRequest … PullResponse, Problem) as plain
// structs, for the tablet's sync engine, which must not see protobuf types.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sync/change.h"

namespace opcat::codec {

struct EnrollReply {
  std::string deviceId;
  std::string deviceToken;
  std::string officePublicKey;  // 32 raw bytes
  std::string officeKeyId;
  std::int64_t serverTimeMs = 0;
  std::string monitorId;
};

struct PushVerdict {
  sync::ChangeId id;
  bool accepted = false;
  int problemCode = 0;
  std::string reason;
};

struct PullReply {
  std::vector<sync::Change> changes;
  std::uint64_t nextCursor = 0;
  bool hasMore = false;
  std::int64_t serverTimeMs = 0;
};

// A pull to be answered with a push (PushRequest.pull).
struct PullAsk {
  std::uint64_t cursor = 0;
  std::uint32_t limit = 0;
};

struct PushReply {
  std::vector<PushVerdict> results;
  std::uint64_t cursor = 0;
  std::optional<PullReply> pulled;  // when the push asked for a pull and the server answered it
};

struct ProblemReply {
  int code = 0;
  std::string title;
  std::string detail;
};

std::string encodeEnrollRequest(std::string_view code, std::string_view deviceId,
                                std::string_view deviceName);
Result<EnrollReply> decodeEnrollReply(std::string_view bytes);
std::string encodePushRequest(std::span<const sync::Change> changes);
// The same from changes already encoded (encodeChange's bytes), copied in as they are, and
// with `pull` when given.
std::string encodePushRequest(std::span<const std::string> encodedChanges,
                              const std::optional<PullAsk>& pull = std::nullopt);
Result<PushReply> decodePushReply(std::string_view bytes);
std::string encodePullRequest(std::uint64_t cursor, std::uint32_t limit);
// Every change is validated as decodeChange does; one invalid change fails the whole page (and
// in decodePushReply, the page a push brought back).
Result<PullReply> decodePullReply(std::string_view bytes);
Result<ProblemReply> decodeProblem(std::string_view bytes);

}  // namespace opcat::codec
