#include "sync/codec/record_fields.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/message.h>
#include <google/protobuf/wire_format_lite.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <utility>

#include "sync/codec/deterministic_bytes.h"
#include "sync/codec/record_prototypes.h"
#include "sync/codec/record_validation.h"

namespace opcat::codec {
namespace {

namespace pb = google::protobuf;

std::string kindName(domain::RecordKind kind) { return std::string(domain::recordKindName(kind)); }

Result<const pb::Message*> prototypeChecked(domain::RecordKind kind) {
  const pb::Message* prototype = prototypeFor(kind);
  if (prototype == nullptr) {
    return Status::error(
        StatusCode::kInvalidArgument,
        "record kind " + std::to_string(static_cast<int>(kind)) + " is out of range");
  }
  return prototype;
}

// A new message of the prototype's type parsed from `bytes`, without unknown fields (dropped at
// every depth: a replica must not carry along data it cannot merge or show); nullptr when the
// bytes do not parse.
std::unique_ptr<pb::Message> parse(const pb::Message& prototype, std::string_view bytes) {
  std::unique_ptr<pb::Message> message(prototype.New());
  if (bytes.empty()) return message;  // nothing to parse, nothing unknown to drop
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) return nullptr;
  if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return nullptr;
  message->DiscardUnknownFields();
  return message;
}

// Moves every set top-level field out of `message` and encodes each alone, in number order.
std::vector<sync::FieldValue> takeFields(pb::Message& message) {
  const pb::Reflection* reflection = message.GetReflection();
  std::vector<const pb::FieldDescriptor*> set;
  reflection->ListFields(message, &set);  // sorted by number
  std::vector<sync::FieldValue> fields;
  fields.reserve(set.size());
  std::unique_ptr<pb::Message> single(message.New());
  for (const pb::FieldDescriptor* field : set) {
    reflection->SwapFields(&message, single.get(), {field});
    fields.push_back(sync::FieldValue{static_cast<std::uint32_t>(field->number()),
                                      deterministicBytes(*single), sync::Hlc(), {}});
    single->Clear();
  }
  return fields;
}

Result<std::unique_ptr<pb::Message>> parseRecord(domain::RecordKind kind,
                                                 const pb::Message& prototype,
                                                 std::string_view encoded, const char* what) {
  std::unique_ptr<pb::Message> message = parse(prototype, encoded);
  if (message == nullptr) {
    return Status::error(StatusCode::kCorrupt, kindName(kind) + ": " + what +
                                                   " does not parse as " +
                                                   prototype.GetDescriptor()->full_name());
  }
  return message;
}

// The top-level tags of a field value, against the field it is meant for.
struct TagScan {
  int foreign = 0;     // the first field number other than the expected one; 0: none
  bool clean = false;  // every byte read as tag and payload, and every tag the expected one
};

// Scans `value` up to the first tag that is not field `number`'s. A value that scans and holds
// only this field's tags can set no other field when parsed, whatever its wire types.
TagScan scanTags(int number, std::string_view value) {
  pb::io::CodedInputStream input(reinterpret_cast<const std::uint8_t*>(value.data()),
                                 static_cast<int>(value.size()));
  for (;;) {
    const std::uint32_t tag = input.ReadTag();
    if (tag == 0) return {0, input.ConsumedEntireMessage()};  // the end, or bytes that don't scan
    const int found = pb::internal::WireFormatLite::GetTagFieldNumber(tag);
    if (found != number) return {found, false};
    if (!pb::internal::WireFormatLite::SkipField(&input, tag)) return {0, false};
  }
}

// Replaces field `field` of `record` with `value`, parsed straight into the record, after
// checking that it holds this field and nothing else. `record` has no unknown fields on entry;
// a value that brings one (an unknown number nested nowhere, or a wrong wire type) is refused.
Status mergeFieldValue(domain::RecordKind kind, const pb::FieldDescriptor& field,
                       std::string_view value, pb::Message& record) {
  const auto where = [&] {
    return kindName(kind) + "." + field.name() + " (field " + std::to_string(field.number()) +
           "): ";
  };
  if (value.size() > static_cast<std::size_t>(INT_MAX)) {
    return Status::error(StatusCode::kInvalidArgument, where() + "value does not parse");
  }
  const TagScan tags = scanTags(field.number(), value);
  if (!tags.clean) {
    const int other = tags.foreign;
    const pb::FieldDescriptor* known =
        other == 0 ? nullptr : record.GetDescriptor()->FindFieldByNumber(other);
    if (known == nullptr) {
      return Status::error(StatusCode::kInvalidArgument,
                           other == 0 ? where() + "value does not parse"
                                      : where() + "value carries an unknown field or a wrong "
                                                  "wire type");
    }
    return Status::error(StatusCode::kInvalidArgument, where() + "value carries field " +
                                                           std::to_string(other) + " (" +
                                                           known->name() + ")");
  }
  const pb::Reflection* reflection = record.GetReflection();
  reflection->ClearField(&record, &field);
  // Parsing merges into the record: it sets the field (switching a oneof to it) and appends a
  // repeated field's elements to the now empty list.
  pb::io::CodedInputStream input(reinterpret_cast<const std::uint8_t*>(value.data()),
                                 static_cast<int>(value.size()));
  if (!record.MergeFromCodedStream(&input) || !input.ConsumedEntireMessage()) {
    return Status::error(StatusCode::kInvalidArgument, where() + "value does not parse");
  }
  // A known number with the wrong wire type lands among the unknown fields.
  if (!reflection->GetUnknownFields(record).empty()) {
    return Status::error(StatusCode::kInvalidArgument,
                         where() + "value carries an unknown field or a wrong wire type");
  }
  return Status::ok();
}

}  // namespace

Result<std::vector<sync::FieldValue>> splitFields(domain::RecordKind kind,
                                                  std::string_view encoded) {
  Result<const pb::Message*> prototype = prototypeChecked(kind);
  if (!prototype) return prototype.status();
  Result<std::unique_ptr<pb::Message>> message = parseRecord(kind, **prototype, encoded, "record");
  if (!message) return message.status();
  return takeFields(**message);
}

Result<std::vector<sync::FieldValue>> diffFields(domain::RecordKind kind, std::string_view before,
                                                 std::string_view after) {
  Result<const pb::Message*> prototype = prototypeChecked(kind);
  if (!prototype) return prototype.status();
  Result<std::unique_ptr<pb::Message>> beforeMessage =
      parseRecord(kind, **prototype, before, "the record before the edit");
  if (!beforeMessage) return beforeMessage.status();
  Result<std::unique_ptr<pb::Message>> afterMessage =
      parseRecord(kind, **prototype, after, "the record after the edit");
  if (!afterMessage) return afterMessage.status();

  const std::vector<sync::FieldValue> old = takeFields(**beforeMessage);
  std::vector<sync::FieldValue> now = takeFields(**afterMessage);
  std::vector<sync::FieldValue> changed;
  auto o = old.begin();
  auto n = now.begin();
  while (o != old.end() || n != now.end()) {
    if (n == now.end() || (o != old.end() && o->number < n->number)) {
      changed.push_back(sync::FieldValue{o->number, std::string(), sync::Hlc(), {}});
      ++o;
    } else if (o == old.end() || n->number < o->number) {
      changed.push_back(std::move(*n));
      ++n;
    } else {
      if (o->value != n->value) changed.push_back(std::move(*n));
      ++o;
      ++n;
    }
  }
  return changed;
}

namespace {

Result<std::string> applyFieldsAndCheck(domain::RecordKind kind, std::string_view base,
                                        std::span<const sync::FieldValue> fields,
                                        Status* validation) {
  Result<const pb::Message*> prototype = prototypeChecked(kind);
  if (!prototype) return prototype.status();
  Result<std::unique_ptr<pb::Message>> parsed = parseRecord(kind, **prototype, base, "base record");
  if (!parsed) return parsed.status();
  pb::Message& record = **parsed;
  const pb::Descriptor* descriptor = record.GetDescriptor();
  const pb::Reflection* reflection = record.GetReflection();

  std::vector<const sync::FieldValue*> ordered;
  ordered.reserve(fields.size());
  for (const sync::FieldValue& field : fields) ordered.push_back(&field);
  std::stable_sort(
      ordered.begin(), ordered.end(),
      [](const sync::FieldValue* a, const sync::FieldValue* b) { return a->hlc < b->hlc; });

  bool nestedMessages = false;
  for (const sync::FieldValue* value : ordered) {
    const pb::FieldDescriptor* field =
        value->number <= static_cast<std::uint32_t>(INT_MAX)
            ? descriptor->FindFieldByNumber(static_cast<int>(value->number))
            : nullptr;
    if (field == nullptr) {
      return Status::error(StatusCode::kInvalidArgument,
                           kindName(kind) + " has no field " + std::to_string(value->number));
    }
    if (value->value.empty()) {
      reflection->ClearField(&record, field);  // of a oneof: only when that member is the one set
      continue;
    }
    OPCAT_RETURN_IF_ERROR(mergeFieldValue(kind, *field, value->value, record));
    nestedMessages |= field->cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE;
  }
  // Unknown fields nested inside message values are dropped, as everywhere else.
  if (nestedMessages) record.DiscardUnknownFields();
  if (validation != nullptr) *validation = validateRecordMessage(kind, record);
  return deterministicBytes(record);
}

}  // namespace

Result<std::string> applyFields(domain::RecordKind kind, std::string_view base,
                                std::span<const sync::FieldValue> fields) {
  return applyFieldsAndCheck(kind, base, fields, nullptr);
}

Result<std::string> applyFieldsValidated(domain::RecordKind kind, std::string_view base,
                                         std::span<const sync::FieldValue> fields,
                                         Status& validation) {
  return applyFieldsAndCheck(kind, base, fields, &validation);
}

std::vector<std::pair<std::uint32_t, std::string_view>> heldFieldValues(std::string_view encoded) {
  std::vector<std::pair<std::uint32_t, std::string_view>> fields;
  if (encoded.size() > static_cast<std::size_t>(INT_MAX)) return {};
  const auto* data = reinterpret_cast<const std::uint8_t*>(encoded.data());
  pb::io::CodedInputStream input(data, static_cast<int>(encoded.size()));
  for (;;) {
    const int start = input.CurrentPosition();
    const std::uint32_t tag = input.ReadTag();
    if (tag == 0) {
      if (!input.ConsumedEntireMessage()) return {};
      break;
    }
    if (!pb::internal::WireFormatLite::SkipField(&input, tag)) return {};
    const std::uint32_t number =
        static_cast<std::uint32_t>(pb::internal::WireFormatLite::GetTagFieldNumber(tag));
    const auto size = static_cast<std::size_t>(input.CurrentPosition() - start);
    if (!fields.empty() && fields.back().first == number) {
      // The next entry of the same field: extend its run (entries are adjacent in `encoded`).
      fields.back().second = std::string_view(fields.back().second.data(),
                                              fields.back().second.size() + size);
    } else {
      fields.emplace_back(number, encoded.substr(static_cast<std::size_t>(start), size));
    }
  }
  // Canonical content is in ascending order with one run per field; a number with several runs
  // (written twice apart) is left for the merge state to keep in full.
  std::stable_sort(fields.begin(), fields.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<std::uint32_t, std::string_view>> held;
  held.reserve(fields.size());
  for (std::size_t i = 0; i < fields.size();) {
    std::size_t end = i + 1;
    while (end < fields.size() && fields[end].first == fields[i].first) ++end;
    if (end == i + 1) held.push_back(fields[i]);
    i = end;
  }
  return held;
}

std::vector<std::uint32_t> oneofSiblings(domain::RecordKind kind, std::uint32_t number) {
  std::vector<std::uint32_t> siblings;
  const pb::Message* prototype = prototypeFor(kind);
  if (prototype == nullptr || number > static_cast<std::uint32_t>(INT_MAX)) return siblings;
  const pb::FieldDescriptor* field =
      prototype->GetDescriptor()->FindFieldByNumber(static_cast<int>(number));
  if (field == nullptr) return siblings;
  const pb::OneofDescriptor* oneof = field->real_containing_oneof();
  if (oneof == nullptr) return siblings;
  for (int i = 0; i < oneof->field_count(); ++i) {
    const pb::FieldDescriptor* member = oneof->field(i);
    if (member != field) siblings.push_back(static_cast<std::uint32_t>(member->number()));
  }
  std::sort(siblings.begin(), siblings.end());
  return siblings;
}

}  // namespace opcat::codec
