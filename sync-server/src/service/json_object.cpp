#include "service/json_object.h"

#include <cstdint>
#include <optional>

#include "core/utf8.h"

namespace opcat::server {
namespace {

class Reader {
 public:
  explicit Reader(std::string_view text) : m_text(text) {}

  Status fail(std::string_view expected) const {
    return Status::error(StatusCode::kInvalidArgument, "JSON: expected " + std::string(expected) +
                                                           " at byte " + std::to_string(m_at));
  }

  void skipWhitespace() {
    while (m_at < m_text.size() && (m_text[m_at] == ' ' || m_text[m_at] == '\t' ||
                                    m_text[m_at] == '\n' || m_text[m_at] == '\r')) {
      ++m_at;
    }
  }

  bool consume(char c) {
    if (m_at < m_text.size() && m_text[m_at] == c) {
      ++m_at;
      return true;
    }
    return false;
  }

  bool atEnd() const { return m_at == m_text.size(); }

  // A string literal at the cursor, decoded. The raw bytes are checked as UTF-8 afterwards, so
  // only escapes need care here.
  Result<std::string> string() {
    if (!consume('"')) return fail("a string");
    std::string out;
    for (;;) {
      if (m_at >= m_text.size()) return fail("the end of a string");
      const auto c = static_cast<unsigned char>(m_text[m_at]);
      if (c == '"') {
        ++m_at;
        break;
      }
      if (c < 0x20) return fail("an escaped control character");
      if (c != '\\') {
        out.push_back(static_cast<char>(c));
        ++m_at;
        continue;
      }
      ++m_at;
      if (m_at >= m_text.size()) return fail("an escape");
      const char e = m_text[m_at++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.push_back(e);
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          auto codePoint = unicodeEscape();
          if (!codePoint) return fail("a valid \\u escape");
          appendUtf8(out, *codePoint);
          break;
        }
        default:
          return fail("a valid escape");
      }
    }
    if (!isValidUtf8(out)) return fail("UTF-8 text in the string ending");
    return out;
  }

 private:
  std::optional<std::uint32_t> hex4() {
    if (m_at + 4 > m_text.size()) return std::nullopt;
    std::uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = m_text[m_at++];
      value <<= 4;
      if (c >= '0' && c <= '9') {
        value |= static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        value |= static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        value |= static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return std::nullopt;
      }
    }
    return value;
  }

  // The code point of a \u escape whose "\u" was read; a high surrogate must be followed by
  // an escaped low one, and a lone surrogate is refused (it has no UTF-8 form).
  std::optional<std::uint32_t> unicodeEscape() {
    auto first = hex4();
    if (!first) return std::nullopt;
    if (*first >= 0xdc00 && *first <= 0xdfff) return std::nullopt;
    if (*first < 0xd800 || *first > 0xdbff) return first;
    if (!consume('\\') || !consume('u')) return std::nullopt;
    auto second = hex4();
    if (!second || *second < 0xdc00 || *second > 0xdfff) return std::nullopt;
    return 0x10000 + ((*first - 0xd800) << 10) + (*second - 0xdc00);
  }

  static void appendUtf8(std::string& out, std::uint32_t cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    } else {
      out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
    }
  }

  std::string_view m_text;
  std::size_t m_at = 0;
};

}  // namespace

Result<JsonStringObject> parseJsonStringObject(std::string_view text,
                                               const JsonObjectLimits& limits) {
  Reader reader(text);
  reader.skipWhitespace();
  if (!reader.consume('{')) return reader.fail("'{'");
  JsonStringObject members;
  reader.skipWhitespace();
  if (!reader.consume('}')) {
    for (;;) {
      reader.skipWhitespace();
      auto key = reader.string();
      if (!key) return key.status();
      reader.skipWhitespace();
      if (!reader.consume(':')) return reader.fail("':'");
      reader.skipWhitespace();
      auto value = reader.string();
      if (!value) return value.status();
      if (members.size() == limits.maxMembers) return reader.fail("fewer members");
      if (!members.emplace(std::move(key).value(), std::move(value).value()).second) {
        return reader.fail("no duplicate member before the one ending");
      }
      reader.skipWhitespace();
      if (reader.consume('}')) break;
      if (!reader.consume(',')) return reader.fail("',' or '}'");
    }
  }
  reader.skipWhitespace();
  if (!reader.atEnd()) return reader.fail("the end of the body");
  return members;
}

}  // namespace opcat::server
