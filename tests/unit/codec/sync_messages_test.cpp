#include "sync/codec/sync_messages.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "opcat/v1/sync.pb.h"
#include "sync/codec/change_codec.h"

namespace opcat::codec {
namespace {

sync::Change changeNumber(std::uint64_t sequence, std::size_t valueBytes) {
  sync::Change c;
  c.id = {"3f2b8c1e-9a4d-4e6f-8b21-0c7d5e9f1a23", sequence};
  c.kind = domain::RecordKind::kFinding;
  c.recordId = "0b9e1c2d-3a4f-4b5c-8d6e-7f8091a2b3c4";
  c.parentId = "11111111-2222-4333-8444-555555555555";
  c.hlc = sync::Hlc::fromParts(1'700'000'000'000, static_cast<std::uint16_t>(sequence));
  c.fields = {
      {11,
       "\x5a" + std::string(1, static_cast<char>(valueBytes)) + std::string(valueBytes, 'x'),
       c.hlc,
       {}}};
  return c;
}

// A tablet sends its outbox's stored bytes as they are; the server must read the same request
// as one built from the decoded changes.
TEST(SyncMessagesTest, APushOfStoredBytesIsTheSameRequestAsOneOfChanges) {
  std::vector<sync::Change> changes;
  std::vector<std::string> encoded;
  // Sizes around the one-byte/two-byte length boundary of 127.
  for (std::size_t size : {0u, 1u, 90u, 100u, 120u}) {
    changes.push_back(changeNumber(changes.size() + 1, size));
    encoded.push_back(encodeChange(changes.back()));
  }
  const std::string fromBytes = encodePushRequest(std::span<const std::string>(encoded));
  EXPECT_EQ(fromBytes, encodePushRequest(std::span<const sync::Change>(changes)));
  v1::PushRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(fromBytes));
  ASSERT_EQ(parsed.changes_size(), 5);
  EXPECT_EQ(parsed.changes(4).id().sequence(), 5u);
  EXPECT_TRUE(encodePushRequest(std::span<const std::string>()).empty());
}

}  // namespace
}  // namespace opcat::codec
