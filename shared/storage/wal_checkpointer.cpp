#include "storage/wal_checkpointer.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace opcat::storage {

Result<std::unique_ptr<WalCheckpointer>> WalCheckpointer::start(const std::filesystem::path& path,
                                                                Database& writer) {
  auto own = Database::open(path, /*create=*/false);
  if (!own) return own.status();
  auto pageSize = writer.prepare("PRAGMA page_size");
  if (!pageSize) return pageSize.status();
  if (!pageSize->step() || pageSize->columnInt(0) <= 0) {
    return Status::error(StatusCode::kDatabaseError,
                         "cannot read the page size of " + path.string());
  }
  return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(
      std::move(own).value(), writer, static_cast<int>(pageSize->columnInt(0))));
}

WalCheckpointer::WalCheckpointer(std::unique_ptr<Database> own,
                                 Database& writer, int pageSize)
    : m_own(std::move(own)),
      m_writer(writer),
      m_signalPages(static_cast<int>(kSignalBytes / pageSize)),
      m_hardLimitPages(static_cast<int>(kHardLimitBytes / pageSize)),
      m_thread([this] { run(); }) {
  // Replaces the automatic checkpoint, which is itself a WAL hook.
  sqlite3_wal_hook(m_writer.handle(), &WalCheckpointer::onCommit, this);
}

WalCheckpointer::~WalCheckpointer() {
  sqlite3_wal_hook(m_writer.handle(), nullptr, nullptr);
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  m_thread.join();
}

// Runs on the writer's thread, after each commit, with the WAL's size in pages.
int WalCheckpointer::onCommit(void* self, sqlite3* db, const char* schema, int walPages) {
  auto& me = *static_cast<WalCheckpointer*>(self);
  if (walPages >= me.m_hardLimitPages) {
    // PASSIVE never blocks on readers; what it cannot copy now is copied by a later round.
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (walPages >= me.m_signalPages) {
    {
      std::lock_guard lock(me.m_mutex);
      me.m_pending = true;
    }
    me.m_wake.notify_one();
  }
  return SQLITE_OK;
}

void WalCheckpointer::run() {
  // Copying the log into the database can wait; the requests (on the tablet, the person) cannot.
  // On two cores a checkpoint of a large pull ran beside the writer and its preparer and took a
  // quarter of the CPU during the next push. On Linux the nice value is per thread. Best effort:
  // a refusal leaves the thread at normal priority, and kHardLimitBytes bounds the log if
  // checkpoints fall behind.
  const auto self = static_cast<id_t>(gettid());
  errno = 0;
  const int nice = getpriority(PRIO_PROCESS, self);
  if (errno == 0) setpriority(PRIO_PROCESS, self, std::min(nice + kLowerPriorityBy, 19));
  for (;;) {
    {
      std::unique_lock lock(m_mutex);
      m_wake.wait(lock, [&] { return m_stopping || m_pending; });
      if (m_stopping) return;
      m_pending = false;
    }
    // A failed round (busy with the writer's own hard-limit checkpoint) is retried on the next
    // signal; the WAL keeps every frame until some checkpoint copies it.
    sqlite3_wal_checkpoint_v2(m_own->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                              nullptr);
  }
}

}  // namespace opcat::storage
