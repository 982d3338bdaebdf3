// Whole-file reads and writes for tests that inspect or damage what the code under test wrote.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <sstream>
#include <string>
#include <vector>

namespace opcat::testing {

// The file's bytes; empty when it cannot be read.
inline std::string readFile(const std::filesystem::path& path) {
  // Read through a stringstream: GCC 12 at -O2 warns (-Wnull-dereference) inside libstdc++'s
  // istreambuf_iterator, a false positive that -Werror would turn into a build failure.
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

inline std::vector<std::uint8_t> readBytes(const std::filesystem::path& path) {
  const std::string bytes = readFile(path);
  return {bytes.begin(), bytes.end()};
}

// Replaces the file's content with `bytes`.
inline void writeBytes(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()),
            static_cast<std::streamsize>(bytes.size()));
}

}  // namespace opcat::testing
