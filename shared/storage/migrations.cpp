#include "storage/migrations.h"

#include <string>

namespace opcat::storage {

Status migrateSchema(Database& db, std::span<const char* const> steps, int target) {
  const int latest = static_cast<int>(steps.size());
  if (target < 0) target = latest;
  auto current = db.userVersion();
  if (!current) return current.status();
  if (*current > latest) {
    return Status::error(StatusCode::kCorrupt,
                         "the store has schema version " + std::to_string(*current) +
                             ", newer than this build's " + std::to_string(latest) +
                             "; update the program");
  }
  for (int version = *current + 1; version <= target; ++version) {
    auto tx = Transaction::begin(db);
    if (!tx) return tx.status();
    OPCAT_RETURN_IF_ERROR(db.exec(steps[static_cast<std::size_t>(version - 1)]));
    OPCAT_RETURN_IF_ERROR(db.exec("PRAGMA user_version=" + std::to_string(version)));
    OPCAT_RETURN_IF_ERROR(tx->commit());
  }
  return Status::ok();
}



}  // namespace opcat::storage
