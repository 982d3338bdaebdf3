#include "sync/codec/change_codec.h"
#include "sync/codec/change_proto.h"

#include <algorithm>
#include <climits>
#include <optional>
#include <string>
#include <vector>

#include "core/uuid.h"
#include "opcat/v1/change.pb.h"

namespace opcat::codec {
namespace {

// domain::RecordKind promises the values of opcat.v1.RecordKind; the casts below rely on it.
static_assert(static_cast<int>(domain::RecordKind::kRegion) == v1::RECORD_KIND_REGION);
static_assert(static_cast<int>(domain::RecordKind::kChecklistTemplate) ==
              v1::RECORD_KIND_CHECKLIST_TEMPLATE);
static_assert(static_cast<int>(domain::RecordKind::kVisit) == v1::RECORD_KIND_VISIT);
static_assert(static_cast<int>(domain::RecordKind::kObservation) == v1::RECORD_KIND_OBSERVATION);
static_assert(static_cast<int>(domain::RecordKind::kFinding) == v1::RECORD_KIND_FINDING);
static_assert(static_cast<int>(domain::RecordKind::kReviewEvent) == v1::RECORD_KIND_REVIEW_EVENT);
static_assert(domain::kFirstRecordKind == v1::RECORD_KIND_REGION);
static_assert(domain::kLastRecordKind == v1::RecordKind_MAX);

Status invalid(const std::string& field, const std::string& rule) {
  return Status::error(StatusCode::kInvalidArgument, "Change." + field + ": " + rule);
}

std::string fieldPath(int index, const char* member) {
  return "fields[" + std::to_string(index) + "]." + member;
}

}  // namespace

void changeToProto(const sync::Change& change, v1::Change& proto) {
  proto.Clear();
  proto.mutable_id()->set_device_id(change.id.deviceId);
  proto.mutable_id()->set_sequence(change.id.sequence);
  proto.set_kind(static_cast<v1::RecordKind>(static_cast<int>(change.kind)));
  proto.set_record_id(change.recordId);
  proto.set_parent_id(change.parentId);
  proto.mutable_fields()->Reserve(static_cast<int>(change.fields.size()));
  for (const sync::FieldValue& field : change.fields) {
    v1::FieldValue* out = proto.add_fields();
    out->set_number(field.number);
    out->set_value(field.value);
    out->set_hlc(field.hlc.packed());
    for (const sync::FieldVersion& version : field.supersedes) {
      v1::FieldVersion* v = out->add_supersedes();
      v->set_hlc(version.hlc.packed());
      v->set_device_id(version.deviceId);
    }
  }
  proto.set_hlc(change.hlc.packed());
  proto.set_deleted(change.deleted);
  proto.set_author_id(change.authorId);
  for (const sync::FieldVersion& version : change.deletedVersions) {
    v1::FieldVersion* v = proto.add_deleted_versions();
    v->set_hlc(version.hlc.packed());
    v->set_device_id(version.deviceId);
  }
  for (const sync::FieldVersion& version : change.seenDeletes) {
    v1::FieldVersion* v = proto.add_seen_deletes();
    v->set_hlc(version.hlc.packed());
    v->set_device_id(version.deviceId);
  }
}

namespace {

// At most `maxCount` versions, each naming a device by its UUID.
Result<std::vector<sync::FieldVersion>> decodeVersions(
    const google::protobuf::RepeatedPtrField<v1::FieldVersion>& versions,
    const std::string& path, std::size_t maxCount) {
  if (static_cast<std::size_t>(versions.size()) > maxCount) {
    return invalid(path, std::to_string(versions.size()) + " versions, more than " +
                             std::to_string(maxCount));
  }
  std::vector<sync::FieldVersion> out;
  out.reserve(static_cast<std::size_t>(versions.size()));
  for (int k = 0; k < versions.size(); ++k) {
    if (!isUuid(versions[k].device_id())) {
      return invalid(path + "[" + std::to_string(k) + "].device_id", "not a UUID");
    }
    out.push_back({sync::Hlc(versions[k].hlc()), versions[k].device_id()});
  }
  return out;
}

}  // namespace

Result<sync::Change> decodeChange(std::string_view encoded) {
  v1::Change proto;
  if (encoded.size() > static_cast<std::size_t>(INT_MAX) ||
      !proto.ParseFromArray(encoded.data(), static_cast<int>(encoded.size()))) {
    return Status::error(StatusCode::kCorrupt, "Change: bytes do not parse as opcat.v1.Change");
  }
  return changeFromProto(proto);
}

Result<sync::Change> changeFromProto(const v1::Change& proto) {

  const std::optional<domain::RecordKind> kind = domain::recordKindFromInt(proto.kind());
  if (!kind) return invalid("kind", std::to_string(proto.kind()) + " is not a record kind");
  if (!isUuid(proto.record_id())) return invalid("record_id", "not a UUID");
  if (!proto.parent_id().empty() && !isUuid(proto.parent_id())) {
    return invalid("parent_id", "neither empty nor a UUID");
  }
  if (!isUuid(proto.id().device_id())) return invalid("id.device_id", "not a UUID");
  if (proto.id().sequence() == 0) return invalid("id.sequence", "must be 1 or more");
  if (static_cast<std::size_t>(proto.fields_size()) > kMaxFieldsPerChange) {
    return invalid("fields", std::to_string(proto.fields_size()) + " fields, more than " +
                                 std::to_string(kMaxFieldsPerChange));
  }

  sync::Change change;
  change.id.deviceId = proto.id().device_id();
  change.id.sequence = proto.id().sequence();
  change.kind = *kind;
  change.recordId = proto.record_id();
  change.parentId = proto.parent_id();
  change.hlc = sync::Hlc(proto.hlc());
  change.deleted = proto.deleted();
  change.authorId = proto.author_id();
  change.fields.reserve(static_cast<std::size_t>(proto.fields_size()));

  std::vector<std::uint32_t> numbers;
  numbers.reserve(change.fields.capacity());
  for (int i = 0; i < proto.fields_size(); ++i) {
    const v1::FieldValue& field = proto.fields(i);
    if (field.number() == 0) return invalid(fieldPath(i, "number"), "0 is not a field number");
    if (field.value().size() > kMaxFieldValueBytes) {
      return invalid(fieldPath(i, "value"),
                     std::to_string(field.value().size()) + " bytes, more than 1 MiB");
    }
    if (field.hlc() > proto.hlc()) {
      return invalid(fieldPath(i, "hlc"), "greater than the change's hlc");
    }
    auto supersedes =
        decodeVersions(field.supersedes(), fieldPath(i, "supersedes"), kMaxVersionsPerField);
    if (!supersedes) return supersedes.status();
    numbers.push_back(field.number());
    change.fields.push_back(sync::FieldValue{field.number(), field.value(),
                                             sync::Hlc(field.hlc()),
                                             std::move(supersedes).value()});
  }
  if (!proto.deleted() && proto.deleted_versions_size() > 0) {
    return invalid("deleted_versions", "set on a change that is not a delete");
  }
  if (proto.deleted() && proto.seen_deletes_size() > 0) {
    return invalid("seen_deletes", "set on a delete");
  }
  auto deletedVersions =
      decodeVersions(proto.deleted_versions(), "deleted_versions", kMaxDeletedVersions);
  if (!deletedVersions) return deletedVersions.status();
  change.deletedVersions = std::move(deletedVersions).value();
  auto seenDeletes = decodeVersions(proto.seen_deletes(), "seen_deletes", kMaxDeletedVersions);
  if (!seenDeletes) return seenDeletes.status();
  change.seenDeletes = std::move(seenDeletes).value();
  std::sort(numbers.begin(), numbers.end());
  const auto duplicate = std::adjacent_find(numbers.begin(), numbers.end());
  if (duplicate != numbers.end()) {
    return invalid("fields", "field number " + std::to_string(*duplicate) + " appears twice");
  }
  return change;
}

}  // namespace opcat::codec
