#include "service/sync_service.h"

#include <algorithm>

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

void SyncService::commitGroup(std::vector<Job*>& group) {
  std::vector<Result<PushResult>> results(group.size(), Status::error(StatusCode::kInternal, "not run"));
  const std::int64_t now = m_nowMs();
  const Status committed = m_store.write([&](db::StoreSession& session) -> Status {
    for (std::size_t j = 0; j < group.size(); ++j) {
      Job& job = *group[j];
      OPCAT_RETURN_IF_ERROR(session.savepoint("push"));
      PushResult out;
      Status failed;
      for (std::size_t i = 0; i < job.changes.size(); ++i) {
        const sync::Change& change = job.changes[i];
        auto verdict = applyChange(session, job.actor, change, claimOrWait(job, i));
        if (!verdict) {
          failed = verdict.status();
          break;
        }
        // Attempts to reach other teams' data or read-only records are security events.
        if (!verdict->accepted && (verdict->problem == ProblemCode::kForbidden ||
                                   verdict->problem == ProblemCode::kReadOnlyForDevices)) {
          failed = appendAudit(session, now, job.actor.deviceId, "change.refused",
                               verdict->reason);
          if (!failed.isOk()) break;
        }
        out.verdicts.push_back(std::move(verdict).value());
      }
      if (failed.isOk() && job.actor.kind == Actor::Kind::kDevice) {
        failed = session.touchDevice(job.actor.deviceId, now);
      }
      if (!failed.isOk()) {
        OPCAT_RETURN_IF_ERROR(session.rollbackTo("push"));
        results[j] = failed;
        continue;
      }
      OPCAT_RETURN_IF_ERROR(session.release("push"));
      results[j] = std::move(out);
    }
    auto head = session.logHead();
    if (!head) return head.status();
    for (auto& r : results) {
      if (r.isOk()) r->cursor = *head;
    }
    return Status::ok();
  });
  for (std::size_t j = 0; j < group.size(); ++j) {
    // Acknowledged only now that the commit is durable; if it failed, nothing took effect.
    group[j]->done.set_value(committed.isOk() ? std::move(results[j]) : Result<PushResult>(committed));
  }
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
