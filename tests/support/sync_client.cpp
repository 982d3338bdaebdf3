#include "support/sync_client.h"

#include "sync/codec/change_proto.h"

namespace opcat::testing {

HttpResponse SyncClient::post(const std::string& path, const std::string& body,
                              const std::string& contentType, bool withToken) {
  HttpHeaders headers = {{"Content-Type", contentType}};
  if (withToken && !m_token.empty()) headers.emplace_back("Authorization", "Bearer " + m_token);
  return m_http.request("POST", m_baseUrl + path, body, headers);
}

long SyncClient::enroll(const std::string& code, const std::string& deviceId,
                        v1::EnrollResponse* reply) {
  v1::EnrollRequest request;
  request.set_code(code);
  request.set_device_id(deviceId);
  request.set_device_name("test tablet");
  const HttpResponse response = post("/v1/enroll", request.SerializeAsString(),
                                     "application/x-protobuf", false);
  if (response.status == 200) {
    v1::EnrollResponse parsed;
    if (parsed.ParseFromString(response.body)) {
      m_token = parsed.device_token();
      if (reply != nullptr) *reply = parsed;
    }
  }
  return response.status;
}

std::optional<v1::PushResponse> SyncClient::push(const std::vector<sync::Change>& changes,
                                                 long* status) {
  v1::PushRequest request;
  for (const auto& change : changes) codec::changeToProto(change, *request.add_changes());
  const HttpResponse response = post("/v1/sync/push", request.SerializeAsString());
  if (status != nullptr) *status = response.status;
  v1::PushResponse reply;
  if (response.status != 200 || !reply.ParseFromString(response.body)) return std::nullopt;
  return reply;
}

std::optional<v1::PullResponse> SyncClient::pull(std::uint64_t cursor, std::uint32_t limit,
                                                 long* status, std::string* rawBody) {
  v1::PullRequest request;
  request.set_cursor(cursor);
  request.set_limit(limit);
  const HttpResponse response = post("/v1/sync/pull", request.SerializeAsString());
  if (status != nullptr) *status = response.status;
  if (rawBody != nullptr) *rawBody += response.body;
  v1::PullResponse reply;
  if (response.status != 200 || !reply.ParseFromString(response.body)) return std::nullopt;
  return reply;
}

std::vector<v1::Change> SyncClient::pullAll(std::uint64_t& cursor, std::string* rawBodies) {
  std::vector<v1::Change> out;
  for (;;) {
    auto page = pull(cursor, 1000, nullptr, rawBodies);
    if (!page) break;
    for (const auto& c : page->changes()) out.push_back(c);
    cursor = page->next_cursor();
    if (!page->has_more()) break;
  }
  return out;
}

}  // namespace opcat::testing
