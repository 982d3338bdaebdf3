// The layout of a tablet's data folder. Everything in it is ciphertext except ids, kinds, parent
// ids, clocks and sync state; the key file is the only way in.
#pragma once

#include <filesystem>

namespace opcat::storage {

struct DataFolder {
  static std::filesystem::path keyFile(const std::filesystem::path& dir) {
    return dir / "opcat.key";
  }
  static std::filesystem::path database(const std::filesystem::path& dir) {
    return dir / "opcat.db";
  }
  static std::filesystem::path attachments(const std::filesystem::path& dir) {
    return dir / "attachments";
  }
};

}  // namespace opcat::storage
