// The reference data shipped in sync-server/data is usable as it stands: every checklist parses
// with the protobuf JSON mapping, converts to the domain and validates; the registry CSVs are
// well-formed RFC 4180 and consistent with one another; every id is a distinct canonical UUID.
#include <google/protobuf/util/json_util.h>
#include <gtest/gtest.h>

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/uuid.h"
#include "domain/registry.h"
#include "domain/validation.h"
#include "opcat/v1/registry.pb.h"
#include "support/file_bytes.h"
#include "sync/codec/record_proto.h"

namespace opcat {
namespace {

namespace fs = std::filesystem;
using testing::readFile;

const fs::path kDataDir{OPCAT_DATA_DIR};
constexpr int kCategoryCount = static_cast<int>(lastEnumValue(domain::InstitutionCategory{}));
constexpr int kAreaCount = static_cast<int>(lastEnumValue(domain::ThematicArea{}));
constexpr std::string_view kCategoryPrefix = "INSTITUTION_CATEGORY_";

// ---------------------------------------------------------------------------------------------
// A small RFC 4180 reader: records end with CRLF (a bare LF is accepted), fields are separated
// by commas, and a field in double quotes may hold commas, line breaks and doubled quotes.

using CsvRow = std::vector<std::string>;

struct CsvResult {
  std::vector<CsvRow> rows;
  std::string error;  // empty when the text is well-formed
};

CsvResult parseCsv(std::string_view text) {
  CsvResult result;
  CsvRow row;
  std::string field;
  bool quoted = false;    // the current field began with a quote
  bool inQuotes = false;  // inside the quoted part of the current field
  bool closed = false;    // the current field's closing quote has been read
  auto endField = [&] {
    row.push_back(std::move(field));
    field.clear();
    quoted = inQuotes = closed = false;
  };
  auto endRecord = [&] {
    endField();
    result.rows.push_back(std::move(row));
    row.clear();
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (inQuotes) {
      if (c != '"') {
        field.push_back(c);
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else {
        inQuotes = false;
        closed = true;
      }
    } else if (c == ',') {
      endField();
    } else if (c == '\r' || c == '\n') {
      if (c == '\r') {
        if (i + 1 >= text.size() || text[i + 1] != '\n') {
          result.error = "bare CR in record " + std::to_string(result.rows.size() + 1);
          return result;
        }
        ++i;
      }
      endRecord();
    } else if (closed) {
      result.error =
          "text after a closing quote in record " + std::to_string(result.rows.size() + 1);
      return result;
    } else if (c == '"') {
      if (!field.empty()) {
        result.error =
            "quote inside an unquoted field in record " + std::to_string(result.rows.size() + 1);
        return result;
      }
      quoted = inQuotes = true;
    } else {
      field.push_back(c);
    }
  }
  if (inQuotes) {
    result.error = "unterminated quoted field";
    return result;
  }
  if (!row.empty() || !field.empty() || quoted) endRecord();  // last record without a line break
  return result;
}

// A CSV file as header plus rows keyed by column name; failures are reported, not thrown.
struct CsvTable {
  CsvRow header;
  std::vector<std::map<std::string, std::string>> rows;
};

CsvTable loadTable(const std::string& fileName, const CsvRow& expectedHeader) {
  CsvTable table;
  const fs::path path = kDataDir / fileName;
  if (!fs::exists(path)) {
    ADD_FAILURE() << path << " is missing";
    return table;
  }
  const CsvResult csv = parseCsv(readFile(path));
  if (!csv.error.empty()) {
    ADD_FAILURE() << fileName << ": " << csv.error;
    return table;
  }
  if (csv.rows.empty()) {
    ADD_FAILURE() << fileName << " is empty";
    return table;
  }
  table.header = csv.rows.front();
  EXPECT_EQ(table.header, expectedHeader) << fileName;
  for (std::size_t r = 1; r < csv.rows.size(); ++r) {
    const CsvRow& row = csv.rows[r];
    if (row.size() != table.header.size()) {
      ADD_FAILURE() << fileName << " record " << r + 1 << " has " << row.size() << " fields, "
                    << table.header.size() << " expected";
      continue;
    }
    std::map<std::string, std::string> named;
    for (std::size_t c = 0; c < row.size(); ++c) named[table.header[c]] = row[c];
    table.rows.push_back(std::move(named));
  }
  return table;
}

CsvTable loadRegions() {
  return loadTable("regions.csv", {"id", "iso_code", "name_kk", "name_ru", "name_en"});
}
CsvTable loadAuthorities() {
  return loadTable("authorities.csv", {"id", "code", "name_kk", "name_ru", "name_en"});
}
CsvTable loadInstitutions() {
  return loadTable("institutions-sample.csv",
                   {"id", "category", "authority_code", "region_iso", "name_kk", "name_ru",
                    "name_en", "address", "capacity"});
}

domain::LocalizedText names(const std::map<std::string, std::string>& row) {
  return {row.at("name_kk"), row.at("name_ru"), row.at("name_en")};
}

bool isKzIsoCode(std::string_view code) {
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return code.size() == 5 && code.substr(0, 3) == "KZ-" && digit(code[3]) && digit(code[4]);
}

// A positive decimal integer without sign or leading zeros that fits an int32.
std::optional<std::int32_t> parsePositive(std::string_view text) {
  if (text.empty() || text.size() > 9 || text.front() == '0') return std::nullopt;
  std::int32_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// The category named by its enum suffix ("PENAL_COLONY"), or nothing for an unknown name.
std::optional<domain::InstitutionCategory> categoryFromName(const std::string& suffix) {
  v1::InstitutionCategory value = v1::INSTITUTION_CATEGORY_UNSPECIFIED;
  if (!v1::InstitutionCategory_Parse(std::string(kCategoryPrefix) + suffix, &value) ||
      value == v1::INSTITUTION_CATEGORY_UNSPECIFIED) {
    return std::nullopt;
  }
  return static_cast<domain::InstitutionCategory>(value);
}

std::string categoryFileStem(domain::InstitutionCategory category) {
  std::string name = v1::InstitutionCategory_Name(static_cast<v1::InstitutionCategory>(category));
  name.erase(0, kCategoryPrefix.size());
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

// ---------------------------------------------------------------------------------------------
// Checklists: parsed from the protobuf JSON mapping, then converted to the domain.

struct LoadedTemplate {
  std::string file;
  domain::ChecklistTemplate record;
};

std::vector<LoadedTemplate> loadChecklists() {
  std::vector<LoadedTemplate> loaded;
  const fs::path dir = kDataDir / "checklists";
  if (!fs::is_directory(dir)) {
    ADD_FAILURE() << dir << " is missing";
    return loaded;
  }
  std::set<fs::path> files;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.insert(entry.path());
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  for (const fs::path& file : files) {
    v1::ChecklistTemplate message;
    const auto status =
        google::protobuf::util::JsonStringToMessage(readFile(file), &message, options);
    if (!status.ok()) {
      ADD_FAILURE() << file.filename() << ": " << status.ToString();
      continue;
    }
    loaded.push_back({file.filename().string(), codec::fromProto(message)});
  }
  return loaded;
}

bool allThree(const domain::LocalizedText& text) {
  return !text.kk.empty() && !text.ru.empty() && !text.en.empty();
}

bool isChoice(domain::AnswerType type) {
  return type == domain::AnswerType::kSingleChoice || type == domain::AnswerType::kMultipleChoice;
}

// "TRT-03": the area's prefix and two digits.
std::string_view areaPrefix(domain::ThematicArea area) {
  switch (area) {
    case domain::ThematicArea::kTreatment:
      return "TRT";
    case domain::ThematicArea::kSafeguards:
      return "SAF";
    case domain::ThematicArea::kMaterialConditions:
      return "MAT";
    case domain::ThematicArea::kRegimeActivities:
      return "REG";
    case domain::ThematicArea::kMedicalServices:
      return "MED";
    case domain::ThematicArea::kPersonnel:
      return "PER";
    case domain::ThematicArea::kUnspecified:
      break;
  }
  return {};
}

// ---------------------------------------------------------------------------------------------

TEST(CsvParserTest, ReadsQuotedCommasQuotesAndLineBreaks) {
  const CsvResult csv =
      parseCsv("a,\"b,c\",\"say \"\"hi\"\"\",\r\n\"two\r\nlines\",,x\nlast,\"\",end");
  ASSERT_TRUE(csv.error.empty()) << csv.error;
  ASSERT_EQ(csv.rows.size(), 3U);
  EXPECT_EQ(csv.rows[0], (CsvRow{"a", "b,c", "say \"hi\"", ""}));
  EXPECT_EQ(csv.rows[1], (CsvRow{"two\r\nlines", "", "x"}));
  EXPECT_EQ(csv.rows[2], (CsvRow{"last", "", "end"}));
}

TEST(CsvParserTest, RefusesMalformedQuoting) {
  EXPECT_FALSE(parseCsv("a,\"open\r\n").error.empty());
  EXPECT_FALSE(parseCsv("a,b\"c\r\n").error.empty());
  EXPECT_FALSE(parseCsv("a,\"b\"c\r\n").error.empty());
  EXPECT_FALSE(parseCsv("a\rb\r\n").error.empty());
}

TEST(ReferenceDataTest, RegionsAreTheTwentyIsoRegionsAndCities) {
  const CsvTable regions = loadRegions();
  EXPECT_EQ(regions.rows.size(), 20U);
  std::set<std::string> codes;
  for (const auto& row : regions.rows) {
    const std::string& iso = row.at("iso_code");
    EXPECT_TRUE(isKzIsoCode(iso)) << iso;
    EXPECT_TRUE(codes.insert(iso).second) << "repeated " << iso;
    const domain::Region region{row.at("id"), iso, names(row)};
    EXPECT_TRUE(allThree(region.name)) << iso;
    for (const domain::ValidationError& e : domain::validate(region)) ADD_FAILURE() << e.toString();
  }
  // Pinned from GLOSSARY §4 (ISO 3166-2:KZ after the 2022 reform): spot-check the new regions.
  for (const char* iso : {"KZ-10", "KZ-33", "KZ-62", "KZ-71", "KZ-75", "KZ-79"}) {
    EXPECT_TRUE(codes.count(iso)) << iso;
  }
}

TEST(ReferenceDataTest, AuthoritiesHaveDistinctCodes) {
  const CsvTable authorities = loadAuthorities();
  EXPECT_FALSE(authorities.rows.empty());
  std::set<std::string> codes;
  for (const auto& row : authorities.rows) {
    const std::string& code = row.at("code");
    EXPECT_TRUE(codes.insert(code).second) << "repeated " << code;
    const domain::Authority authority{row.at("id"), code, names(row)};
    EXPECT_TRUE(allThree(authority.name)) << code;
    for (const domain::ValidationError& e : domain::validate(authority)) {
      ADD_FAILURE() << e.toString();
    }
  }
}

TEST(ReferenceDataTest, InstitutionsReferenceRegionsAuthoritiesAndCoverAllCategories) {
  std::map<std::string, std::string> regionIds;  // iso code -> id
  for (const auto& row : loadRegions().rows) regionIds[row.at("iso_code")] = row.at("id");
  std::map<std::string, std::string> authorityIds;  // code -> id
  for (const auto& row : loadAuthorities().rows) authorityIds[row.at("code")] = row.at("id");

  std::map<domain::InstitutionCategory, int> perCategory;
  std::map<std::string, int> perRegion;
  const CsvTable institutions = loadInstitutions();
  for (const auto& row : institutions.rows) {
    const std::string where = row.at("name_en");
    const auto category = categoryFromName(row.at("category"));
    EXPECT_TRUE(category) << where << ": category " << row.at("category");
    const auto region = regionIds.find(row.at("region_iso"));
    EXPECT_TRUE(region != regionIds.end()) << where << ": region " << row.at("region_iso");
    const auto authority = authorityIds.find(row.at("authority_code"));
    EXPECT_TRUE(authority != authorityIds.end())
        << where << ": authority " << row.at("authority_code");
    const auto capacity = parsePositive(row.at("capacity"));
    EXPECT_TRUE(capacity) << where << ": capacity " << row.at("capacity");
    if (!category || region == regionIds.end() || authority == authorityIds.end() || !capacity) {
      continue;
    }
    ++perCategory[*category];
    ++perRegion[region->first];

    domain::Institution institution;
    institution.id = row.at("id");
    institution.name = names(row);
    institution.category = *category;
    institution.authorityId = authority->second;
    institution.regionId = region->second;
    institution.address = row.at("address");
    institution.capacity = *capacity;
    institution.active = true;
    EXPECT_TRUE(allThree(institution.name)) << where;
    for (const domain::ValidationError& e : domain::validate(institution)) {
      ADD_FAILURE() << e.toString();
    }
  }
  for (int c = 1; c <= kCategoryCount; ++c) {
    const auto category = static_cast<domain::InstitutionCategory>(c);
    EXPECT_GE(perCategory[category], 2) << categoryFileStem(category);
  }
  for (const auto& [iso, id] : regionIds) EXPECT_GE(perRegion[iso], 1) << iso;
}

TEST(ReferenceDataTest, ChecklistsParseConvertAndValidate) {
  const std::vector<LoadedTemplate> checklists = loadChecklists();
  EXPECT_EQ(checklists.size(), static_cast<std::size_t>(kCategoryCount));
  std::set<domain::InstitutionCategory> categories;
  for (const LoadedTemplate& loaded : checklists) {
    SCOPED_TRACE(loaded.file);
    const domain::ChecklistTemplate& checklist = loaded.record;
    for (const domain::ValidationError& e : domain::validate(checklist)) {
      ADD_FAILURE() << e.toString();
    }
    EXPECT_TRUE(categories.insert(checklist.category).second) << "category repeated";
    EXPECT_EQ(loaded.file, categoryFileStem(checklist.category) + ".json");
    EXPECT_EQ(checklist.version, 1);
    EXPECT_TRUE(checklist.active);
    EXPECT_GE(checklist.questions.size(), 14U);
    EXPECT_LE(checklist.questions.size(), 22U);

    std::set<domain::ThematicArea> areas;
    std::set<std::string> codes;
    int numbers = 0;
    int choices = 0;
    for (const domain::Question& q : checklist.questions) {
      SCOPED_TRACE(q.code);
      areas.insert(q.area);
      EXPECT_TRUE(codes.insert(q.code).second) << "code repeated";
      EXPECT_FALSE(q.standards.empty()) << "no standard";
      const std::string_view prefix = areaPrefix(q.area);
      EXPECT_TRUE(q.code.size() == 6 && q.code.substr(0, 3) == prefix && q.code[3] == '-' &&
                  std::isdigit(static_cast<unsigned char>(q.code[4])) &&
                  std::isdigit(static_cast<unsigned char>(q.code[5])))
          << "code does not match its area";
      EXPECT_TRUE(allThree(q.text));
      EXPECT_TRUE(allThree(q.guidance));
      if (isChoice(q.answerType)) {
        ++choices;
        EXPECT_GE(q.options.size(), 3U);
        EXPECT_LE(q.options.size(), 6U);
        for (const domain::AnswerOption& option : q.options) EXPECT_TRUE(allThree(option.label));
      }
      if (q.answerType == domain::AnswerType::kNumber) ++numbers;
    }
    EXPECT_EQ(areas.size(), static_cast<std::size_t>(kAreaCount)) << "not all six areas";
    EXPECT_FALSE(areas.count(domain::ThematicArea::kUnspecified));
    EXPECT_GE(numbers, 3);
    EXPECT_GE(choices, 3);
  }
  for (int c = 1; c <= kCategoryCount; ++c) {
    const auto category = static_cast<domain::InstitutionCategory>(c);
    EXPECT_TRUE(categories.count(category)) << "no checklist for " << categoryFileStem(category);
  }
}

TEST(ReferenceDataTest, AllIdsAreDistinctRandomUuids) {
  std::vector<std::pair<std::string, std::string>> ids;  // (where, id)
  for (const auto& row : loadRegions().rows)
    ids.emplace_back("region " + row.at("iso_code"), row.at("id"));
  for (const auto& row : loadAuthorities().rows) {
    ids.emplace_back("authority " + row.at("code"), row.at("id"));
  }
  for (const auto& row : loadInstitutions().rows) {
    ids.emplace_back("institution " + row.at("name_en"), row.at("id"));
  }
  for (const LoadedTemplate& loaded : loadChecklists()) {
    ids.emplace_back(loaded.file, loaded.record.id);
    for (const domain::Question& q : loaded.record.questions) {
      ids.emplace_back(loaded.file + " " + q.code, q.id);
    }
  }
  EXPECT_GT(ids.size(), 250U);
  std::map<std::string, std::string> seen;  // id -> where
  for (const auto& [where, id] : ids) {
    EXPECT_TRUE(isUuid(id)) << where << ": " << id;
    // Version 4 with the RFC 4122 variant, as drawn with uuid.uuid4().
    EXPECT_TRUE(id.size() == 36 && id[14] == '4' &&
                std::string_view("89ab").find(id[19]) != std::string_view::npos)
        << where << ": " << id;
    const auto [it, fresh] = seen.emplace(id, where);
    EXPECT_TRUE(fresh) << where << " repeats the id of " << it->second;
  }
}

}  // namespace
}  // namespace opcat
