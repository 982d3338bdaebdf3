#include "sync/codec/wire_reader.h"

#include <google/protobuf/empty.pb.h>
#include <google/protobuf/unknown_field_set.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <map>
#include <random>
#include <string>

#include "opcat/v1/visit.pb.h"

namespace opcat::codec {
namespace {

v1::Finding sampleFinding() {
  v1::Finding f;
  f.set_id("3f2b8c1e-9a4d-4e6f-8b21-0c7d5e9f1a23");
  f.set_severity(v1::SEVERITY_HIGH);
  f.add_standards("NMR 43");
  f.set_title("No water");
  f.mutable_place()->set_room("12");
  f.set_recorded_at_ms(-5);
  return f;
}

TEST(WireReaderTest, ReadsVarintAndLengthDelimitedFields) {
  const std::string bytes = sampleFinding().SerializeAsString();
  EXPECT_EQ(readVarintField(bytes, 5), std::optional<std::uint64_t>(v1::SEVERITY_HIGH));
  const std::optional<std::uint64_t> recordedAt = readVarintField(bytes, 13);
  ASSERT_TRUE(recordedAt.has_value());
  EXPECT_EQ(static_cast<std::int64_t>(*recordedAt), -5);
  EXPECT_EQ(readLengthDelimitedField(bytes, 1),
            std::optional<std::string_view>("3f2b8c1e-9a4d-4e6f-8b21-0c7d5e9f1a23"));
  EXPECT_EQ(readLengthDelimitedField(bytes, 10), std::optional<std::string_view>("No water"));

  const std::optional<std::string_view> place = readLengthDelimitedField(bytes, 12);
  ASSERT_TRUE(place.has_value());
  v1::PlaceInFacility parsed;
  ASSERT_TRUE(parsed.ParseFromArray(place->data(), static_cast<int>(place->size())));
  EXPECT_EQ(parsed.room(), "12");
}

TEST(WireReaderTest, AbsentFieldsAndOtherWireTypesGiveNullopt) {
  const std::string bytes = sampleFinding().SerializeAsString();
  EXPECT_EQ(readVarintField(bytes, 4), std::nullopt);  // kind: default, not on the wire
  EXPECT_EQ(readLengthDelimitedField(bytes, 11), std::nullopt);
  EXPECT_EQ(readVarintField(bytes, 10), std::nullopt);  // title is length-delimited
  EXPECT_EQ(readLengthDelimitedField(bytes, 5), std::nullopt);
  EXPECT_EQ(readVarintField("", 1), std::nullopt);
  EXPECT_EQ(readLengthDelimitedField("", 1), std::nullopt);
}

TEST(WireReaderTest, LastOccurrenceWins) {
  v1::Finding first;
  first.set_title("first");
  first.set_severity(v1::SEVERITY_LOW);
  v1::Finding second;
  second.set_title("second");
  second.set_severity(v1::SEVERITY_CRITICAL);
  const std::string bytes = first.SerializeAsString() + second.SerializeAsString();
  EXPECT_EQ(readLengthDelimitedField(bytes, 10), std::optional<std::string_view>("second"));
  EXPECT_EQ(readVarintField(bytes, 5), std::optional<std::uint64_t>(v1::SEVERITY_CRITICAL));

  v1::Finding merged;
  ASSERT_TRUE(merged.ParseFromString(bytes));  // protobuf agrees
  EXPECT_EQ(merged.title(), "second");
}

TEST(WireReaderTest, SkipsFixedWidthFields) {
  // field 3 fixed64, field 4 fixed32, then field 1 varint 7.
  const std::string bytes("\x19zzzzzzzz\x25zzzz\x08\x07", 16);
  EXPECT_EQ(readVarintField(bytes, 1), std::optional<std::uint64_t>(7));
}

TEST(WireReaderTest, MalformedInputGivesNullopt) {
  const std::vector<std::string> malformed = {
      std::string("\x08", 1),                                               // tag without a value
      std::string("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 12),  // 11-byte varint
      std::string("\x00\x01", 2),                                           // field number 0
      std::string("\x0b\x0c", 2),                                           // a group
      std::string("\x0e\x01", 2),                                           // wire type 6
      std::string("\x0f\x01", 2),                                           // wire type 7
      std::string("\x52\x05xy", 4),                                         // length past the end
      std::string("\x52\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 10),          // huge length
      std::string("\x19zzzz", 5),                                           // fixed64 cut short
      std::string("\x25zz", 3),                                             // fixed32 cut short
      std::string("\x88\x80\x80\x80\x80\x00\x01", 7),                       // tag of six bytes
  };
  for (const std::string& bytes : malformed) {
    SCOPED_TRACE(::testing::PrintToString(bytes));
    for (std::uint32_t n : {0u, 1u, 2u, 10u}) {
      EXPECT_EQ(readVarintField(bytes, n), std::nullopt);
      EXPECT_EQ(readLengthDelimitedField(bytes, n), std::nullopt);
    }
  }
  // A well-formed field before the damage does not rescue the message.
  const std::string damaged = std::string("\x08\x01", 2) + malformed[6];
  EXPECT_EQ(readVarintField(damaged, 1), std::nullopt);
}

TEST(WireReaderTest, TruncationsAgreeWithProtobuf) {
  const std::string bytes = sampleFinding().SerializeAsString();
  for (std::size_t length = 0; length <= bytes.size(); ++length) {
    SCOPED_TRACE(length);
    const std::string prefix = bytes.substr(0, length);
    v1::Finding parsed;
    const bool parses = parsed.ParseFromString(prefix);
    const std::optional<std::uint64_t> severity = readVarintField(prefix, 5);
    const std::optional<std::string_view> title = readLengthDelimitedField(prefix, 10);
    if (!parses) {
      EXPECT_EQ(severity, std::nullopt);
      EXPECT_EQ(title, std::nullopt);
      continue;
    }
    EXPECT_EQ(severity.value_or(0), static_cast<std::uint64_t>(parsed.severity()));
    EXPECT_EQ(std::string(title.value_or("")), parsed.title());
  }
}

// Well-formed top-level fields with numbers 1..6 and random wire types and contents.
std::string randomMessage(std::mt19937& random) {
  std::uniform_int_distribution<int> fieldCount(0, 6);
  std::uniform_int_distribution<std::uint32_t> number(1, 6);
  std::uniform_int_distribution<int> wireType(0, 3);
  std::uniform_int_distribution<std::uint64_t> value;
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 12);
  std::string out;
  const auto putVarint = [&out](std::uint64_t v) {
    while (v >= 0x80) {
      out.push_back(static_cast<char>((v & 0x7F) | 0x80));
      v >>= 7;
    }
    out.push_back(static_cast<char>(v));
  };
  for (int i = fieldCount(random); i > 0; --i) {
    const int type = std::array<int, 4>{0, 1, 2, 5}[static_cast<std::size_t>(wireType(random))];
    putVarint((number(random) << 3) | static_cast<std::uint32_t>(type));
    int raw = type == 1 ? 8 : type == 5 ? 4 : 0;
    if (type == 0) putVarint(value(random) >> (value(random) % 64));
    if (type == 2) {
      raw = length(random);
      putVarint(static_cast<std::uint64_t>(raw));
    }
    for (; raw > 0; --raw) out.push_back(static_cast<char>(byte(random)));
  }
  return out;
}

// Random and damaged messages: never a crash or an out-of-bounds read (the ASan build checks the
// latter), nullopt whenever protobuf rejects the bytes, and otherwise the same last varint per
// field as protobuf (parsing into google.protobuf.Empty, where every field is unknown).
TEST(WireReaderTest, RandomBytesAgreeWithProtobuf) {
  std::mt19937 random(20240611);
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> garbageLength(0, 48);
  std::uniform_int_distribution<int> damage(0, 3);
  int compared = 0;
  int rejected = 0;
  for (int round = 0; round < 6000; ++round) {
    std::string bytes;
    if (round % 3 == 0) {
      bytes.resize(static_cast<std::size_t>(garbageLength(random)));
      for (char& c : bytes) c = static_cast<char>(byte(random));
    } else {
      bytes = randomMessage(random);
      if (!bytes.empty()) {
        std::uniform_int_distribution<std::size_t> at(0, bytes.size() - 1);
        switch (damage(random)) {
          case 0:
            bytes.resize(at(random));
            break;  // truncated
          case 1:
            bytes[at(random)] = static_cast<char>(byte(random));
            break;  // one byte changed
          default:
            break;  // intact
        }
      }
    }

    std::map<std::uint32_t, std::uint64_t> lastVarint;
    std::map<std::uint32_t, std::string> lastBytes;
    google::protobuf::Empty empty;
    bool comparable = empty.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
    if (comparable) {
      const google::protobuf::UnknownFieldSet& set = empty.GetReflection()->GetUnknownFields(empty);
      for (int i = 0; i < set.field_count(); ++i) {
        const google::protobuf::UnknownField& field = set.field(i);
        const auto n = static_cast<std::uint32_t>(field.number());
        if (field.type() == google::protobuf::UnknownField::TYPE_GROUP) comparable = false;
        if (field.type() == google::protobuf::UnknownField::TYPE_VARINT)
          lastVarint[n] = field.varint();
        if (field.type() == google::protobuf::UnknownField::TYPE_LENGTH_DELIMITED) {
          lastBytes[n] = field.length_delimited();
        }
      }
    } else {
      ++rejected;
    }

    for (std::uint32_t n = 1; n <= 7; ++n) {
      const std::optional<std::uint64_t> varint = readVarintField(bytes, n);
      const std::optional<std::string_view> payload = readLengthDelimitedField(bytes, n);
      if (payload) {
        ASSERT_GE(payload->data(), bytes.data());
        ASSERT_LE(payload->data() + payload->size(), bytes.data() + bytes.size());
      }
      if (!comparable) {
        // Rejected by protobuf (or holding a group, which this reader rejects too).
        EXPECT_EQ(varint, std::nullopt) << ::testing::PrintToString(bytes);
        EXPECT_EQ(payload, std::nullopt) << ::testing::PrintToString(bytes);
        continue;
      }
      const auto v = lastVarint.find(n);
      EXPECT_EQ(varint,
                v == lastVarint.end() ? std::nullopt : std::optional<std::uint64_t>(v->second))
          << ::testing::PrintToString(bytes);
      const auto b = lastBytes.find(n);
      EXPECT_EQ(payload,
                b == lastBytes.end() ? std::nullopt : std::optional<std::string_view>(b->second))
          << ::testing::PrintToString(bytes);
    }
    if (comparable) ++compared;
  }
  EXPECT_GT(compared, 2000);
  EXPECT_GT(rejected, 1000);
}

TEST(WireReaderTest, AllTruncationsOfARealRecordAreSafe) {
  v1::Visit v;
  v.set_id("3f2b8c1e-9a4d-4e6f-8b21-0c7d5e9f1a23");
  v.set_planned_start_ms(1'700'000'000'000);
  for (int i = 0; i < 20; ++i)
    v.add_phases()->set_notes(std::string(static_cast<std::size_t>(i), 'n'));
  const std::string bytes = v.SerializeAsString();
  int readable = 0;
  for (std::size_t length = 0; length <= bytes.size(); ++length) {
    const std::string prefix = bytes.substr(0, length);  // a copy, so ASan sees the real end
    if (readVarintField(prefix, 8)) ++readable;
    static_cast<void>(readLengthDelimitedField(prefix, 10));
  }
  EXPECT_GT(readable, 0);
}

}  // namespace
}  // namespace opcat::codec
