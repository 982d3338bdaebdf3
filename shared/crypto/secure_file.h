// File helpers for data that must not linger: durable atomic writes and overwrite-then-unlink.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>

#include "core/status.h"

namespace opcat::crypto {

// Writes `bytes` to "<path>.tmp", fsyncs, renames over `path`, fsyncs the folder.
Status writeFileAtomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);

// Overwrites the file's bytes with random data, fsyncs, then unlinks it. Succeeds if absent.
Status overwriteAndRemove(const std::filesystem::path& path);

// fsync of a folder, so a rename or unlink inside it is durable.
Status syncDirectory(const std::filesystem::path& dir);

}  // namespace opcat::crypto
