#include "http/router.h"

#include <optional>
#include <stdexcept>

#include "http/problem.h"

namespace opcat::server::http {
namespace {

std::vector<std::string_view> splitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.empty() || path.front() != '/') return segments;
  std::size_t start = 1;
  for (;;) {
    const std::size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      segments.push_back(path.substr(start));
      return segments;
    }
    segments.push_back(path.substr(start, slash - start));
    start = slash + 1;
  }
}

bool isPlaceholder(std::string_view segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Percent-decodes one path segment; nullopt for a broken escape or a decoded NUL.
std::optional<std::string> percentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const int high = hexValue(text[i + 1]);
    const int low = hexValue(text[i + 2]);
    if (high < 0 || low < 0 || (high == 0 && low == 0)) return std::nullopt;
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

}  // namespace

void Router::add(std::string method, std::string pattern, Handler handler) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::invalid_argument("route pattern must start with '/'");
  }
  Route route;
  for (std::string_view segment : splitPath(pattern)) {
    if (!isPlaceholder(segment)) ++route.literalCount;
    route.segments.emplace_back(segment);
  }
  route.method = std::move(method);
  route.pattern = std::move(pattern);
  route.handler = std::move(handler);
  m_routes.push_back(std::move(route));
}

bool Router::matchSegments(const Route& route, const std::vector<std::string_view>& segments,
                           std::map<std::string, std::string>* params) {
  if (route.segments.size() != segments.size()) return false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& expected = route.segments[i];
    if (!isPlaceholder(expected)) {
      if (expected != segments[i]) return false;
      continue;
    }
    if (segments[i].empty()) return false;
    std::optional<std::string> value = percentDecode(segments[i]);
    if (!value) return false;
    if (params) (*params)[expected.substr(1, expected.size() - 2)] = std::move(*value);
  }
  return true;
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
  const std::vector<std::string_view> segments = splitPath(path);
  const Route* best = nullptr;
  for (const Route& route : m_routes) {
    if (!matchSegments(route, segments, nullptr)) continue;
    if (best == nullptr || route.literalCount > best->literalCount) best = &route;
  }
  Match result;
  if (best == nullptr) return result;
  result.pattern = best->pattern;
  for (const Route& route : m_routes) {
    if (route.pattern != best->pattern) continue;
    if (route.method == method) {
      result.kind = Match::Kind::kFound;
      result.handler = &route.handler;
      matchSegments(route, segments, &result.params);
      return result;
    }
    if (!result.allow.empty()) result.allow += ", ";
    result.allow += route.method;
  }
  result.kind = Match::Kind::kMethodNotAllowed;
  return result;
}

Dispatched dispatch(const Router& router, Request request) {
  Dispatched out;
  Router::Match match = router.match(request.method, request.path);
  out.route = match.pattern;
  switch (match.kind) {
    case Router::Match::Kind::kNotFound:
      out.response = problemResponse(ProblemCode::kRouteNotFound, "No resource at this path.");
      return out;
    case Router::Match::Kind::kMethodNotAllowed:
      out.response = problemResponse(ProblemCode::kMethodNotAllowed,
                                     "This resource accepts " + match.allow + ".");
      out.response.headers.emplace_back("Allow", match.allow);
      return out;
    case Router::Match::Kind::kFound:
      break;
  }
  request.params = std::move(match.params);
  try {
    out.response = (*match.handler)(request);
  } catch (...) {
    // The exception text may quote request content, so it is not logged or returned.
    out.handlerThrew = true;
    out.response =
        problemResponse(ProblemCode::kInternalError, "The server failed to handle the request.");
  }
  return out;
}

}  // namespace opcat::server::http
