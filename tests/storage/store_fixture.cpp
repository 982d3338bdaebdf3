#include "store_fixture.h"

#include <fstream>
#include <sstream>

namespace opcat::testing {

std::vector<std::pair<std::filesystem::path, std::string>> readAllFiles(
    const std::filesystem::path& dir) {
  std::vector<std::pair<std::filesystem::path, std::string>> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    files.emplace_back(entry.path(), bytes.str());
  }
  return files;
}

std::int64_t synchronousLevel(storage::Database& db) {
  auto stmt = db.prepare("PRAGMA synchronous");
  EXPECT_TRUE(stmt.isOk() && stmt->step());
  return stmt->columnInt(0);
}

}  // namespace opcat::testing
