// The RFC 4180 reader behind `opcat-server admin import-registry`: quoting, line endings, the
// byte-order mark, and errors that point at the line and column a person must fix.
#include "admin/csv_reader.h"

#include <gtest/gtest.h>

#include <fstream>

#include "support/temp_dir.h"

namespace opcat::server::admin {
namespace {

using Fields = std::vector<std::string>;

std::vector<CsvRecord> parsed(std::string_view text, const CsvLimits& limits = {}) {
  auto records = parseCsv(text, limits);
  EXPECT_TRUE(records.isOk()) << records.status().message();
  return records.isOk() ? *records : std::vector<CsvRecord>{};
}

std::string errorOf(std::string_view text, const CsvLimits& limits = {}) {
  auto records = parseCsv(text, limits);
  EXPECT_FALSE(records.isOk());
  if (records.isOk()) return {};
  EXPECT_EQ(records.status().code(), StatusCode::kInvalidArgument);
  return records.status().message();
}

TEST(CsvReaderTest, PlainFieldsAndLineNumbers) {
  const auto records = parsed("id,name\n1,one\n2,two\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields, (Fields{"id", "name"}));
  EXPECT_EQ(records[2].fields, (Fields{"2", "two"}));
  EXPECT_EQ(records[0].line, 1u);
  EXPECT_EQ(records[2].line, 3u);
}

TEST(CsvReaderTest, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  const auto records =
      parsed("a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\"\",plain,\"\"\"\"\nlast,1,2\n");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[1].fields, (Fields{"x, y", "say \"hi\"", "two\nlines"}));
  EXPECT_EQ(records[2].fields, (Fields{"", "plain", "\""}));
  // The quoted line break moved every following record one line down.
  EXPECT_EQ(records[1].line, 2u);
  EXPECT_EQ(records[2].line, 4u);
  EXPECT_EQ(records[3].line, 5u);
}

TEST(CsvReaderTest, CrlfLineEndingsAndCrlfInsideQuotes) {
  const auto records = parsed("a,b\r\n1,\"x\r\ny\"\r\n2,z\r\n");
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].fields, (Fields{"1", "x\r\ny"}));
  EXPECT_EQ(records[2].fields, (Fields{"2", "z"}));
  EXPECT_EQ(records[2].line, 4u);
}

TEST(CsvReaderTest, ByteOrderMarkIsSkipped) {
  const auto records = parsed("\xEF\xBB\xBFid,name\n1,\"Астана\"\n");
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].fields[0], "id");
  EXPECT_EQ(records[1].fields[1], "Астана");
}

TEST(CsvReaderTest, EmptyFieldsBlankLinesAndNoFinalLineEnd) {
  const auto records = parsed("a,b,c\n\n,,\r\n\nx,,\n1,2,3");
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[1].fields, (Fields{"", "", ""}));
  EXPECT_EQ(records[1].line, 3u);
  EXPECT_EQ(records[2].fields, (Fields{"x", "", ""}));
  EXPECT_EQ(records[3].fields, (Fields{"1", "2", "3"}));
  EXPECT_EQ(records[3].line, 6u);
  EXPECT_TRUE(parsed("").empty());
  EXPECT_TRUE(parsed("\xEF\xBB\xBF").empty());
}

TEST(CsvReaderTest, UnterminatedQuoteNamesTheLineWhereItOpens) {
  const std::string message = errorOf("a,b\n1,2\n3,\"never\nclosed,4\n5,6\n");
  EXPECT_NE(message.find("line 3, column 3"), std::string::npos) << message;
  EXPECT_NE(message.find("never closed"), std::string::npos) << message;
}

TEST(CsvReaderTest, QuoteInsideAnUnquotedFieldIsRefused) {
  const std::string message = errorOf("a,b\n1,ab\"c\n");
  EXPECT_NE(message.find("line 2, column 5"), std::string::npos) << message;
}

TEST(CsvReaderTest, ColumnsCountCharactersNotBytes) {
  // "Қарағанды" is 9 characters and 18 bytes: the stray quote is character 12 of the line.
  const std::string message = errorOf("Қарағанды,x\"\n");
  EXPECT_NE(message.find("line 1, column 12"), std::string::npos) << message;
}

TEST(CsvReaderTest, TextAfterAClosingQuoteIsRefused) {
  const std::string message = errorOf("a,b\n\"x\"y,2\n");
  EXPECT_NE(message.find("line 2, column 4"), std::string::npos) << message;
}

TEST(CsvReaderTest, LoneCarriageReturnIsRefused) {
  const std::string message = errorOf("a,b\r1,2\n");
  EXPECT_NE(message.find("line 1, column 4"), std::string::npos) << message;
}

TEST(CsvReaderTest, TextThatIsNotUtf8IsRefusedWithItsLine) {
  // "Астана" in Windows-1251, as a spreadsheet might save it.
  const std::string message = errorOf("a,b\n1,\xC0\xF1\xF2\xE0\xED\xE0\n");
  EXPECT_NE(message.find("line 2"), std::string::npos) << message;
  EXPECT_NE(message.find("UTF-8"), std::string::npos) << message;
  EXPECT_NE(errorOf(std::string_view("a,b\n1,\0\n", 8)).find("line 2"), std::string::npos);
}

TEST(CsvReaderTest, LimitsAreEnforced) {
  CsvLimits limits;
  limits.maxRows = 2;
  EXPECT_EQ(parsed("h\n1\n2\n", limits).size(), 3u);
  EXPECT_NE(errorOf("h\n1\n2\n3\n", limits).find("line 4"), std::string::npos);

  limits = CsvLimits{};
  limits.maxFieldBytes = 4;
  EXPECT_EQ(parsed("abcd,\"efgh\"\n", limits).size(), 1u);
  EXPECT_NE(errorOf("abcde\n", limits).find("line 1, column 1"), std::string::npos);
  EXPECT_NE(errorOf("x\n1,\"abc\ndef\"\n", limits).find("line 2, column 3"), std::string::npos);

  limits = CsvLimits{};
  limits.maxBytes = 8;
  EXPECT_FALSE(parseCsv("123456789", limits).isOk());
}

TEST(CsvReaderTest, FileErrorsNameTheFile) {
  opcat::testing::TempDir dir("opcat-csv");
  const auto path = dir / "regions.csv";
  std::ofstream(path, std::ios::binary) << "id,name\n1,\"open\n";
  auto records = readCsvFile(path);
  ASSERT_FALSE(records.isOk());
  EXPECT_EQ(records.status().message().rfind(path.string() + ": line 2, column 3", 0), 0u)
      << records.status().message();

  CsvLimits small;
  small.maxBytes = 4;
  records = readCsvFile(path, small);
  ASSERT_FALSE(records.isOk());
  EXPECT_NE(records.status().message().find("more than the limit"), std::string::npos);

  records = readCsvFile(dir / "missing.csv");
  ASSERT_FALSE(records.isOk());
  EXPECT_NE(records.status().message().find("missing.csv"), std::string::npos);
}

}  // namespace
}  // namespace opcat::server::admin
