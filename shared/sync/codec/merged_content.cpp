#include "sync/codec/merged_content.h"

#include <algorithm>
#include <set>
#include <vector>

#include "sync/codec/record_fields.h"
#include "sync/codec/record_validation.h"

namespace opcat::codec {

namespace {

// validation == nullptr: rebuildContent; otherwise rebuildValidatedContent.
Result<std::string> rebuild(domain::RecordKind kind, std::string_view content,
                            const sync::RecordMergeState& merge,
                            std::span<const std::uint32_t> changed, Status* validation) {
  std::set<std::uint32_t> numbers(changed.begin(), changed.end());
  for (const std::uint32_t number : changed) {
    for (const std::uint32_t sibling : oneofSiblings(kind, number)) numbers.insert(sibling);
  }
  struct Current {
    sync::FieldVersion version;
    sync::FieldValue value;
  };
  std::vector<Current> current;
  for (const std::uint32_t number : numbers) {
    const sync::FieldHead* head = merge.current(number);
    if (head == nullptr) continue;
    current.push_back({head->version, {number, head->value, head->version.hlc, {}}});
  }
  std::stable_sort(current.begin(), current.end(),
                   [](const Current& a, const Current& b) { return a.version < b.version; });
  std::vector<sync::FieldValue> values;
  values.reserve(current.size());
  for (auto& c : current) values.push_back(std::move(c.value));
  if (values.empty()) {
    if (validation != nullptr) *validation = validateEncodedRecord(kind, content);
    return std::string(content);
  }
  return validation != nullptr ? applyFieldsValidated(kind, content, values, *validation)
                               : applyFields(kind, content, values);
}

}  // namespace

Result<std::string> rebuildContent(domain::RecordKind kind, std::string_view content,
                                   const sync::RecordMergeState& merge,
                                   std::span<const std::uint32_t> changed) {
  return rebuild(kind, content, merge, changed, nullptr);
}

Result<std::string> rebuildValidatedContent(domain::RecordKind kind, std::string_view content,
                                            const sync::RecordMergeState& merge,
                                            std::span<const std::uint32_t> changed,
                                            Status& validation) {
  return rebuild(kind, content, merge, changed, &validation);
}

}  // namespace opcat::codec
