#include "sync/client/sync_plan.h"

namespace opcat::sync {

std::size_t SyncPlan::pendingChanges() const {
  std::size_t n = 0;
  for (const auto& batch : pushBatches) n += batch.size();
  return n;
}

Result<SyncPlan> planSync(storage::TabletStore& store, const SyncLimits& limits) {
  SyncPlan plan;
  auto cursor = store.pullCursor();
  if (!cursor) return cursor.status();
  plan.pullFrom = *cursor;
  const std::size_t most = limits.pushBatchChanges * limits.maxPushBatches;
  auto slots = storage::Outbox(store).slots(most);
  if (!slots) return slots.status();
  PushBatch batch;
  for (auto& slot : *slots) {
    const std::size_t size = slot.encodedBytes;
    if (batch.size() > 0 &&
        (batch.size() >= limits.pushBatchChanges || batch.bytes + size > limits.pushBatchBytes)) {
      plan.pushBatches.push_back(std::move(batch));
      batch = PushBatch{};
    }
    batch.bytes += size;
    batch.sequences.push_back(slot.sequence);
    batch.recordIds.push_back(std::move(slot.recordId));
  }
  if (batch.size() > 0) plan.pushBatches.push_back(std::move(batch));
  return plan;
}

}  // namespace opcat::sync
