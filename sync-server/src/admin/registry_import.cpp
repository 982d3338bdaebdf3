#include "admin/registry_import.h"

#include <charconv>
#include <initializer_list>
#include <map>
#include <ostream>
#include <set>

#include "admin/csv_reader.h"
#include "domain/validation.h"
#include "opcat/v1/registry.pb.h"

#ifndef OPCAT_DATA_DIR
#error "OPCAT_DATA_DIR must name the repository's sync-server/data folder"
#endif

namespace opcat::server::admin {
namespace {

constexpr std::string_view kCategoryPrefix = "INSTITUTION_CATEGORY_";

Status fail(std::string message) {
  return Status::error(StatusCode::kInvalidArgument, std::move(message));
}

std::string trimmed(std::string_view text) {
  const auto isSpace = [](char c) { return c == ' ' || c == '\t'; };
  while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
  while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
  return std::string(text);
}

// A CSV file whose header names the expected columns (in any order, none missing or extra).
class CsvTable {
 public:
  static Result<CsvTable> load(const std::filesystem::path& file,
                               std::initializer_list<std::string_view> columns) {
    CsvTable table;
    table.m_name = file.string();
    auto records = readCsvFile(file);
    if (!records) return records.status();
    std::string expected;
    for (std::string_view column : columns) {
      expected += (expected.empty() ? "" : ",") + std::string(column);
    }
    if (records->empty()) return fail(table.m_name + ": empty; expected the header " + expected);
    const CsvRecord& header = records->front();
    for (std::string_view column : columns) {
      bool found = false;
      for (std::size_t i = 0; i < header.fields.size(); ++i) {
        if (trimmed(header.fields[i]) == column) {
          if (found)
            return fail(table.where(header) + ": column " + std::string(column) + " twice");
          table.m_index[std::string(column)] = i;
          found = true;
        }
      }
      if (!found) {
        return fail(table.where(header) + ": no column " + std::string(column) +
                    " in the header (expected " + expected + ")");
      }
    }
    if (header.fields.size() != table.m_index.size()) {
      return fail(table.where(header) + ": unexpected columns in the header (expected " + expected +
                  ")");
    }
    table.m_width = header.fields.size();
    table.m_rows.assign(std::make_move_iterator(records->begin() + 1),
                        std::make_move_iterator(records->end()));
    for (const CsvRecord& row : table.m_rows) {
      if (row.fields.size() != table.m_width) {
        return fail(table.where(row) + ": " + std::to_string(row.fields.size()) +
                    " fields, the header has " + std::to_string(table.m_width));
      }
    }
    return table;
  }

  const std::vector<CsvRecord>& rows() const { return m_rows; }
  std::string cell(const CsvRecord& row, std::string_view column) const {
    return trimmed(row.fields[m_index.find(column)->second]);
  }
  // "institutions.csv: line 12".
  std::string where(const CsvRecord& row) const {
    return m_name + ": line " + std::to_string(row.line);
  }
  // "institutions.csv: line 12, column 4 (region_iso)".
  std::string whereCell(const CsvRecord& row, std::string_view column) const {
    return where(row) + ", column " + std::to_string(m_index.find(column)->second + 1) + " (" +
           std::string(column) + ")";
  }

 private:
  std::string m_name;
  std::map<std::string, std::size_t, std::less<>> m_index;
  std::size_t m_width = 0;
  std::vector<CsvRecord> m_rows;
};

// Domain validation with the row's place in front of the record's errors.
template <class T>
Status validated(const T& record, const std::string& where) {
  const Status status = domain::validationStatus(domain::validate(record));
  if (!status) return fail(where + ": " + status.message());
  return Status::ok();
}

std::string categoryNames() {
  std::string names;
  const auto* descriptor = v1::InstitutionCategory_descriptor();
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const auto* value = descriptor->value(i);
    if (value->number() == 0) continue;
    names += (names.empty() ? "" : ", ") + value->name().substr(kCategoryPrefix.size());
  }
  return names;
}

Result<domain::InstitutionCategory> parseCategory(const std::string& text) {
  v1::InstitutionCategory value = v1::INSTITUTION_CATEGORY_UNSPECIFIED;
  if (text.empty() || !v1::InstitutionCategory_Parse(std::string(kCategoryPrefix) + text, &value) ||
      value == v1::INSTITUTION_CATEGORY_UNSPECIFIED) {
    return fail("unknown category '" + text + "' (one of " + categoryNames() + ")");
  }
  return static_cast<domain::InstitutionCategory>(value);
}

Result<std::int32_t> parseCapacity(const std::string& text) {
  if (text.empty()) return 0;  // not known
  std::int32_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < 0) {
    return fail("capacity '" + text + "' is not a whole number from 0 to 2147483647");
  }
  return value;
}

// Rejects a second row with the same value in a column that must be unique.
class UniqueColumn {
 public:
  UniqueColumn(const CsvTable& table, std::string_view column) : m_table(table), m_column(column) {}
  Status check(const CsvRecord& row) {
    const std::string value = m_table.cell(row, m_column);
    const auto [it, inserted] = m_seen.emplace(value, row.line);
    if (inserted) return Status::ok();
    return fail(m_table.whereCell(row, m_column) + ": '" + value + "' repeats line " +
                std::to_string(it->second));
  }

 private:
  const CsvTable& m_table;
  std::string_view m_column;
  std::map<std::string, std::size_t, std::less<>> m_seen;
};

Status readRegions(const std::filesystem::path& file, RegistryData& data) {
  auto table = CsvTable::load(file, {"id", "iso_code", "name_kk", "name_ru", "name_en"});
  if (!table) return table.status();
  UniqueColumn ids(*table, "id");
  UniqueColumn isoCodes(*table, "iso_code");
  for (const CsvRecord& row : table->rows()) {
    OPCAT_RETURN_IF_ERROR(ids.check(row));
    OPCAT_RETURN_IF_ERROR(isoCodes.check(row));
    domain::Region region;
    region.id = table->cell(row, "id");
    region.isoCode = table->cell(row, "iso_code");
    region.name = {table->cell(row, "name_kk"), table->cell(row, "name_ru"),
                   table->cell(row, "name_en")};
    OPCAT_RETURN_IF_ERROR(validated(region, table->where(row)));
    data.regions.push_back({std::move(region), table->where(row)});
  }
  return Status::ok();
}

Status readAuthorities(const std::filesystem::path& file, RegistryData& data) {
  auto table = CsvTable::load(file, {"id", "code", "name_kk", "name_ru", "name_en"});
  if (!table) return table.status();
  UniqueColumn ids(*table, "id");
  UniqueColumn codes(*table, "code");
  for (const CsvRecord& row : table->rows()) {
    OPCAT_RETURN_IF_ERROR(ids.check(row));
    OPCAT_RETURN_IF_ERROR(codes.check(row));
    domain::Authority authority;
    authority.id = table->cell(row, "id");
    authority.code = table->cell(row, "code");
    authority.name = {table->cell(row, "name_kk"), table->cell(row, "name_ru"),
                      table->cell(row, "name_en")};
    OPCAT_RETURN_IF_ERROR(validated(authority, table->where(row)));
    data.authorities.push_back({std::move(authority), table->where(row)});
  }
  return Status::ok();
}

Status readInstitutions(const std::filesystem::path& file, RegistryData& data) {
  auto table = CsvTable::load(file, {"id", "category", "authority_code", "region_iso", "name_kk",
                                     "name_ru", "name_en", "address", "capacity"});
  if (!table) return table.status();
  std::map<std::string, std::string, std::less<>> authorityIds;
  for (const auto& a : data.authorities) authorityIds[a.record.code] = a.record.id;
  std::map<std::string, std::string, std::less<>> regionIds;
  for (const auto& r : data.regions) regionIds[r.record.isoCode] = r.record.id;

  UniqueColumn ids(*table, "id");
  for (const CsvRecord& row : table->rows()) {
    OPCAT_RETURN_IF_ERROR(ids.check(row));
    domain::Institution institution;
    institution.id = table->cell(row, "id");
    auto category = parseCategory(table->cell(row, "category"));
    if (!category) {
      return fail(table->whereCell(row, "category") + ": " + category.status().message());
    }
    institution.category = *category;
    const std::string authority = table->cell(row, "authority_code");
    const auto authorityId = authorityIds.find(authority);
    if (authorityId == authorityIds.end()) {
      return fail(table->whereCell(row, "authority_code") + ": no authority with code '" +
                  authority + "' in the authorities file");
    }
    institution.authorityId = authorityId->second;
    const std::string iso = table->cell(row, "region_iso");
    const auto regionId = regionIds.find(iso);
    if (regionId == regionIds.end()) {
      return fail(table->whereCell(row, "region_iso") + ": no region with ISO code '" + iso +
                  "' in the regions file");
    }
    institution.regionId = regionId->second;
    institution.name = {table->cell(row, "name_kk"), table->cell(row, "name_ru"),
                        table->cell(row, "name_en")};
    institution.address = table->cell(row, "address");
    auto capacity = parseCapacity(table->cell(row, "capacity"));
    if (!capacity) {
      return fail(table->whereCell(row, "capacity") + ": " + capacity.status().message());
    }
    institution.capacity = *capacity;
    institution.active = true;
    OPCAT_RETURN_IF_ERROR(validated(institution, table->where(row)));
    data.institutions.push_back({std::move(institution), table->where(row)});
  }
  return Status::ok();
}

template <class T>
Status writeAll(db::StoreSession& session, const std::vector<Located<T>>& records,
                std::int64_t nowMs, WriteCounts& counts) {
  for (const Located<T>& located : records) {
    auto outcome = writeOfficeRecord(session, located.record, nowMs);
    if (!outcome) {
      return Status::error(outcome.status().code(),
                           located.where + ": " + outcome.status().message());
    }
    counts.add(*outcome);
  }
  return Status::ok();
}

int runImportRegistry(AdminContext& context, const AdminArgs& args) {
  RegistryFiles files;
  files.regions = args.value("--regions").value_or((referenceDataDir() / "regions.csv").string());
  files.authorities =
      args.value("--authorities").value_or((referenceDataDir() / "authorities.csv").string());
  files.institutions = *args.value("--institutions");
  auto data = readRegistry(files);
  if (!data) return context.refuse(data.status().message() + "; nothing was imported");

  db::ServerStore* store = context.store();
  if (store == nullptr) return context.openFailureExit();
  RegistryCounts counts;
  const Status written = store->write([&](db::StoreSession& session) -> Status {
    auto result = writeRegistry(session, *data, context.now());
    if (!result) return result.status();
    counts = *result;
    return Status::ok();
  });
  if (!written) return context.refuse(written.message() + "; nothing was imported");

  std::ostream& out = context.out();
  out << "registry imported\n"
      << "  regions:      " << counts.regions.total() << " (" << counts.regions.text() << ") from "
      << files.regions.string() << "\n"
      << "  authorities:  " << counts.authorities.total() << " (" << counts.authorities.text()
      << ") from " << files.authorities.string() << "\n"
      << "  institutions: " << counts.institutions.total() << " (" << counts.institutions.text()
      << ") from " << files.institutions.string() << "\n";
  return kExitOk;
}

}  // namespace

std::filesystem::path referenceDataDir() { return OPCAT_DATA_DIR; }

Result<RegistryData> readRegistry(const RegistryFiles& files) {
  RegistryData data;
  OPCAT_RETURN_IF_ERROR(readRegions(files.regions, data));
  OPCAT_RETURN_IF_ERROR(readAuthorities(files.authorities, data));
  OPCAT_RETURN_IF_ERROR(readInstitutions(files.institutions, data));
  return data;
}

Result<RegistryCounts> writeRegistry(db::StoreSession& session, const RegistryData& data,
                                     std::int64_t nowMs) {
  RegistryCounts counts;
  OPCAT_RETURN_IF_ERROR(writeAll(session, data.regions, nowMs, counts.regions));
  OPCAT_RETURN_IF_ERROR(writeAll(session, data.authorities, nowMs, counts.authorities));
  // Keep what the office recorded about an institution that the files do not hold.
  std::vector<Located<domain::Institution>> institutions = data.institutions;
  for (Located<domain::Institution>& located : institutions) {
    auto stored = loadLiveRecord<domain::Institution>(session, located.record.id);
    if (!stored) return stored.status();
    if (*stored) {
      located.record.population = (*stored)->population;
      located.record.active = (*stored)->active;
    }
  }
  OPCAT_RETURN_IF_ERROR(writeAll(session, institutions, nowMs, counts.institutions));
  return counts;
}

AdminCommand importRegistryCommand() {
  return AdminCommand{
      "import-registry",
      "[--regions FILE] [--authorities FILE] --institutions FILE",
      "import regions, authorities and institutions from CSV files",
      "  --regions FILE        id,iso_code,name_kk,name_ru,name_en (default: the repository's\n"
      "                        sync-server/data/regions.csv)\n"
      "  --authorities FILE    id,code,name_kk,name_ru,name_en (default: the repository's\n"
      "                        sync-server/data/authorities.csv)\n"
      "  --institutions FILE   id,category,authority_code,region_iso,name_kk,name_ru,name_en,\n"
      "                        address,capacity; category is e.g. PENAL_COLONY\n"
      "\n"
      "Files are UTF-8 CSV (RFC 4180) with a header row, at most 50 MiB and 100,000 rows.\n"
      "Ids come from the files: importing again updates records. A bad row stops the import\n"
      "with its file, line and column, and nothing is imported.\n",
      {{"--regions", OptionSpec::Kind::kValue, false},
       {"--authorities", OptionSpec::Kind::kValue, false},
       {"--institutions", OptionSpec::Kind::kValue, true}},
      false,
      &runImportRegistry};
}

}  // namespace opcat::server::admin
