// A minimal protobuf client of the server's sync API over libcurl, for tests and benchmarks
// that exercise the server alone (the tablet's real sync engine lives in shared/sync).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "opcat/v1/sync.pb.h"
#include "support/http_client.h"
#include "sync/change.h"

namespace opcat::testing {

class SyncClient {
 public:
  explicit SyncClient(std::string baseUrl) : m_baseUrl(std::move(baseUrl)) {}

  // Enrolls with `code`; on success keeps the token. Returns the HTTP status.
  long enroll(const std::string& code, const std::string& deviceId,
              v1::EnrollResponse* reply = nullptr);
  void setToken(std::string token) { m_token = std::move(token); }
  const std::string& token() const { return m_token; }

  // POST /v1/sync/push; the parsed reply when the status is 200.
  std::optional<v1::PushResponse> push(const std::vector<sync::Change>& changes,
                                       long* status = nullptr);
  std::optional<v1::PullResponse> pull(std::uint64_t cursor, std::uint32_t limit = 1000,
                                       long* status = nullptr, std::string* rawBody = nullptr);
  // Pulls until has_more is false; every change and the final cursor.
  std::vector<v1::Change> pullAll(std::uint64_t& cursor, std::string* rawBodies = nullptr);

  // Any request with this client's token (if any) and the protobuf content type by default.
  HttpResponse post(const std::string& path, const std::string& body,
                    const std::string& contentType = "application/x-protobuf",
                    bool withToken = true);

 private:
  std::string m_baseUrl;
  std::string m_token;
  HttpClient m_http;
};

}  // namespace opcat::testing
