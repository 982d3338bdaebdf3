// ChangeOracle: every change the tablets made, read back from their outboxes before each sync,
// and what SYNC.md's rules say must follow from them on every replica after a full sync:
//  - each value written is still a head of its field (current value or open conflict) unless a
//    later edit whose author had seen it replaced it (that edit's `supersedes`): nothing lost;
//  - no other head exists: nothing unexpected;
//  - a record is deleted exactly when it has deletes and every remaining head was seen by one,
//    and is flagged (conflict or restored after a delete) exactly when the heads say so, a
//    restore only until an edit names every delete as seen.
// It does not re-run the merge: it works on sets of versions, so it can catch the merge out.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/tablet_store.h"
#include "support/store_digest.h"
#include "sync/change.h"

namespace opcat::testing {

class ChangeOracle {
 public:
  // Takes in the changes waiting in `store`'s outbox that it has not seen yet. Call it before
  // every sync: an entry leaves the outbox only once the server acknowledged it.
  Status collectOutbox(storage::TabletStore& store);
  void add(const sync::Change& change);

  std::size_t changeCount() const { return m_seen.size(); }
  bool knows(const std::string& recordId) const { return m_records.contains(recordId); }

  // Whether `head` of `recordId` is a value some collected change wrote, with that value and
  // author.
  bool wrote(const std::string& recordId, const HeadDigest& head) const;

  // Records that must be flagged for a person (an open conflict, or restored after a delete).
  std::set<std::string> expectedFlagged() const;

  // Compares `replica` with the oracle for every record the oracle knows; records of the
  // replica the oracle does not know are reported unless listed in `othersAllowed` (e.g. the
  // visit the office planned). One line per problem; empty when all is as expected.
  std::vector<std::string> check(const StoreDigest& replica,
                                 const std::set<std::string>& othersAllowed = {}) const;

 private:
  struct Written {
    std::string value;
    std::string authorId;
  };
  struct RecordOracle {
    domain::RecordKind kind = domain::RecordKind::kFinding;
    std::map<std::uint32_t, std::map<sync::FieldVersion, Written>> written;
    std::map<std::uint32_t, std::set<sync::FieldVersion>> superseded;
    std::set<sync::FieldVersion> seenByDeletes;
    std::set<sync::FieldVersion> deletes;             // each delete's own version
    std::set<sync::FieldVersion> deletesSeenByEdits;  // deletes that edits named as seen

    std::set<HeadDigest> expectedHeads() const;
    bool expectedDeleted() const;
  };

  std::set<std::pair<std::string, std::uint64_t>> m_seen;  // (device, sequence)
  std::map<std::string, RecordOracle> m_records;
};

}  // namespace opcat::testing
