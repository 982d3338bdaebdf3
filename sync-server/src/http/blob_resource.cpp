#include "http/blob_resource.h"

#include <charconv>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

#include "http/protobuf_body.h"
#include "service/device_auth.h"
#include "service/log.h"

namespace opcat::server::http {
namespace {

constexpr char kOctetStream[] = "application/octet-stream";

// A device allowed to touch the blob named in the path.
struct Caller {
  Actor actor;
  std::string sha;
};

// The caller, or the response to send: 401 without a valid token, 400 for a name that is not a
// SHA-256, 403 when no Attachment of the monitor's teams has this digest. The 403 is the same
// whether the blob exists or not, so a foreign device learns nothing from it.
std::variant<Caller, Response> admit(db::ServerStore& store, const Request& request) {
  auto actor = authenticateDevice(store, request.header("Authorization").value_or(""));
  if (!actor) {
    if (actor.status().code() == StatusCode::kDatabaseError) throw std::runtime_error("store");
    return protobufProblem(ProblemCode::kUnauthenticated,
                           "missing, unknown or revoked device token; enroll again");
  }
  Caller caller{std::move(actor).value(), request.param("sha256")};
  Response refused;
  if (!BlobService::isBlobName(caller.sha)) {
    refused = protobufProblem(ProblemCode::kMalformedRequest,
                              "a blob is named by 64 lower-case hex digits (its SHA-256)");
  } else {
    bool allowed = false;
    const Status read = store.read([&](db::StoreSession& session) -> Status {
      auto may = session.monitorMaySeeBlob(caller.actor.monitorId, caller.sha);
      if (!may) return may.status();
      allowed = *may;
      return Status::ok();
    });
    if (!read) throw std::runtime_error("store");
    if (allowed) return caller;
    refused = protobufProblem(ProblemCode::kForbidden,
                              "no attachment of your teams' visits has this digest");
  }
  refused.principal = caller.actor.deviceId;
  return refused;
}

// Logs a failed file operation (the message names no blob) and fails the request with a 500.
[[noreturn]] void fail(const Status& status) {
  logEvent("error", "blob_io", status.toString());
  throw std::runtime_error("blob i/o");
}

std::optional<std::uint64_t> parseNumber(std::string_view text) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

struct ContentRange {
  std::uint64_t start = 0, end = 0, total = 0;  // end inclusive
};

// "bytes START-END/TOTAL" with START <= END < TOTAL; the total is required (no '*').
std::optional<ContentRange> parseContentRange(std::string_view text) {
  constexpr std::string_view kUnit = "bytes ";
  if (text.substr(0, kUnit.size()) != kUnit) return std::nullopt;
  text.remove_prefix(kUnit.size());
  const std::size_t dash = text.find('-');
  const std::size_t slash = text.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || slash < dash) {
    return std::nullopt;
  }
  const auto start = parseNumber(text.substr(0, dash));
  const auto end = parseNumber(text.substr(dash + 1, slash - dash - 1));
  const auto total = parseNumber(text.substr(slash + 1));
  if (!start || !end || !total || *start > *end || *end >= *total) return std::nullopt;
  return ContentRange{*start, *end, *total};
}

// "bytes=N-" or "bytes=N-M": the one range a resuming download asks for. Anything else
// (several ranges, suffix ranges, bad syntax) is ignored and the whole blob is sent, as RFC 9110
// allows.
std::optional<std::pair<std::uint64_t, std::optional<std::uint64_t>>> parseRange(
    std::string_view text) {
  constexpr std::string_view kUnit = "bytes=";
  if (text.substr(0, kUnit.size()) != kUnit) return std::nullopt;
  text.remove_prefix(kUnit.size());
  const std::size_t dash = text.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const auto first = parseNumber(text.substr(0, dash));
  if (!first) return std::nullopt;
  if (dash + 1 == text.size()) return std::pair{*first, std::optional<std::uint64_t>()};
  const auto last = parseNumber(text.substr(dash + 1));
  if (!last || *last < *first) return std::nullopt;
  return std::pair{*first, std::optional<std::uint64_t>(*last)};
}

void setProgress(Response& response, std::uint64_t offset, bool complete) {
  response.headers.emplace_back("Upload-Offset", std::to_string(offset));
  response.headers.emplace_back("Upload-Complete", complete ? "?1" : "?0");
}

// A HEAD reply carries no body: the server would otherwise send one after the headers.
Response withoutBody(Response response) {
  response.body.clear();
  return response;
}

Response head(db::ServerStore& store, BlobService& blobs, const Request& request) {
  auto admitted = admit(store, request);
  if (auto* refused = std::get_if<Response>(&admitted)) return withoutBody(std::move(*refused));
  const Caller& caller = std::get<Caller>(admitted);
  auto progress = blobs.progress(caller.sha);
  if (!progress) fail(progress.status());
  Response response;
  if (!*progress) {
    response = withoutBody(protobufProblem(ProblemCode::kNotFound));
  } else {
    response.contentType = kOctetStream;
    setProgress(response, (*progress)->offset, (*progress)->complete);
  }
  response.principal = caller.actor.deviceId;
  return response;
}

Response put(db::ServerStore& store, BlobService& blobs, const Request& request) {
  auto admitted = admit(store, request);
  if (auto* refused = std::get_if<Response>(&admitted)) return std::move(*refused);
  const Caller& caller = std::get<Caller>(admitted);
  const auto range = parseContentRange(request.header("Content-Range").value_or(""));
  Response response;
  if (!range) {
    response = protobufProblem(ProblemCode::kMalformedRequest,
                               "send Content-Range: bytes START-END/TOTAL");
  } else if (request.body.size() != range->end - range->start + 1) {
    response = protobufProblem(ProblemCode::kMalformedRequest,
                               "the body length differs from the Content-Range");
  } else {
    auto appended = blobs.append(caller.sha, range->start, range->total, request.body);
    if (!appended) fail(appended.status());
    switch (appended->outcome) {
      case AppendOutcome::kAppended:
        response.status = 204;
        break;
      case AppendOutcome::kCompleted:
        response.status = 201;
        response.headers.emplace_back("Location", "/v1/blobs/" + caller.sha);
        break;
      case AppendOutcome::kAlreadyComplete:
        response.status = 200;
        break;
      case AppendOutcome::kWrongOffset:
        response = protobufProblem(ProblemCode::kRangeNotSatisfiable, "resume from Upload-Offset");
        break;
      case AppendOutcome::kTotalChanged:
        response = protobufProblem(ProblemCode::kMalformedRequest,
                                   "the total differs from the one this upload began with");
        break;
      case AppendOutcome::kTooLarge:
        response = protobufProblem(
            ProblemCode::kBodyTooLarge,
            "blobs may have at most " + std::to_string(blobs.maxBlobBytes()) + " bytes");
        break;
      case AppendOutcome::kDigestMismatch:
        response = protobufProblem(ProblemCode::kDigestMismatch,
                                   "the bytes do not hash to the name; upload them again");
        break;
    }
    if (response.status < 300) response.contentType = kOctetStream;
    const bool complete = appended->outcome == AppendOutcome::kCompleted ||
                          appended->outcome == AppendOutcome::kAlreadyComplete;
    setProgress(response, appended->offset, complete);
  }
  response.principal = caller.actor.deviceId;
  return response;
}

Response get(db::ServerStore& store, BlobService& blobs, const Request& request) {
  auto admitted = admit(store, request);
  if (auto* refused = std::get_if<Response>(&admitted)) return std::move(*refused);
  const Caller& caller = std::get<Caller>(admitted);
  const auto range = parseRange(request.header("Range").value_or(""));
  auto slice =
      blobs.read(caller.sha, range ? range->first : 0, range ? range->second : std::nullopt);
  if (!slice) fail(slice.status());
  Response response;
  if (!*slice) {
    response = protobufProblem(ProblemCode::kNotFound, "the blob is not uploaded completely yet");
  } else if (!(*slice)->satisfiable) {
    response = protobufProblem(ProblemCode::kRangeNotSatisfiable, "the range starts past the end");
    response.headers.emplace_back("Content-Range",
                                  "bytes */" + std::to_string((*slice)->totalBytes));
  } else {
    BlobSlice& bytes = **slice;
    response.contentType = kOctetStream;
    response.headers.emplace_back("Accept-Ranges", "bytes");
    if (range) {
      response.status = 206;
      response.headers.emplace_back("Content-Range",
                                    "bytes " + std::to_string(bytes.first) + "-" +
                                        std::to_string(bytes.first + bytes.bytes.size() - 1) + "/" +
                                        std::to_string(bytes.totalBytes));
    }
    response.body = std::move(bytes.bytes);
  }
  response.principal = caller.actor.deviceId;
  return response;
}

}  // namespace

void addBlobResource(Router& router, db::ServerStore& store, BlobService& blobs) {
  constexpr char kPattern[] = "/v1/blobs/{sha256}";
  router.add("HEAD", kPattern,
             [&store, &blobs](const Request& r) { return head(store, blobs, r); });
  router.add("PUT", kPattern, [&store, &blobs](const Request& r) { return put(store, blobs, r); });
  router.get(kPattern, [&store, &blobs](const Request& r) { return get(store, blobs, r); });
}

}  // namespace opcat::server::http
