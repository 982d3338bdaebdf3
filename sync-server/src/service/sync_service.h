// Push and pull for tablets. Pushes are committed in groups: a single writer takes every push
// waiting at that moment and applies them in ONE transaction (one fsync); if one push hits a
// fault of the store, the group is rolled back and each push is applied again alone, so one
// failing push cannot affect another. A push is acknowledged only after the commit that made it
// durable. Pulls read a snapshot concurrently with writes.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "core/status.h"
#include "db/server_store.h"
#include "service/change_applier.h"
#include "sync/change.h"

namespace opcat::server {

struct PushResult {
  std::vector<ChangeVerdict> verdicts;  // one per change, in order
  std::uint64_t cursor = 0;             // the log's head after the commit
};

struct PullResult {
  std::vector<std::string> encodedChanges;  // opcat.v1.Change bytes, in log order
  std::uint64_t nextCursor = 0;
  bool hasMore = false;
};

class SyncService {
 public:
  static constexpr std::size_t kMaxPullLimit = 5000;

  using Clock = std::int64_t (*)();
  SyncService(db::ServerStore& store, Clock nowMs);
  ~SyncService();  // finishes queued pushes, then stops the writer
  SyncService(const SyncService&) = delete;
  SyncService& operator=(const SyncService&) = delete;

  // Applies `changes` for `actor` and returns once they are durable (or rejected).
  Result<PushResult> push(const Actor& actor, std::vector<sync::Change> changes);

  // What `actor` (a device) may see after `cursor`, at most `limit` changes.
  Result<PullResult> pull(const Actor& actor, std::uint64_t cursor, std::size_t limit);

 private:
  // A push waiting for the writer. The thread that received it prepares its changes in order
  // (prepareChange) while the writer applies them; when the writer catches up with a change no
  // one has claimed yet, it takes that one itself, so neither thread idles while the other works.
  struct Job {
    Actor actor;
    std::vector<sync::Change> changes;
    std::atomic<std::size_t> nextToClaim{0};  // changes before it are claimed by one side
    // What the receiving thread made of each change it claimed, guarded by progressMutex.
    struct Slot {
      bool ready = false;
      std::optional<PreparedChange> prepared;  // nullopt: the writer does it all
    };
    std::vector<Slot> slots;
    std::mutex progressMutex;
    std::condition_variable progress;
    std::promise<Result<PushResult>> done;
  };
  static void prepare(Job& job);
  // The prepared form of change `index`, or nullptr when the writer is to do all the work.
  static PreparedChange* claimOrWait(Job& job, std::size_t index);
  void writerLoop();
  void commitGroup(std::vector<Job*>& group);
  // One push's changes and its device's last-seen time, inside the caller's transaction; fails
  // only on a fault of the store. Without `usePrepared`, ignores what the receiving thread
  // prepared (a retry: the first attempt used it up).
  static Result<PushResult> applyJob(db::StoreSession& session, Job& job, std::int64_t now,
                                     bool usePrepared);
  // Every successful result's cursor: the log's head in this transaction.
  static Status setCursors(db::StoreSession& session, std::span<Result<PushResult>> results);

  db::ServerStore& m_store;
  Clock m_nowMs;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::deque<Job*> m_queue;
  bool m_stopping = false;
  std::thread m_writer;
};

}  // namespace opcat::server
