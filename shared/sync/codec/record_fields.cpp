#include "sync/codec/record_fields.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message.h>
#include <google/protobuf/wire_format_lite.h>

#include <algorithm>
#include <climits>
#include <memory>
#include <utility>

#include "sync/codec/record_prototypes.h"

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

// Deterministic, so that equal content gives equal bytes on every replica (it orders map
// entries; fields are always written in number order).
std::string serialize(const pb::Message& message) {
  std::string out;
  {
    pb::io::StringOutputStream stream(&out);
    pb::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    // Cannot fail: proto3 has no required fields, and inputs are below protobuf's 2 GiB limit.
    static_cast<void>(message.SerializeToCodedStream(&coded));
  }
  return out;
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
                                      serialize(*single), sync::Hlc(), {}});
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

// True when every top-level tag in `value` is field `number`'s (whatever its wire type); false
// when another number appears or the bytes do not scan. A cheap pre-check: a parse of such bytes
// can set no field but `number`.
bool onlyTagsOf(int number, std::string_view value) {
  pb::io::CodedInputStream input(reinterpret_cast<const std::uint8_t*>(value.data()),
                                 static_cast<int>(value.size()));
  for (;;) {
    const std::uint32_t tag = input.ReadTag();
    if (tag == 0) return input.ConsumedEntireMessage();  // the end, or bytes that do not scan
    if (pb::internal::WireFormatLite::GetTagFieldNumber(tag) != number) return false;
    if (!pb::internal::WireFormatLite::SkipField(&input, tag)) return false;
  }
}

// Parses one field value into `single` (a message of the record's type, reused between values)
// and checks that it holds field `field` and nothing else.
Status parseFieldValue(domain::RecordKind kind, const pb::FieldDescriptor& field,
                       std::string_view value, pb::Message& single) {
  const auto where = [&] {
    return kindName(kind) + "." + field.name() + " (field " + std::to_string(field.number()) +
           "): ";
  };
  if (value.size() > static_cast<std::size_t>(INT_MAX) ||
      !single.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return Status::error(StatusCode::kInvalidArgument, where() + "value does not parse");
  }
  const pb::Reflection* reflection = single.GetReflection();
  // A known number with the wrong wire type also lands among the unknown fields.
  if (!reflection->GetUnknownFields(single).empty()) {
    return Status::error(StatusCode::kInvalidArgument,
                         where() + "value carries an unknown field or a wrong wire type");
  }
  // Listing the set fields through reflection is costly; bytes that hold only this field's tags
  // cannot have set another, so only other bytes need the full check.
  if (!onlyTagsOf(field.number(), value)) {
    std::vector<const pb::FieldDescriptor*> set;
    reflection->ListFields(single, &set);
    for (const pb::FieldDescriptor* other : set) {
      if (other != &field) {
        return Status::error(StatusCode::kInvalidArgument, where() + "value carries field " +
                                                               std::to_string(other->number()) +
                                                               " (" + other->name() + ")");
      }
    }
  }
  // Unknown fields nested in a message value; other values have no nesting (the top level was
  // checked above). Only this field's messages are walked: the rest of `single` is empty.
  if (field.cpp_type() == pb::FieldDescriptor::CPPTYPE_MESSAGE) {
    if (field.is_map()) {
      single.DiscardUnknownFields();
    } else if (field.is_repeated()) {
      const int n = reflection->FieldSize(single, &field);
      for (int i = 0; i < n; ++i) {
        reflection->MutableRepeatedMessage(&single, &field, i)->DiscardUnknownFields();
      }
    } else if (reflection->HasField(single, &field)) {
      reflection->MutableMessage(&single, &field)->DiscardUnknownFields();
    }
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

Result<std::string> applyFields(domain::RecordKind kind, std::string_view base,
                                std::span<const sync::FieldValue> fields) {
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

  std::unique_ptr<pb::Message> single;  // made on the first value, reused for the rest
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
    if (single == nullptr) single.reset(record.New());
    OPCAT_RETURN_IF_ERROR(parseFieldValue(kind, *field, value->value, *single));
    reflection->ClearField(&record, field);
    record.MergeFrom(*single);  // sets the field (and switches a oneof to it)
  }
  return serialize(record);
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
