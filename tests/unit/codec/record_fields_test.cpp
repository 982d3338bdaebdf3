#include "sync/codec/record_fields.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "opcat/v1/registry.pb.h"
#include "opcat/v1/visit.pb.h"
#include "sync/codec/record_prototypes.h"
#include "sync/codec/record_validation.h"

namespace opcat::codec {
namespace {

using domain::RecordKind;
using sync::FieldValue;

v1::Finding populatedFinding() {
  v1::Finding f;
  f.set_id("3f2b8c1e-9a4d-4e6f-8b21-0c7d5e9f1a23");
  f.set_visit_id("0b9e1c2d-3a4f-4b5c-8d6e-7f8091a2b3c4");
  f.set_area(v1::THEMATIC_AREA_TREATMENT);
  f.set_kind(v1::FINDING_KIND_VIOLATION);
  f.set_severity(v1::SEVERITY_HIGH);
  f.set_urgency(v1::URGENCY_URGENT);
  f.add_affected_groups(v1::AFFECTED_GROUP_MINORS);
  f.add_affected_groups(v1::AFFECTED_GROUP_WOMEN);
  f.add_standards("NMR 43-45");
  f.add_standards("CPT 21st GR §56-57");
  v1::SourceLink* s = f.add_sources();
  s->set_kind(v1::SOURCE_KIND_INTERVIEW);
  s->set_record_id("11111111-2222-4333-8444-555555555555");
  f.set_title("Нет доступа к воде");
  f.set_description("Cell 12 had no running water for three days.");
  f.mutable_place()->set_building("B");
  f.mutable_place()->set_room("12");
  f.set_recorded_at_ms(1'700'000'000'000);
  f.set_author_monitor_id("aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee");
  return f;
}

v1::Visit visitWithPhases() {
  v1::Visit v;
  v.set_id("3f2b8c1e-9a4d-4e6f-8b21-0c7d5e9f1a23");
  v.set_type(v1::VISIT_TYPE_PERIODIC);
  v.set_announced(false);
  v.set_planned_start_ms(-5);  // negative int64: a ten-byte varint
  for (int i = 1; i <= 3; ++i) {
    v1::VisitPhase* p = v.add_phases();
    p->set_kind(static_cast<v1::VisitPhaseKind>(i));
    p->set_started_at_ms(1000 * i);
    v1::PhaseParticipant* who = p->add_participants();
    who->set_name("Participant " + std::to_string(i));
    who->set_position("deputy head");
  }
  v.set_status(v1::VISIT_STATUS_IN_PROGRESS);
  v.add_recommendation_ids_to_verify("r1");
  return v;
}

v1::ChecklistTemplate checklistWithQuestions() {
  v1::ChecklistTemplate t;
  t.set_id("3f2b8c1e-9a4d-4e6f-8b21-0c7d5e9f1a23");
  t.set_code("SIZO");
  t.set_version(3);
  t.set_category(v1::INSTITUTION_CATEGORY_PRETRIAL_DETENTION);
  t.mutable_title()->set_ru("Чек-лист");
  for (int i = 0; i < 4; ++i) {
    v1::Question* q = t.add_questions();
    q->set_code("TRT-0" + std::to_string(i));
    q->set_answer_type(v1::ANSWER_TYPE_SINGLE_CHOICE);
    q->mutable_text()->set_en("Question " + std::to_string(i));
    v1::AnswerOption* o = q->add_options();
    o->set_code("yes");
    o->mutable_label()->set_kk("иә");
    q->add_standards("NMR " + std::to_string(i));
  }
  t.set_active(true);
  return t;
}

v1::Observation observationBase() {
  v1::Observation o;
  o.set_id("3f2b8c1e-9a4d-4e6f-8b21-0c7d5e9f1a23");
  o.set_question_id("q1");
  o.set_notes("seen in the yard");
  return o;
}

std::vector<v1::Observation> observationsWithEachAnswer() {
  std::vector<v1::Observation> out(5, observationBase());
  out[0].set_yes_no(false);  // a oneof member has presence even at its default
  out[1].set_number(-17);
  out[2].set_text("three beds for five people");
  out[3].mutable_choices()->add_codes("a");
  out[3].mutable_choices()->add_codes("c");
  // out[4]: no answer
  return out;
}

std::string bytesOf(const google::protobuf::Message& m) { return m.SerializeAsString(); }

std::vector<FieldValue> split(RecordKind kind, const std::string& encoded) {
  Result<std::vector<FieldValue>> r = splitFields(kind, encoded);
  EXPECT_TRUE(r.isOk()) << r.status().toString();
  return r.isOk() ? *r : std::vector<FieldValue>{};
}

std::vector<FieldValue> diff(RecordKind kind, const std::string& before, const std::string& after) {
  Result<std::vector<FieldValue>> r = diffFields(kind, before, after);
  EXPECT_TRUE(r.isOk()) << r.status().toString();
  return r.isOk() ? *r : std::vector<FieldValue>{};
}

std::string apply(RecordKind kind, const std::string& base, const std::vector<FieldValue>& fields) {
  Result<std::string> r = applyFields(kind, base, fields);
  EXPECT_TRUE(r.isOk()) << r.status().toString();
  return r.isOk() ? *r : std::string("<error>");
}

std::vector<std::uint32_t> numbersOf(const std::vector<FieldValue>& fields) {
  std::vector<std::uint32_t> out;
  for (const FieldValue& f : fields) out.push_back(f.number);
  return out;
}

void expectSplitApplyRoundTrip(RecordKind kind, const std::string& encoded) {
  const std::vector<FieldValue> fields = split(kind, encoded);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    EXPECT_FALSE(fields[i].value.empty());
    EXPECT_TRUE(fields[i].hlc.isZero());
    if (i > 0) {
      EXPECT_LT(fields[i - 1].number, fields[i].number);
    }
  }
  EXPECT_EQ(apply(kind, "", fields), encoded);
}

TEST(RecordPrototypesTest, EveryKindMapsToTheMessageOfItsName) {
  for (int k = domain::kFirstRecordKind; k <= domain::kLastRecordKind; ++k) {
    const auto kind = static_cast<RecordKind>(k);
    const google::protobuf::Message* prototype = prototypeFor(kind);
    ASSERT_NE(prototype, nullptr) << k;
    EXPECT_EQ(prototype->GetDescriptor()->full_name(),
              "opcat.v1." + std::string(domain::recordKindName(kind)));
  }
  EXPECT_EQ(prototypeFor(static_cast<RecordKind>(0)), nullptr);
  EXPECT_EQ(prototypeFor(static_cast<RecordKind>(19)), nullptr);
}

TEST(RecordFieldsTest, SplitThenApplyReproducesFinding) {
  const v1::Finding f = populatedFinding();
  expectSplitApplyRoundTrip(RecordKind::kFinding, bytesOf(f));
  EXPECT_EQ(split(RecordKind::kFinding, bytesOf(f)).size(), 14u);
}

TEST(RecordFieldsTest, SplitThenApplyReproducesVisitWithRepeatedPhases) {
  const std::vector<FieldValue> fields = split(RecordKind::kVisit, bytesOf(visitWithPhases()));
  // announced=false is the default, so not set; the three phases travel as one field.
  EXPECT_EQ(numbersOf(fields), (std::vector<std::uint32_t>{1, 4, 8, 10, 11, 13}));
  v1::Visit phasesOnly;
  *phasesOnly.mutable_phases() = visitWithPhases().phases();
  EXPECT_EQ(fields[3].value, bytesOf(phasesOnly));
  expectSplitApplyRoundTrip(RecordKind::kVisit, bytesOf(visitWithPhases()));
}

TEST(RecordFieldsTest, SplitThenApplyReproducesChecklistWithNestedQuestions) {
  expectSplitApplyRoundTrip(RecordKind::kChecklistTemplate, bytesOf(checklistWithQuestions()));
}

TEST(RecordFieldsTest, SplitThenApplyReproducesObservationWithEachAnswer) {
  const std::vector<std::uint32_t> answerNumbers = {6, 7, 8, 9};
  const std::vector<v1::Observation> samples = observationsWithEachAnswer();
  for (std::size_t i = 0; i < samples.size(); ++i) {
    SCOPED_TRACE(i);
    const std::string encoded = bytesOf(samples[i]);
    expectSplitApplyRoundTrip(RecordKind::kObservation, encoded);
    const std::vector<std::uint32_t> numbers = numbersOf(split(RecordKind::kObservation, encoded));
    for (std::size_t a = 0; a < answerNumbers.size(); ++a) {
      const bool present =
          std::find(numbers.begin(), numbers.end(), answerNumbers[a]) != numbers.end();
      EXPECT_EQ(present, a == i) << "answer field " << answerNumbers[a];
    }
  }
}

TEST(RecordFieldsTest, SplitOfEmptyRecordIsEmpty) {
  EXPECT_TRUE(split(RecordKind::kFinding, "").empty());
}

TEST(RecordFieldsTest, SplitRejectsCorruptBytesAndBadKind) {
  const Result<std::vector<FieldValue>> corrupt =
      splitFields(RecordKind::kFinding, std::string("\x52\x05xy", 4));
  ASSERT_FALSE(corrupt.isOk());
  EXPECT_EQ(corrupt.status().code(), StatusCode::kCorrupt);
  EXPECT_NE(corrupt.status().message().find("Finding"), std::string::npos);

  const Result<std::vector<FieldValue>> badKind = splitFields(static_cast<RecordKind>(0), "");
  ASSERT_FALSE(badKind.isOk());
  EXPECT_EQ(badKind.status().code(), StatusCode::kInvalidArgument);
}

TEST(RecordFieldsTest, UnknownFieldsAreDropped) {
  const v1::Finding f = populatedFinding();
  // Field 99 (varint) at top level, and field 7 inside `place`, which PlaceInFacility lacks.
  const std::string withUnknown = bytesOf(f) + std::string("\x98\x06\x01", 3);
  const std::vector<FieldValue> fields = split(RecordKind::kFinding, withUnknown);
  EXPECT_EQ(fields.size(), 14u);
  EXPECT_EQ(apply(RecordKind::kFinding, withUnknown, {}), bytesOf(f));

  const std::string place = std::string("\x0a\x01z\x38\x01", 5);
  const std::vector<FieldValue> placeValue = {
      FieldValue{12, std::string("\x62") + static_cast<char>(place.size()) + place, sync::Hlc(), {}}};
  v1::Finding expected;
  expected.mutable_place()->set_building("z");
  EXPECT_EQ(apply(RecordKind::kFinding, "", placeValue), bytesOf(expected));
}

TEST(RecordFieldsTest, DiffOfNewRecordIsItsSplit) {
  const std::string after = bytesOf(populatedFinding());
  EXPECT_EQ(diff(RecordKind::kFinding, "", after), split(RecordKind::kFinding, after));
}

TEST(RecordFieldsTest, DiffOfEqualRecordsIsEmpty) {
  const std::string same = bytesOf(checklistWithQuestions());
  EXPECT_TRUE(diff(RecordKind::kChecklistTemplate, same, same).empty());
}

struct EditCase {
  const char* name;
  void (*edit)(v1::Finding&);
  std::vector<std::uint32_t> changed;
};

TEST(RecordFieldsTest, DiffAppliedToBeforeGivesAfterByteIdentically) {
  const std::vector<EditCase> cases = {
      {"scalar", [](v1::Finding& f) { f.set_severity(v1::SEVERITY_CRITICAL); }, {5}},
      {"string", [](v1::Finding& f) { f.set_title("Water restored only on day 4"); }, {10}},
      {"repeated append", [](v1::Finding& f) { f.add_standards("Mandela Rule 22"); }, {8}},
      {"repeated element",
       [](v1::Finding& f) { f.mutable_sources(0)->set_kind(v1::SOURCE_KIND_DOCUMENT); },
       {9}},
      {"nested message", [](v1::Finding& f) { f.mutable_place()->set_unit("Block 2"); }, {12}},
      {"cleared scalar", [](v1::Finding& f) { f.clear_description(); }, {11}},
      {"cleared repeated", [](v1::Finding& f) { f.clear_affected_groups(); }, {7}},
      {"cleared message", [](v1::Finding& f) { f.clear_place(); }, {12}},
      {"several",
       [](v1::Finding& f) {
         f.clear_urgency();
         f.set_title("t");
         f.add_sources()->set_kind(v1::SOURCE_KIND_PHOTO);
       },
       {6, 9, 10}},
  };
  const v1::Finding before = populatedFinding();
  for (const EditCase& c : cases) {
    SCOPED_TRACE(c.name);
    v1::Finding after = before;
    c.edit(after);
    const std::vector<FieldValue> changes =
        diff(RecordKind::kFinding, bytesOf(before), bytesOf(after));
    EXPECT_EQ(numbersOf(changes), c.changed);
    EXPECT_EQ(apply(RecordKind::kFinding, bytesOf(before), changes), bytesOf(after));
  }
}

TEST(RecordFieldsTest, ClearedFieldGivesEmptyValue) {
  v1::Finding after = populatedFinding();
  after.clear_place();
  const std::vector<FieldValue> changes =
      diff(RecordKind::kFinding, bytesOf(populatedFinding()), bytesOf(after));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].number, 12u);
  EXPECT_TRUE(changes[0].value.empty());
}

TEST(RecordFieldsTest, DiffOfNestedQuestionEditTouchesOnlyQuestions) {
  const v1::ChecklistTemplate before = checklistWithQuestions();
  v1::ChecklistTemplate after = before;
  after.mutable_questions(2)->mutable_options(0)->mutable_label()->set_ru("да");
  const std::vector<FieldValue> changes =
      diff(RecordKind::kChecklistTemplate, bytesOf(before), bytesOf(after));
  EXPECT_EQ(numbersOf(changes), std::vector<std::uint32_t>{6});
  EXPECT_EQ(apply(RecordKind::kChecklistTemplate, bytesOf(before), changes), bytesOf(after));
}

TEST(RecordFieldsTest, ApplyingTheSameFieldsTwiceIsIdempotent) {
  const v1::Visit before = visitWithPhases();
  v1::Visit after = before;
  after.mutable_phases(1)->set_notes("the deputy head declined to answer");
  after.set_status(v1::VISIT_STATUS_FIELDWORK_CLOSED);
  after.clear_recommendation_ids_to_verify();
  const std::vector<FieldValue> changes = diff(RecordKind::kVisit, bytesOf(before), bytesOf(after));
  const std::string once = apply(RecordKind::kVisit, bytesOf(before), changes);
  EXPECT_EQ(once, bytesOf(after));
  EXPECT_EQ(apply(RecordKind::kVisit, once, changes), once);
}

TEST(RecordFieldsTest, DisjointFieldSetsConvergeInEitherOrder) {
  const v1::Finding base = populatedFinding();
  v1::Finding editA = base;
  editA.set_title("edited on tablet A");
  editA.set_severity(v1::SEVERITY_LOW);
  v1::Finding editB = base;
  editB.clear_description();
  editB.mutable_sources(0)->set_record_id("22222222-3333-4444-8555-666666666666");
  editB.add_affected_groups(v1::AFFECTED_GROUP_STAFF);
  const std::vector<FieldValue> a = diff(RecordKind::kFinding, bytesOf(base), bytesOf(editA));
  const std::vector<FieldValue> b = diff(RecordKind::kFinding, bytesOf(base), bytesOf(editB));

  const std::string ab =
      apply(RecordKind::kFinding, apply(RecordKind::kFinding, bytesOf(base), a), b);
  const std::string ba =
      apply(RecordKind::kFinding, apply(RecordKind::kFinding, bytesOf(base), b), a);
  v1::Finding both = editA;
  both.clear_description();
  both.mutable_sources(0)->set_record_id("22222222-3333-4444-8555-666666666666");
  both.add_affected_groups(v1::AFFECTED_GROUP_STAFF);
  EXPECT_EQ(ab, bytesOf(both));
  EXPECT_EQ(ba, ab);
}

TEST(RecordFieldsTest, OneofSwitchCarriesTheClearedOldMemberAndConvergesInBothOrders) {
  v1::Observation before = observationBase();
  before.set_yes_no(true);
  v1::Observation after = observationBase();
  after.set_text("partly");

  std::vector<FieldValue> changes = diff(RecordKind::kObservation, bytesOf(before), bytesOf(after));
  ASSERT_EQ(numbersOf(changes), (std::vector<std::uint32_t>{6, 8}));
  EXPECT_TRUE(changes[0].value.empty());

  EXPECT_EQ(apply(RecordKind::kObservation, bytesOf(before), changes), bytesOf(after));
  std::reverse(changes.begin(), changes.end());
  EXPECT_EQ(apply(RecordKind::kObservation, bytesOf(before), changes), bytesOf(after));
  // Field by field in either order, as a replica that receives them separately would.
  EXPECT_EQ(apply(RecordKind::kObservation,
                  apply(RecordKind::kObservation, bytesOf(before), {changes[0]}), {changes[1]}),
            bytesOf(after));
  EXPECT_EQ(apply(RecordKind::kObservation,
                  apply(RecordKind::kObservation, bytesOf(before), {changes[1]}), {changes[0]}),
            bytesOf(after));
}

TEST(RecordFieldsTest, ClearingAnInactiveOneofMemberKeepsTheActiveOne) {
  v1::Observation o = observationBase();
  o.set_number(4);
  EXPECT_EQ(apply(RecordKind::kObservation, bytesOf(o), {FieldValue{8, "", sync::Hlc(), {}}}),
            bytesOf(o));
}

TEST(RecordFieldsTest, ConcurrentOneofSwitchesApplyInHlcOrder) {
  const v1::Observation base = [] {
    v1::Observation o = observationBase();
    o.set_yes_no(true);
    return o;
  }();
  v1::Observation toNumber = observationBase();
  toNumber.set_number(5);
  v1::Observation toText = observationBase();
  toText.set_text("later");
  std::vector<FieldValue> a = diff(RecordKind::kObservation, bytesOf(base), bytesOf(toNumber));
  std::vector<FieldValue> b = diff(RecordKind::kObservation, bytesOf(base), bytesOf(toText));
  for (FieldValue& f : a) f.hlc = sync::Hlc::fromParts(1000, 0);
  for (FieldValue& f : b) f.hlc = sync::Hlc::fromParts(2000, 0);

  std::vector<FieldValue> ab = a;
  ab.insert(ab.end(), b.begin(), b.end());
  std::vector<FieldValue> ba = b;
  ba.insert(ba.end(), a.begin(), a.end());
  EXPECT_EQ(apply(RecordKind::kObservation, bytesOf(base), ab), bytesOf(toText));
  EXPECT_EQ(apply(RecordKind::kObservation, bytesOf(base), ba), bytesOf(toText));
}

TEST(RecordFieldsTest, OneofSiblingsListTheOtherMembers) {
  EXPECT_EQ(oneofSiblings(RecordKind::kObservation, 8), (std::vector<std::uint32_t>{6, 7, 9}));
  EXPECT_TRUE(oneofSiblings(RecordKind::kObservation, 10).empty());
  EXPECT_TRUE(oneofSiblings(RecordKind::kObservation, 99).empty());
  EXPECT_TRUE(oneofSiblings(RecordKind::kFinding, 10).empty());
}

TEST(RecordFieldsTest, ApplyRejectsHostileValues) {
  v1::Finding title;
  title.set_title("t");
  v1::Finding twoFields = title;
  twoFields.set_description("smuggled");
  v1::Finding description;
  description.set_description("d");

  struct Hostile {
    const char* name;
    FieldValue value;
  };
  const std::vector<Hostile> cases = {
      {"two fields", {10, bytesOf(twoFields), sync::Hlc(), {}}},
      {"wrong number", {10, bytesOf(description), sync::Hlc(), {}}},
      {"garbage", {10, std::string("\xff\xff\xff\xff", 4), sync::Hlc(), {}}},
      {"truncated", {10, bytesOf(title).substr(0, 2), sync::Hlc(), {}}},
      {"wrong wire type", {10, std::string("\x50\x01", 2), sync::Hlc(), {}}},
      {"unknown field inside", {10, bytesOf(title) + std::string("\x98\x06\x01", 3), sync::Hlc(), {}}},
      {"no such field", {99, std::string("\x98\x06\x01", 3), sync::Hlc(), {}}},
      {"no such field, cleared", {15, "", sync::Hlc(), {}}},
      {"field number 0", {0, "", sync::Hlc(), {}}},
  };
  const std::string base = bytesOf(populatedFinding());
  for (const Hostile& c : cases) {
    SCOPED_TRACE(c.name);
    const Result<std::string> r =
        applyFields(RecordKind::kFinding, base,
                    std::vector<FieldValue>{FieldValue{5, "", sync::Hlc(), {}}, c.value});
    ASSERT_FALSE(r.isOk());
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("Finding"), std::string::npos) << r.status().message();
  }
}

TEST(RecordFieldsTest, ApplyRejectsCorruptBase) {
  const Result<std::string> r = applyFields(RecordKind::kFinding, std::string("\x0a\x09", 2), {});
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), StatusCode::kCorrupt);
}

TEST(RecordFieldsTest, ApplyOutputIsDeterministicWhateverTheFieldOrder) {
  std::vector<FieldValue> fields =
      split(RecordKind::kChecklistTemplate, bytesOf(checklistWithQuestions()));
  const std::string forward = apply(RecordKind::kChecklistTemplate, "", fields);
  std::reverse(fields.begin(), fields.end());
  EXPECT_EQ(apply(RecordKind::kChecklistTemplate, "", fields), forward);
}

// The server validates a rebuilt record before serializing it instead of parsing the content
// again: both ways must give the same verdict, valid or not, with the same message.
TEST(RecordFieldsTest, ValidatingBeforeSerializingGivesTheVerdictOfValidatingTheBytes) {
  v1::Finding valid = populatedFinding();
  v1::Finding untitled = valid;
  untitled.clear_title();
  v1::Finding badParent = valid;
  badParent.set_visit_id("not-a-uuid");
  for (const v1::Finding& f : {valid, untitled, badParent}) {
    const std::vector<FieldValue> fields = split(RecordKind::kFinding, bytesOf(f));
    Status before = Status::error(StatusCode::kInternal, "not set");
    auto content = applyFieldsValidated(RecordKind::kFinding, "", fields, before);
    ASSERT_TRUE(content.isOk()) << content.status().toString();
    EXPECT_EQ(*content, bytesOf(f));
    const Status after = validateEncodedRecord(RecordKind::kFinding, *content);
    EXPECT_EQ(before.isOk(), after.isOk()) << f.title() << " " << f.visit_id();
    EXPECT_EQ(before.message(), after.message());
  }
  EXPECT_FALSE(validateEncodedRecord(RecordKind::kFinding, bytesOf(untitled)).isOk());
  EXPECT_FALSE(validateEncodedRecord(RecordKind::kFinding, bytesOf(badParent)).isOk());
  EXPECT_TRUE(validateEncodedRecord(RecordKind::kFinding, bytesOf(valid)).isOk());
}

TEST(RecordFieldsTest, AMessageOfAnotherKindIsNotValidated) {
  const Status verdict = validateRecordMessage(RecordKind::kVisit, populatedFinding());
  ASSERT_FALSE(verdict.isOk());
  EXPECT_EQ(verdict.code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace opcat::codec
