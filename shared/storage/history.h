// The history of every local change: who changed which fields of a record, when, and what the
// previous values were, for audit and for showing a conflict's sides. Entries are sealed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "sync/hlc.h"

namespace opcat::storage {

class TabletStore;

struct FieldEdit {
  std::uint32_t number = 0;
  std::string oldValue;  // encoded field, empty when it was unset
  std::string newValue;  // encoded field, empty when cleared
};

struct HistoryEntry {
  std::string authorId;
  std::uint64_t sequence = 0;  // the local change's sequence, 0 for pulled changes
  sync::Hlc hlc;
  bool deleted = false;
  std::vector<FieldEdit> edits;

  std::string serialize() const;
  static Result<HistoryEntry> parse(std::string_view bytes);
};

class History {
 public:
  explicit History(TabletStore& store) : m_store(store) {}
  // Oldest first. kTampered if an entry fails to open.
  Result<std::vector<HistoryEntry>> forRecord(std::string_view recordId);

 private:
  TabletStore& m_store;
};

}  // namespace opcat::storage
