#include "sync/codec/change_codec.h"

#include <gtest/gtest.h>

#include <functional>
#include <random>
#include <string>
#include <vector>

#include "opcat/v1/change.pb.h"
#include "sync/codec/change_proto.h"

namespace opcat::codec {
namespace {

constexpr const char* kDevice = "3f2b8c1e-9a4d-4e6f-8b21-0c7d5e9f1a23";
constexpr const char* kRecord = "0b9e1c2d-3a4f-4b5c-8d6e-7f8091a2b3c4";
constexpr const char* kParent = "11111111-2222-4333-8444-555555555555";
constexpr const char* kAuthor = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

sync::Change fullChange() {
  sync::Change c;
  c.id = {kDevice, 42};
  c.kind = domain::RecordKind::kObservation;
  c.recordId = kRecord;
  c.parentId = kParent;
  c.fields = {
      {6, "", sync::Hlc::fromParts(1'700'000'000'000, 2), {}},
      {8, std::string("\x42\x02ok", 4), sync::Hlc::fromParts(1'700'000'000'000, 2),
       {{sync::Hlc::fromParts(1'699'000'000'000, 0), kDevice},
        {sync::Hlc::fromParts(1'699'000'000'001, 3), kAuthor}}},
      {10, std::string("\x52\x03\x00\xff\x01", 5), sync::Hlc::fromParts(1'699'999'999'999, 7),
       {}},
  };
  c.hlc = sync::Hlc::fromParts(1'700'000'000'000, 2);
  c.deleted = true;
  c.authorId = kAuthor;
  c.deletedVersions = {{sync::Hlc::fromParts(1'699'000'000'000, 0), kDevice}};
  return c;
}

v1::Change validProto() {
  v1::Change proto;
  EXPECT_TRUE(proto.ParseFromString(encodeChange(fullChange())));
  return proto;
}

TEST(ChangeCodecTest, RejectsVersionsWithBadDeviceIdsAndDeletedVersionsOnEdits) {
  v1::Change proto = validProto();
  proto.mutable_fields(1)->mutable_supersedes(0)->set_device_id("not-a-device");
  auto bad = decodeChange(proto.SerializeAsString());
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("fields[1].supersedes[0].device_id"), std::string::npos)
      << bad.status().message();
  proto = validProto();
  proto.set_deleted(false);
  bad = decodeChange(proto.SerializeAsString());
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("deleted_versions"), std::string::npos);
}

TEST(ChangeCodecTest, RoundTripsTheDeletesAnEditSawAndRejectsThemOnADeleteOrOverTheLimit) {
  sync::Change keep = fullChange();
  keep.deleted = false;
  keep.deletedVersions.clear();
  keep.fields.clear();  // a record kept unchanged after it was brought back
  keep.seenDeletes = {{sync::Hlc::fromParts(1'699'500'000'000, 1), kAuthor}};
  const Result<sync::Change> decoded = decodeChange(encodeChange(keep));
  ASSERT_TRUE(decoded.isOk()) << decoded.status().toString();
  EXPECT_EQ(*decoded, keep);

  v1::Change proto = validProto();  // a delete
  v1::FieldVersion* seen = proto.add_seen_deletes();
  seen->set_hlc(5);
  seen->set_device_id(kDevice);
  auto bad = decodeChange(proto.SerializeAsString());
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("seen_deletes: set on a delete"), std::string::npos)
      << bad.status().message();

  proto.set_deleted(false);
  proto.clear_deleted_versions();
  proto.mutable_seen_deletes(0)->set_device_id("not-a-device");
  bad = decodeChange(proto.SerializeAsString());
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("seen_deletes[0].device_id"), std::string::npos)
      << bad.status().message();

  proto.mutable_seen_deletes(0)->set_device_id(kDevice);
  while (static_cast<std::size_t>(proto.seen_deletes_size()) <= kMaxDeletedVersions) {
    *proto.add_seen_deletes() = proto.seen_deletes(0);
  }
  bad = decodeChange(proto.SerializeAsString());
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("seen_deletes: 4097 versions, more than 4096"),
            std::string::npos)
      << bad.status().message();
}

// encodeChange writes the wire format itself; it must be protobuf's serialization, byte for
// byte, or a change would not reach every replica with the same bytes.
std::string protobufBytes(const sync::Change& change) {
  v1::Change proto;
  changeToProto(change, proto);
  std::string out;
  EXPECT_TRUE(proto.SerializeToString(&out));
  return out;
}

TEST(ChangeCodecTest, EncodingWritesExactlyWhatProtobufSerializes) {
  std::vector<sync::Change> changes{sync::Change{}, fullChange()};
  sync::Change sparse;  // every scalar at its default, one empty field value
  sparse.fields.push_back({});
  changes.push_back(sparse);
  std::mt19937 rng(7);
  // Strings of letters (protobuf complains of invalid UTF-8 in string fields) and bytes of
  // anything, of random lengths on both sides of each length prefix's one-byte limit.
  auto text = [&](std::size_t maxBytes) {
    std::string s(rng() % (maxBytes + 1), '\0');
    for (char& c : s) c = static_cast<char>('a' + rng() % 26);
    return s;
  };
  auto bytes = [&](std::size_t maxBytes) {
    std::string s(rng() % (maxBytes + 1), '\0');
    for (char& c : s) c = static_cast<char>(rng());
    return s;
  };
  for (int i = 0; i < 300; ++i) {
    sync::Change c;
    c.id = {text(40), rng() % 3 == 0 ? 0 : (std::uint64_t{rng()} << (rng() % 40))};
    c.kind = static_cast<domain::RecordKind>(static_cast<int>(rng() % 20));  // 0 and 19: out of range, as parsed
    c.recordId = text(40);
    c.parentId = text(40);
    c.hlc = sync::Hlc(rng() % 4 == 0 ? 0 : (std::uint64_t{rng()} << 32 | rng()));
    c.deleted = rng() % 2 == 0;
    c.authorId = text(40);
    for (std::size_t f = 0, n = rng() % 5; f < n; ++f) {
      sync::FieldValue v{rng() % 3 == 0 ? 0 : static_cast<std::uint32_t>(rng() % 300),
                         bytes(rng() % 4 == 0 ? 20000 : 200),
                         sync::Hlc(rng() % 3 == 0 ? 0 : rng()), {}};
      for (std::size_t k = 0, m = rng() % 3; k < m; ++k) {
        v.supersedes.push_back({sync::Hlc(rng() % 2 == 0 ? 0 : rng()), text(40)});
      }
      c.fields.push_back(std::move(v));
    }
    for (std::size_t k = 0, m = rng() % 3; k < m; ++k) {
      c.deletedVersions.push_back({sync::Hlc(rng()), text(40)});
    }
    for (std::size_t k = 0, m = rng() % 3; k < m; ++k) {
      c.seenDeletes.push_back({sync::Hlc(rng()), text(40)});
    }
    changes.push_back(std::move(c));
  }
  for (std::size_t i = 0; i < changes.size(); ++i) {
    EXPECT_EQ(encodeChange(changes[i]), protobufBytes(changes[i])) << "change " << i;
  }
}

TEST(ChangeCodecTest, RoundTripsEveryField) {
  const sync::Change change = fullChange();
  const std::string encoded = encodeChange(change);
  const Result<sync::Change> decoded = decodeChange(encoded);
  ASSERT_TRUE(decoded.isOk()) << decoded.status().toString();
  EXPECT_EQ(*decoded, change);
  EXPECT_EQ(encodeChange(*decoded), encoded);

  const v1::Change proto = validProto();
  EXPECT_EQ(proto.kind(), v1::RECORD_KIND_OBSERVATION);
  EXPECT_EQ(proto.id().sequence(), 42u);
  EXPECT_EQ(proto.fields(2).hlc(), change.fields[2].hlc.packed());
}

TEST(ChangeCodecTest, RoundTripsATopLevelTombstoneWithoutFields) {
  sync::Change change = fullChange();
  change.kind = domain::RecordKind::kRegion;
  change.parentId.clear();
  change.fields.clear();
  change.authorId.clear();
  const Result<sync::Change> decoded = decodeChange(encodeChange(change));
  ASSERT_TRUE(decoded.isOk()) << decoded.status().toString();
  EXPECT_EQ(*decoded, change);
}

TEST(ChangeCodecTest, AcceptsTheLimitsExactly) {
  v1::Change proto = validProto();
  proto.clear_fields();
  for (std::uint32_t n = 1; n <= kMaxFieldsPerChange; ++n) {
    v1::FieldValue* f = proto.add_fields();
    f->set_number(n);
    f->set_hlc(proto.hlc());
  }
  proto.mutable_fields(0)->set_value(std::string(kMaxFieldValueBytes, 'x'));
  const Result<sync::Change> decoded = decodeChange(proto.SerializeAsString());
  ASSERT_TRUE(decoded.isOk()) << decoded.status().toString();
  EXPECT_EQ(decoded->fields.size(), kMaxFieldsPerChange);
}

TEST(ChangeCodecTest, RejectsBytesThatDoNotParse) {
  for (const std::string& bytes : {std::string("\xff\xff\xff", 3), std::string("\x1a\x10short", 7),
                                   encodeChange(fullChange()).substr(0, 20)}) {
    const Result<sync::Change> decoded = decodeChange(bytes);
    ASSERT_FALSE(decoded.isOk());
    EXPECT_EQ(decoded.status().code(), StatusCode::kCorrupt);
  }
}

struct InvalidCase {
  const char* field;  // expected in the message
  std::function<void(v1::Change&)> spoil;
};

TEST(ChangeCodecTest, RejectsEachInvalidFieldByName) {
  const std::vector<InvalidCase> cases = {
      {"Change.kind", [](v1::Change& c) { c.set_kind(v1::RECORD_KIND_UNSPECIFIED); }},
      {"Change.kind", [](v1::Change& c) { c.set_kind(static_cast<v1::RecordKind>(19)); }},
      {"Change.kind", [](v1::Change& c) { c.set_kind(static_cast<v1::RecordKind>(-1)); }},
      {"Change.record_id", [](v1::Change& c) { c.set_record_id(""); }},
      {"Change.record_id", [](v1::Change& c) { c.set_record_id("42"); }},
      {"Change.record_id",
       [](v1::Change& c) { c.set_record_id("0B9E1C2D-3A4F-4B5C-8D6E-7F8091A2B3C4"); }},
      {"Change.parent_id", [](v1::Change& c) { c.set_parent_id("visit-7"); }},
      {"Change.id.device_id", [](v1::Change& c) { c.mutable_id()->set_device_id(""); }},
      {"Change.id.device_id", [](v1::Change& c) { c.clear_id(); }},
      {"Change.id.sequence", [](v1::Change& c) { c.mutable_id()->set_sequence(0); }},
      {"Change.fields[1].number", [](v1::Change& c) { c.mutable_fields(1)->set_number(0); }},
      {"Change.fields: field number 6 appears twice",
       [](v1::Change& c) { c.mutable_fields(2)->set_number(6); }},
      {"Change.fields: 257 fields",
       [](v1::Change& c) {
         for (std::uint32_t n = 100; c.fields_size() < 257; ++n) c.add_fields()->set_number(n);
       }},
      {"Change.fields[2].value",
       [](v1::Change& c) {
         c.mutable_fields(2)->set_value(std::string(kMaxFieldValueBytes + 1, 'x'));
       }},
      {"Change.fields[0].hlc", [](v1::Change& c) { c.mutable_fields(0)->set_hlc(c.hlc() + 1); }},
  };
  for (const InvalidCase& invalid : cases) {
    SCOPED_TRACE(invalid.field);
    v1::Change proto = validProto();
    invalid.spoil(proto);
    const Result<sync::Change> decoded = decodeChange(proto.SerializeAsString());
    ASSERT_FALSE(decoded.isOk());
    EXPECT_EQ(decoded.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(decoded.status().message().find(invalid.field), std::string::npos)
        << decoded.status().message();
  }
}

}  // namespace
}  // namespace opcat::codec
