#include "http/request.h"

namespace opcat::server::http {
namespace {

char asciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool headerNameEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (asciiLower(a[i]) != asciiLower(b[i])) return false;
  }
  return true;
}

std::optional<std::string_view> Request::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (headerNameEquals(key, name)) return std::string_view(value);
  }
  return std::nullopt;
}

Response Response::json(unsigned status, std::string body) {
  Response response;
  response.status = status;
  response.contentType = "application/json";
  response.body = std::move(body);
  return response;
}

Response Response::text(unsigned status, std::string body, std::string contentType) {
  Response response;
  response.status = status;
  response.contentType = std::move(contentType);
  response.body = std::move(body);
  return response;
}

}  // namespace opcat::server::http
