// Content rebuilt from merged heads is the same on every replica, whatever the arrival order,
// including concurrent edits that set different members of one oneof (Observation.answer).
#include "sync/codec/merged_content.h"

#include <gtest/gtest.h>

#include "domain/observation.h"
#include "sync/codec/record_codec.h"
#include "sync/codec/record_fields.h"

namespace opcat::codec {
namespace {

const std::string kTablet = "aaaaaaaa-0000-4000-8000-000000000001";
const std::string kOffice = "bbbbbbbb-0000-4000-8000-000000000002";

domain::Observation observation(domain::ObservationAnswer answer) {
  domain::Observation o;
  o.id = "cccccccc-0000-4000-8000-000000000003";
  o.visitId = "dddddddd-0000-4000-8000-000000000004";
  o.area = domain::ThematicArea::kMaterialConditions;
  o.answer = std::move(answer);
  return o;
}

sync::Change edit(const std::string& device, std::uint64_t hlc, const domain::Observation& before,
                  const domain::Observation& after, const sync::RecordMergeState& seen) {
  sync::Change c;
  c.id = {device, hlc};
  c.kind = domain::RecordKind::kObservation;
  c.recordId = after.id;
  c.hlc = sync::Hlc(hlc);
  c.fields = *diffFields(c.kind, encode(before), encode(after));
  for (auto& f : c.fields) f.hlc = c.hlc;
  sync::stampLocalChange(seen, c);
  return c;
}

// Applies changes in order the way a replica does: merge, then rebuild what changed.
std::string replay(const std::string& start, sync::RecordMergeState state,
                   const std::vector<sync::Change>& changes) {
  std::string content = start;
  for (const auto& c : changes) {
    const auto outcome = sync::applyChange(state, c);
    content = *rebuildContent(c.kind, content, state, outcome.currentChanged);
  }
  return content;
}

TEST(MergedContentTest, TheNewestOneofMemberWinsInEitherOrder) {
  const auto original = observation(true);
  sync::RecordMergeState base;
  sync::Change create;
  create.id = {kOffice, 1};
  create.kind = domain::RecordKind::kObservation;
  create.recordId = original.id;
  create.hlc = sync::Hlc(5);
  create.fields = *splitFields(create.kind, encode(original));
  for (auto& f : create.fields) f.hlc = create.hlc;
  sync::applyChange(base, create);
  const std::string start = encode(original);

  const auto text = observation(std::string("Окна заварены"));
  const auto number = observation(std::int64_t{3});
  const sync::Change fromTablet = edit(kTablet, 20, original, text, base);   // newer
  const sync::Change fromOffice = edit(kOffice, 10, original, number, base);  // older

  const std::string a = replay(start, base, {fromTablet, fromOffice});
  const std::string b = replay(start, base, {fromOffice, fromTablet});
  EXPECT_EQ(a, b);
  EXPECT_EQ(*decode<domain::Observation>(a), text);
}

}  // namespace
}  // namespace opcat::codec
