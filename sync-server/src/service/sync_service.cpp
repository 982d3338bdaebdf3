#include "service/sync_service.h"

#include <algorithm>
#include <span>

#include "service/audit_log.h"

namespace opcat::server {
namespace {

// A group stops growing at this many changes, so one commit stays short.
constexpr std::size_t kMaxChangesPerGroup = 20'000;

}  // namespace

SyncService::SyncService(db::ServerStore& store, Clock nowMs)
    : m_store(store), m_nowMs(nowMs), m_writer([this] { writerLoop(); }) {}

SyncService::~SyncService() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_wake.notify_all();
  m_writer.join();
}

Result<PushResult> SyncService::push(const Actor& actor, std::vector<sync::Change> changes) {
  Job job;
  job.actor = actor;
  job.changes = std::move(changes);
  job.slots.resize(job.changes.size());
  auto result = job.done.get_future();
  {
    std::lock_guard lock(m_mutex);
    if (m_stopping) return Status::error(StatusCode::kUnavailable, "the server is stopping");
    m_queue.push_back(&job);
  }
  m_wake.notify_one();
  prepare(job);
  return result.get();
}

void SyncService::prepare(Job& job) {
  for (;;) {
    const std::size_t i = job.nextToClaim.fetch_add(1);
    if (i >= job.changes.size()) return;
    std::optional<PreparedChange> prepared;
    try {
      prepared = prepareChange(job.changes[i]);
    } catch (...) {
      // Out of memory, most likely: the writer does this one itself. The job is queued and
      // refers to this frame, so nothing may unwind past the wait for its result.
    }
    {
      std::lock_guard lock(job.progressMutex);
      job.slots[i] = {true, std::move(prepared)};
    }
    job.progress.notify_one();
  }
}

PreparedChange* SyncService::claimOrWait(Job& job, std::size_t index) {
  std::size_t unclaimed = index;
  if (job.nextToClaim.compare_exchange_strong(unclaimed, index + 1)) return nullptr;
  std::unique_lock lock(job.progressMutex);
  Job::Slot& slot = job.slots[index];
  job.progress.wait(lock, [&] { return slot.ready; });
  return slot.prepared ? &*slot.prepared : nullptr;
}

void SyncService::writerLoop() {
  for (;;) {
    std::vector<Job*> group;
    {
      std::unique_lock lock(m_mutex);
      m_wake.wait(lock, [&] { return m_stopping || !m_queue.empty(); });
      if (m_queue.empty()) return;  // stopping, and nothing left to do
      std::size_t changes = 0;
      while (!m_queue.empty() && (group.empty() || changes + m_queue.front()->changes.size() <=
                                                       kMaxChangesPerGroup)) {
        changes += m_queue.front()->changes.size();
        group.push_back(m_queue.front());
        m_queue.pop_front();
      }
    }
    commitGroup(group);
  }
}

// The whole group in one transaction, with no savepoint per push: a savepoint makes SQLite copy
// every page the push then touches into its sub-journal, in memory (a 400-change delta: 5 MB of
// 16 KiB pages, a quarter of the writer's time, and 750 page faults). A push fails only on a
// fault of the store, which is rare; then the group is rolled back and each of its pushes is
// applied again in a transaction of its own, so one push's fault fails no other.
void SyncService::commitGroup(std::vector<Job*>& group) {
  std::vector<Result<PushResult>> results(group.size(),
                                          Status::error(StatusCode::kInternal, "not run"));
  Status committed = m_store.write([&](db::StoreSession& session) -> Status {
    const std::int64_t now = m_nowMs();
    for (std::size_t j = 0; j < group.size(); ++j) {
      results[j] = applyJob(session, *group[j], now, /*usePrepared=*/true);
      OPCAT_RETURN_IF_ERROR(results[j].status());
    }
    return setCursors(session, results);
  });
  if (!committed.isOk() && group.size() > 1) {
    for (std::size_t j = 0; j < group.size(); ++j) {
      // The first attempt used up what was prepared; alone, the writer does all the work.
      const Status retried = m_store.write([&](db::StoreSession& session) -> Status {
        results[j] = applyJob(session, *group[j], m_nowMs(), /*usePrepared=*/false);
        OPCAT_RETURN_IF_ERROR(results[j].status());
        return setCursors(session, std::span(&results[j], 1));
      });
      if (!retried.isOk()) results[j] = retried;
    }
    committed = Status::ok();  // each result now says how its own transaction ended
  }
  for (std::size_t j = 0; j < group.size(); ++j) {
    // Acknowledged only now that the commit is durable; if it failed, nothing took effect.
    group[j]->done.set_value(committed.isOk() ? std::move(results[j])
                                              : Result<PushResult>(committed));
  }
}

Result<PushResult> SyncService::applyJob(db::StoreSession& session, Job& job, std::int64_t now,
                                         bool usePrepared) {
  PushResult out;
  out.verdicts.reserve(job.changes.size());
  for (std::size_t i = 0; i < job.changes.size(); ++i) {
    const sync::Change& change = job.changes[i];
    PreparedChange* prepared = usePrepared ? claimOrWait(job, i) : nullptr;
    auto verdict = applyChange(session, job.actor, change, prepared);
    if (!verdict) return verdict.status();
    // Attempts to reach other teams' data or read-only records are security events.
    if (!verdict->accepted && (verdict->problem == ProblemCode::kForbidden ||
                               verdict->problem == ProblemCode::kReadOnlyForDevices)) {
      OPCAT_RETURN_IF_ERROR(
          appendAudit(session, now, job.actor.deviceId, "change.refused", verdict->reason));
    }
    out.verdicts.push_back(std::move(verdict).value());
  }
  if (job.actor.kind == Actor::Kind::kDevice) {
    OPCAT_RETURN_IF_ERROR(session.touchDevice(job.actor.deviceId, now));
  }
  return out;
}

Status SyncService::setCursors(db::StoreSession& session,
                               std::span<Result<PushResult>> results) {
  auto head = session.logHead();
  if (!head) return head.status();
  for (auto& r : results) {
    if (r.isOk()) r->cursor = *head;
  }
  return Status::ok();
}

Result<PullResult> SyncService::pull(const Actor& actor, std::uint64_t cursor, std::size_t limit) {
  limit = std::clamp<std::size_t>(limit, 1, kMaxPullLimit);
  PullResult out;
  const Status read = m_store.read([&](db::StoreSession& session) -> Status {
    auto page = session.readLogForMonitor(cursor, limit, actor.monitorId, actor.deviceId);
    if (!page) return page.status();
    for (auto& entry : page->first) out.encodedChanges.push_back(std::move(entry.encoded));
    out.nextCursor = page->second;
    auto head = session.logHead();
    if (!head) return head.status();
    out.hasMore = out.nextCursor < *head;
    return Status::ok();
  });
  if (!read.isOk()) return read;
  return out;
}

}  // namespace opcat::server
