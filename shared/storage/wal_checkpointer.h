// Checkpoints a database's write-ahead log on a thread of its own (the server's store and the
// tablet's). SQLite's default runs the checkpoint inside the commit that crosses 1,000 WAL
// pages, so every few pushes one client waited for the copy into the database file and its
// fsync, and on the tablet the pulled page that crossed it took twice as long. Here the
// writer's commits only signal; the copy overlaps with the next writes. If the log ever grows
// past a hard limit (checkpoints starved by long reads), the writer checkpoints itself, as
// SQLite would.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <thread>

#include "core/status.h"
#include "storage/database.h"

namespace opcat::storage {

class WalCheckpointer {
 public:
  // In bytes, whatever the page size: a WAL frame is one page.
  static constexpr std::int64_t kSignalBytes = 4 << 20;      // SQLite's default: 1,000 4 KiB pages
  static constexpr std::int64_t kHardLimitBytes = 64 << 20;  // the writer steps in
  // The checkpointing thread's nice value is the process's plus this (19 at most, the lowest).
  static constexpr int kLowerPriorityBy = 10;

  // Opens its own connection to `path` and takes over checkpointing from `writer`'s commits.
  static Result<std::unique_ptr<WalCheckpointer>> start(const std::filesystem::path& path,
                                                        Database& writer);
  ~WalCheckpointer();  // finishes a checkpoint in progress, then stops
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

 private:
  WalCheckpointer(std::unique_ptr<Database> own, Database& writer,
                  int pageSize);
  static int onCommit(void* self, sqlite3* db, const char* schema, int walPages);
  void run();

  std::unique_ptr<Database> m_own;
  Database& m_writer;
  const int m_signalPages;
  const int m_hardLimitPages;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  bool m_pending = false;
  bool m_stopping = false;
  std::thread m_thread;
};

}  // namespace opcat::storage
