#include "admin/csv_reader.h"

#include <fstream>
#include <system_error>

#include "core/utf8.h"

namespace opcat::server::admin {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool isContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

Status errorAt(std::size_t line, std::string_view what) {
  return Status::error(StatusCode::kInvalidArgument,
                       "line " + std::to_string(line) + ": " + std::string(what));
}

Status errorAt(std::size_t line, std::size_t column, std::string_view what) {
  return Status::error(StatusCode::kInvalidArgument, "line " + std::to_string(line) + ", column " +
                                                         std::to_string(column) + ": " +
                                                         std::string(what));
}

// Line-oriented checks first, so that a file saved in another encoding (a spreadsheet's
// Windows-1251 export) is named as such rather than as a broken cell.
Status checkEncoding(std::string_view text) {
  std::size_t line = 1;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view content = text.substr(start, end - start);
    if (content.find('\0') != std::string_view::npos) return errorAt(line, "contains a NUL byte");
    if (!isValidUtf8(content)) {
      return errorAt(line, "is not valid UTF-8 (save the file as \"CSV UTF-8\")");
    }
    ++line;
    start = end + 1;
  }
  return Status::ok();
}

class Parser {
 public:
  Parser(std::string_view text, const CsvLimits& limits) : m_text(text), m_limits(limits) {
    if (m_text.starts_with(kBom)) m_pos = m_lineStart = kBom.size();
  }

  Result<std::vector<CsvRecord>> run() {
    std::vector<CsvRecord> records;
    while (m_pos < m_text.size()) {
      if (atLineEnd()) {  // a blank line
        skipLineEnd();
        continue;
      }
      if (records.size() > m_limits.maxRows) {
        return errorHere("more than " + std::to_string(m_limits.maxRows) +
                         " rows after the header");
      }
      CsvRecord record;
      record.line = m_line;
      OPCAT_RETURN_IF_ERROR(readRecord(record.fields));
      records.push_back(std::move(record));
    }
    return records;
  }

 private:
  // Reads fields up to and including the record's line end (or the end of the text).
  Status readRecord(std::vector<std::string>& fields) {
    while (true) {
      std::string field;
      OPCAT_RETURN_IF_ERROR(peek() == '"' ? readQuoted(field) : readUnquoted(field));
      fields.push_back(std::move(field));
      if (m_pos >= m_text.size()) return Status::ok();
      if (m_text[m_pos] == ',') {
        ++m_pos;
        continue;
      }
      if (atLineEnd()) {
        skipLineEnd();
        return Status::ok();
      }
      return errorHere("a closing quote must be followed by a comma or the end of the line");
    }
  }

  Status readUnquoted(std::string& field) {
    const std::size_t start = m_pos;
    while (m_pos < m_text.size()) {
      const char c = m_text[m_pos];
      if (c == ',' || c == '\n') break;
      if (c == '\r') {
        if (atLineEnd()) break;
        return errorHere("a carriage return not followed by a line feed");
      }
      if (c == '"') {
        return errorHere(
            "a quote inside an unquoted field (quote the whole field and double the quote)");
      }
      ++m_pos;
    }
    field.assign(m_text.substr(start, m_pos - start));
    if (field.size() > m_limits.maxFieldBytes) return fieldTooLong(m_line, column(start));
    return Status::ok();
  }

  Status readQuoted(std::string& field) {
    const std::size_t openLine = m_line;
    const std::size_t openColumn = column(m_pos);
    ++m_pos;
    while (true) {
      if (m_pos >= m_text.size()) {
        return errorAt(openLine, openColumn, "a quoted field is never closed");
      }
      const char c = m_text[m_pos];
      if (c == '"') {
        if (m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '"') {
          field.push_back('"');
          m_pos += 2;
          continue;
        }
        ++m_pos;
        return Status::ok();
      }
      field.push_back(c);
      ++m_pos;
      if (c == '\n') {
        ++m_line;
        m_lineStart = m_pos;
      }
      if (field.size() > m_limits.maxFieldBytes) return fieldTooLong(openLine, openColumn);
    }
  }

  char peek() const { return m_pos < m_text.size() ? m_text[m_pos] : '\0'; }

  bool atLineEnd() const {
    if (m_pos >= m_text.size()) return false;
    if (m_text[m_pos] == '\n') return true;
    return m_text[m_pos] == '\r' && m_pos + 1 < m_text.size() && m_text[m_pos + 1] == '\n';
  }

  void skipLineEnd() {
    m_pos += m_text[m_pos] == '\r' ? std::size_t{2} : std::size_t{1};
    ++m_line;
    m_lineStart = m_pos;
  }

  // The 1-based character (not byte) column of `pos` on the current line.
  std::size_t column(std::size_t pos) const {
    std::size_t chars = 1;
    for (std::size_t i = m_lineStart; i < pos; ++i) {
      if (!isContinuationByte(m_text[i])) ++chars;
    }
    return chars;
  }

  Status errorHere(std::string_view what) const { return errorAt(m_line, column(m_pos), what); }

  Status fieldTooLong(std::size_t line, std::size_t col) const {
    return errorAt(line, col,
                   "a field longer than " + std::to_string(m_limits.maxFieldBytes) + " bytes");
  }

  std::string_view m_text;
  const CsvLimits& m_limits;
  std::size_t m_pos = 0;
  std::size_t m_line = 1;
  std::size_t m_lineStart = 0;
};

}  // namespace

Result<std::vector<CsvRecord>> parseCsv(std::string_view text, const CsvLimits& limits) {
  if (text.size() > limits.maxBytes) {
    return Status::error(StatusCode::kInvalidArgument, std::to_string(text.size()) +
                                                           " bytes, more than the limit of " +
                                                           std::to_string(limits.maxBytes));
  }
  OPCAT_RETURN_IF_ERROR(checkEncoding(text));
  return Parser(text, limits).run();
}

Result<std::vector<CsvRecord>> readCsvFile(const std::filesystem::path& path,
                                           const CsvLimits& limits) {
  const std::string name = path.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status::error(StatusCode::kInvalidArgument, name + ": no such file");
  }
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) return Status::error(StatusCode::kIoError, name + ": " + ec.message());
  if (size > limits.maxBytes) {
    return Status::error(StatusCode::kInvalidArgument, name + ": " + std::to_string(size) +
                                                           " bytes, more than the limit of " +
                                                           std::to_string(limits.maxBytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::error(StatusCode::kIoError, name + ": cannot be opened");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (in.bad()) return Status::error(StatusCode::kIoError, name + ": read failed");
  auto records = parseCsv(text, limits);
  if (!records)
    return Status::error(records.status().code(), name + ": " + records.status().message());
  return records;
}

}  // namespace opcat::server::admin
