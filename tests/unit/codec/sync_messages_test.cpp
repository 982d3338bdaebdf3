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

TEST(SyncMessagesTest, APushCanAskForThePullsFirstPageAndReadItBack) {
  const std::vector<std::string> encoded = {encodeChange(changeNumber(1, 10))};
  v1::PushRequest parsed;
  ASSERT_TRUE(parsed.ParseFromString(encodePushRequest(encoded, PullAsk{42, 500})));
  ASSERT_EQ(parsed.changes_size(), 1);
  ASSERT_TRUE(parsed.has_pull());
  EXPECT_EQ(parsed.pull().cursor(), 42u);
  EXPECT_EQ(parsed.pull().limit(), 500u);
  ASSERT_TRUE(parsed.ParseFromString(encodePushRequest(encoded)));
  EXPECT_FALSE(parsed.has_pull()) << "asked for only when given";

  v1::PushResponse response;
  response.set_cursor(7);
  EXPECT_FALSE(decodePushReply(response.SerializeAsString())->pulled.has_value());
  v1::PullResponse* page = response.mutable_pulled();
  page->set_next_cursor(9);
  page->set_has_more(true);
  ASSERT_TRUE(page->add_changes()->ParseFromString(encodeChange(changeNumber(3, 20))));
  auto reply = decodePushReply(response.SerializeAsString());
  ASSERT_TRUE(reply.isOk()) << reply.status().toString();
  ASSERT_TRUE(reply->pulled.has_value());
  EXPECT_EQ(reply->pulled->nextCursor, 9u);
  EXPECT_TRUE(reply->pulled->hasMore);
  ASSERT_EQ(reply->pulled->changes.size(), 1u);
  EXPECT_EQ(reply->pulled->changes[0], changeNumber(3, 20));

  // A damaged change in the page fails the whole reply, as in a pull's.
  page->mutable_changes(0)->set_record_id("not a uuid");
  EXPECT_FALSE(decodePushReply(response.SerializeAsString()).isOk());
}

}  // namespace
}  // namespace opcat::codec
