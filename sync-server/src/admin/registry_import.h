// `admin import-registry`: regions, subordinating authorities and institutions from CSV files.
// Ids come from the files, so importing again updates records instead of adding new ones. Every
// row is read and checked before anything is written, and all of it is written in one
// transaction: a bad row anywhere imports nothing.
//
// Files (UTF-8, RFC 4180, a header row naming the columns in any order):
//   regions:       id,iso_code,name_kk,name_ru,name_en
//   authorities:   id,code,name_kk,name_ru,name_en
//   institutions:  id,category,authority_code,region_iso,name_kk,name_ru,name_en,address,capacity
// `category` is the suffix of opcat.v1.InstitutionCategory (PENAL_COLONY, ...); `authority_code`
// and `region_iso` name rows of the other two files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "admin/admin_context.h"
#include "admin/office_records.h"
#include "core/status.h"
#include "db/server_store.h"
#include "domain/registry.h"

namespace opcat::server::admin {

struct RegistryFiles {
  std::filesystem::path regions;
  std::filesystem::path authorities;
  std::filesystem::path institutions;
};

// A record read from a file, with where it came from ("institutions.csv: line 12") for errors.
template <class T>
struct Located {
  T record;
  std::string where;
};

struct RegistryData {
  std::vector<Located<domain::Region>> regions;
  std::vector<Located<domain::Authority>> authorities;
  std::vector<Located<domain::Institution>> institutions;
};

struct RegistryCounts {
  WriteCounts regions;
  WriteCounts authorities;
  WriteCounts institutions;
};

// The repository's reference data folder (sync-server/data), where the default files live.
std::filesystem::path referenceDataDir();

// Reads and checks the three files: columns, unique ids and codes, known categories, authority
// codes and region ISO codes, capacities, and each record's domain validation. kInvalidArgument
// naming file, line and column or field.
Result<RegistryData> readRegistry(const RegistryFiles& files);

// Writes the records inside the caller's transaction. Institution fields the files do not hold
// (population snapshots, the active flag) keep their stored values.
Result<RegistryCounts> writeRegistry(db::StoreSession& session, const RegistryData& data,
                                     std::int64_t nowMs);

AdminCommand importRegistryCommand();

}  // namespace opcat::server::admin
