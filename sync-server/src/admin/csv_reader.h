// An RFC 4180 CSV reader for the registry files administrators prepare in a spreadsheet: quoted
// fields with embedded commas, doubled quotes and line breaks, CRLF or LF line endings, and the
// UTF-8 byte-order mark spreadsheets put first. Errors name the line and column, so a person can
// find the cell in the file they edited.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace opcat::server::admin {

// One record of the file and the line it starts on (1-based; a quoted field may run over more).
struct CsvRecord {
  std::size_t line = 0;
  std::vector<std::string> fields;
};

struct CsvLimits {
  std::size_t maxBytes = 50u * 1024 * 1024;  // the whole file
  std::size_t maxRows = 100'000;             // records after the first (the header)
  std::size_t maxFieldBytes = 64u * 1024;    // one cell
};

// The records of `text`. A line with nothing on it is skipped (spreadsheets often end with one);
// a final line ending is optional. Errors (kInvalidArgument; the message starts "line N" or
// "line N, column C", columns counting characters): text that is not UTF-8 or holds a NUL byte,
// a quote inside an unquoted field, anything but a comma or line end after a closing quote, a
// carriage return not followed by a line feed, a quoted field never closed (at the line where it
// opens), and text over a limit.
Result<std::vector<CsvRecord>> parseCsv(std::string_view text, const CsvLimits& limits = {});

// Reads and parses the file at `path`; refuses a file over limits.maxBytes before reading it.
// Every error message starts with the path ("regions.csv: line 4, column 2: ...").
Result<std::vector<CsvRecord>> readCsvFile(const std::filesystem::path& path,
                                           const CsvLimits& limits = {});

}  // namespace opcat::server::admin
