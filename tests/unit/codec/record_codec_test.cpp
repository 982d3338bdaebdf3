// The typed codec: every record kind round-trips through its opcat.v1 bytes, bad bytes are
// refused, and values this version does not know survive decoding for validation to catch.
#include "sync/codec/record_codec.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "domain/sample_records.h"
#include "domain/validation.h"
#include "sync/codec/record_proto.h"

namespace opcat::codec {
namespace {

using domain::samples::sample;

template <class T>
class RecordCodecTest : public ::testing::Test {};

using RecordTypes =
    ::testing::Types<domain::Region, domain::Authority, domain::Institution,
                     domain::ChecklistTemplate, domain::Monitor, domain::Team, domain::Coordinator,
                     domain::Visit, domain::Observation, domain::Finding, domain::Interview,
                     domain::IdentityRecord, domain::IdentityDetails, domain::DocumentReview,
                     domain::AccessIncident, domain::Attachment, domain::Recommendation,
                     domain::RecommendationEvent, domain::ReviewEvent>;
TYPED_TEST_SUITE(RecordCodecTest, RecordTypes);

TYPED_TEST(RecordCodecTest, FullyPopulatedRecordRoundTrips) {
  const TypeParam record = sample<TypeParam>();
  const std::string bytes = encode(record);
  auto decoded = decode<TypeParam>(bytes);
  ASSERT_TRUE(decoded.isOk()) << decoded.status().toString();
  EXPECT_EQ(*decoded, record);
  EXPECT_EQ(encode(*decoded), bytes);
}

TYPED_TEST(RecordCodecTest, DefaultRecordEncodesToNothingAndBack) {
  EXPECT_EQ(encode(TypeParam{}), "");
  auto decoded = decode<TypeParam>("");
  ASSERT_TRUE(decoded.isOk());
  EXPECT_EQ(*decoded, TypeParam{});
}

TYPED_TEST(RecordCodecTest, EncodingIsDeterministic) {
  EXPECT_EQ(encode(sample<TypeParam>()), encode(sample<TypeParam>()));
}

TYPED_TEST(RecordCodecTest, ProtoMappingRoundTrips) {
  const TypeParam record = sample<TypeParam>();
  EXPECT_EQ(fromProto(toProto(record)), record);
}

// Which fields of each message type (nested ones included) are set anywhere in `message`.
void collectSetFields(const google::protobuf::Message& message,
                      std::map<const google::protobuf::Descriptor*, std::set<int>>& seen) {
  std::set<int>& numbers = seen[message.GetDescriptor()];
  const google::protobuf::Reflection* reflection = message.GetReflection();
  std::vector<const google::protobuf::FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const google::protobuf::FieldDescriptor* field : fields) {
    numbers.insert(field->number());
    if (field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      for (int i = 0; i < reflection->FieldSize(message, field); ++i) {
        collectSetFields(reflection->GetRepeatedMessage(message, field, i), seen);
      }
    } else {
      collectSetFields(reflection->GetMessage(message, field), seen);
    }
  }
}

// The samples set every field of the contract (one member per oneof), so the round trip above
// covers the whole mapping: a field toProto forgot would show up here.
TYPED_TEST(RecordCodecTest, SampleSetsEveryFieldOfTheContract) {
  std::map<const google::protobuf::Descriptor*, std::set<int>> seen;
  collectSetFields(toProto(sample<TypeParam>()), seen);
  for (const auto& [descriptor, numbers] : seen) {
    for (int i = 0; i < descriptor->field_count(); ++i) {
      const google::protobuf::FieldDescriptor* field = descriptor->field(i);
      const google::protobuf::OneofDescriptor* oneof = field->containing_oneof();
      bool set = numbers.count(field->number()) > 0;
      for (int j = 0; oneof != nullptr && j < oneof->field_count(); ++j) {
        set = set || numbers.count(oneof->field(j)->number()) > 0;
      }
      EXPECT_TRUE(set) << field->full_name() << " is never set in the sample";
    }
  }
}

TYPED_TEST(RecordCodecTest, TruncatedBytesAreCorrupt) {
  std::string bytes = encode(sample<TypeParam>());
  bytes.pop_back();  // the last field loses its last byte
  const auto decoded = decode<TypeParam>(bytes);
  ASSERT_FALSE(decoded.isOk());
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorrupt);
}

TYPED_TEST(RecordCodecTest, GarbageIsCorruptNotACrash) {
  for (const std::string& garbage :
       {std::string("not a protobuf"),
        std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 11),
        std::string("\x0a\xff\xff\xff\xff\x0f", 6),
        std::string("\x0a\x05"
                    "ab",
                    4),
        std::string("\x08", 1)}) {
    const auto decoded = decode<TypeParam>(garbage);
    ASSERT_FALSE(decoded.isOk()) << ::testing::PrintToString(garbage);
    EXPECT_EQ(decoded.status().code(), StatusCode::kCorrupt);
  }
}

TEST(RecordCodecErrorTest, CorruptNamesTheMessageTypeNotTheContent) {
  const auto decoded =
      decode<domain::Finding>(std::string("\x52\x05"
                                          "ab",
                                          4));
  ASSERT_FALSE(decoded.isOk());
  EXPECT_EQ(decoded.status().message(), "not a valid opcat.v1.Finding (4 bytes)");
}

TEST(RecordCodecErrorTest, StringThatIsNotUtf8IsCorrupt) {
  v1::Finding p = toProto(sample<domain::Finding>());
  std::string bytes = p.SerializeAsString();
  // Replace the title's first two bytes ("О" in UTF-8) with an overlong encoding of '/'.
  const std::string title = sample<domain::Finding>().title;
  const std::size_t at = bytes.find(title);
  ASSERT_NE(at, std::string::npos);
  bytes[at] = '\xC0';
  bytes[at + 1] = '\xAF';
  const auto decoded = decode<domain::Finding>(bytes);
  ASSERT_FALSE(decoded.isOk());
  EXPECT_EQ(decoded.status().code(), StatusCode::kCorrupt);
}

TEST(RecordCodecErrorTest, UnknownEnumValueSurvivesDecodingAndFailsValidation) {
  v1::Finding p = toProto(sample<domain::Finding>());
  p.set_severity(static_cast<v1::Severity>(99));
  p.set_affected_groups(1, static_cast<v1::AffectedGroup>(42));
  auto decoded = decode<domain::Finding>(p.SerializeAsString());
  ASSERT_TRUE(decoded.isOk()) << decoded.status().toString();
  EXPECT_EQ(static_cast<int>(decoded->severity), 99);
  const auto errors = domain::validate(*decoded);
  ASSERT_EQ(errors.size(), 2u) << domain::test::describe(errors);
  EXPECT_EQ(errors[0].field, "severity");
  EXPECT_EQ(errors[0].rule, "enum_range");
  EXPECT_EQ(errors[0].detail, "99");
  EXPECT_EQ(errors[1].field, "affected_groups[1]");
  EXPECT_EQ(errors[1].rule, "enum_range");
  // And it is kept as received, so a newer peer's value is not lost by re-encoding.
  EXPECT_EQ(toProto(*decoded).severity(), 99);
}

TEST(RecordCodecErrorTest, UnknownNestedEnumValueFailsValidation) {
  v1::Interview p = toProto(sample<domain::Interview>());
  p.set_reprisal_risk(static_cast<v1::ReprisalRisk>(17));
  auto decoded = decode<domain::Interview>(p.SerializeAsString());
  ASSERT_TRUE(decoded.isOk());
  EXPECT_TRUE(domain::test::failsOnly(*decoded, "reprisal_risk", "enum_range"));
}

TEST(RecordCodecErrorTest, UnknownFieldsAreDropped) {
  std::string bytes = encode(sample<domain::ReviewEvent>());
  bytes += std::string("\xf8\x07\x01", 3);  // field 127, varint 1: from a newer contract
  auto decoded = decode<domain::ReviewEvent>(bytes);
  ASSERT_TRUE(decoded.isOk());
  EXPECT_EQ(*decoded, sample<domain::ReviewEvent>());
}

TEST(ObservationCodecTest, EveryAnswerShapeRoundTrips) {
  domain::Observation o = sample<domain::Observation>();
  // Default values included: "no" and 0 are answers, distinct from no answer at all.
  for (const domain::ObservationAnswer& answer :
       {domain::ObservationAnswer{}, domain::ObservationAnswer{false},
        domain::ObservationAnswer{true}, domain::ObservationAnswer{std::int64_t{0}},
        domain::ObservationAnswer{std::int64_t{-3}}, domain::ObservationAnswer{std::string()},
        domain::ObservationAnswer{std::string("Окна закрыты металлическими листами")},
        domain::ObservationAnswer{std::vector<std::string>{}},
        domain::ObservationAnswer{std::vector<std::string>{"poor", "none"}}}) {
    o.answer = answer;
    auto decoded = decode<domain::Observation>(encode(o));
    ASSERT_TRUE(decoded.isOk());
    EXPECT_EQ(decoded->answer, answer) << answer.index();
  }
}

TEST(ProtoMappingTest, FindingFieldsLandWhereTheContractSays) {
  const v1::Finding p = toProto(sample<domain::Finding>());
  EXPECT_EQ(p.id(), domain::samples::kFindingId);
  EXPECT_EQ(p.visit_id(), domain::samples::kVisitId);
  EXPECT_EQ(p.area(), v1::THEMATIC_AREA_MATERIAL_CONDITIONS);
  EXPECT_EQ(p.kind(), v1::FINDING_KIND_VIOLATION);
  EXPECT_EQ(p.severity(), v1::SEVERITY_HIGH);
  EXPECT_EQ(p.urgency(), v1::URGENCY_PRIORITY);
  ASSERT_EQ(p.affected_groups_size(), 2);
  EXPECT_EQ(p.affected_groups(0), v1::AFFECTED_GROUP_PRETRIAL_DETAINEES);
  ASSERT_EQ(p.sources_size(), 3);
  EXPECT_EQ(p.sources(2).kind(), v1::SOURCE_KIND_PHOTO);
  EXPECT_EQ(p.sources(2).record_id(), domain::samples::kAttachmentId);
  EXPECT_EQ(p.title(), "Отсутствие вентиляции в камерах ИВС");
  EXPECT_EQ(p.place().room(), "Камеры 3–6");
  EXPECT_EQ(p.author_monitor_id(), domain::samples::kMonitorId);
}

TEST(ProtoMappingTest, ConsentFlagsAreNotSwapped) {
  domain::Interview i = sample<domain::Interview>();
  i.consent = {true, false, true, false};
  const v1::Interview p = toProto(i);
  EXPECT_TRUE(p.consent().to_interview());
  EXPECT_FALSE(p.consent().to_cite());
  EXPECT_TRUE(p.consent().to_record());
  EXPECT_FALSE(p.consent().to_photograph());
}

TEST(ProtoMappingTest, PopulationCountsAreNotSwapped) {
  const v1::Institution p = toProto(sample<domain::Institution>());
  ASSERT_EQ(p.population_size(), 2);
  const v1::PopulationSnapshot& s = p.population(0);
  EXPECT_EQ(s.total(), 42);
  EXPECT_EQ(s.men(), 39);
  EXPECT_EQ(s.women(), 3);
  EXPECT_EQ(s.minors(), 1);
  EXPECT_EQ(s.foreigners(), 4);
  EXPECT_EQ(s.persons_with_disabilities(), 2);
  EXPECT_EQ(p.name().kk(), sample<domain::Institution>().name.kk);
  EXPECT_EQ(p.name().en(), "Temporary detention facility of the Astana Police Department");
}

TEST(ProtoMappingTest, ObservationAnswerUsesTheOneof) {
  domain::Observation o = sample<domain::Observation>();
  EXPECT_EQ(toProto(o).answer_case(), v1::Observation::kChoices);
  o.answer = false;
  EXPECT_EQ(toProto(o).answer_case(), v1::Observation::kYesNo);
  o.answer = std::monostate{};
  EXPECT_EQ(toProto(o).answer_case(), v1::Observation::ANSWER_NOT_SET);
}

TEST(ProtoMappingTest, EmptyValueTypesAreAbsentFields) {
  domain::Finding f = sample<domain::Finding>();
  f.place = {};
  EXPECT_FALSE(toProto(f).has_place());
  domain::Interview i = sample<domain::Interview>();
  i.consent = {};
  EXPECT_FALSE(toProto(i).has_consent());
  domain::ChecklistTemplate t = sample<domain::ChecklistTemplate>();
  t.questions[0].guidance = {};
  EXPECT_FALSE(toProto(t).questions(0).has_guidance());
}

TEST(ProtoMappingTest, IdentityRecordKeepsBinaryBytes) {
  const domain::IdentityRecord r = sample<domain::IdentityRecord>();
  ASSERT_NE(r.sealedDetails.find('\0'), std::string::npos);
  EXPECT_EQ(toProto(r).sealed_details(), r.sealedDetails);
}

// The domain enums end where the contract's do, so enum_range means what the contract means.
TEST(ProtoMappingTest, EnumRangesMatchTheContract) {
  using domain::lastEnumValue;
  static_assert(static_cast<int>(lastEnumValue(domain::Language{})) == v1::Language_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::ThematicArea{})) == v1::ThematicArea_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::InstitutionCategory{})) ==
                v1::InstitutionCategory_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::AnswerType{})) == v1::AnswerType_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::TeamRole{})) == v1::TeamRole_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::VisitType{})) == v1::VisitType_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::VisitStatus{})) == v1::VisitStatus_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::VisitPhaseKind{})) ==
                v1::VisitPhaseKind_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::FindingKind{})) == v1::FindingKind_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::Severity{})) == v1::Severity_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::Urgency{})) == v1::Urgency_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::AffectedGroup{})) == v1::AffectedGroup_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::SourceKind{})) == v1::SourceKind_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::InterviewKind{})) == v1::InterviewKind_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::IntervieweeCategory{})) ==
                v1::IntervieweeCategory_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::ReprisalRisk{})) == v1::ReprisalRisk_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::DocumentKind{})) == v1::DocumentKind_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::AccessIncidentKind{})) ==
                v1::AccessIncidentKind_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::RecommendationAddressee{})) ==
                v1::RecommendationAddressee_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::RecommendationPriority{})) ==
                v1::RecommendationPriority_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::RecommendationStatus{})) ==
                v1::RecommendationStatus_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::RecommendationEventSource{})) ==
                v1::RecommendationEventSource_MAX);
  static_assert(static_cast<int>(lastEnumValue(domain::ReviewState{})) == v1::ReviewState_MAX);
  SUCCEED();
}

}  // namespace
}  // namespace opcat::codec
