// encode() and decode<T>() for every record: the typed mapping of record_proto.h plus
// deterministic serialization and a parse that never trusts its input.
#include "sync/codec/record_codec.h"

#include <cstddef>
#include <limits>

#include "sync/codec/deterministic_bytes.h"
#include "sync/codec/record_proto.h"

namespace opcat::codec {
namespace {

template <class Message, class T>
Result<T> parseAs(std::string_view bytes) {
  Message message;
  const bool fits = bytes.size() <= static_cast<std::size_t>(std::numeric_limits<int>::max());
  if (!fits || !message.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return Status::error(StatusCode::kCorrupt, "not a valid " + message.GetTypeName() + " (" +
                                                   std::to_string(bytes.size()) + " bytes)");
  }
  return fromProto(message);
}

}  // namespace

// One line per type: encode through toProto, decode through fromProto.
#define OPCAT_RECORD_CODEC(Type)                                                        \
  std::string encode(const domain::Type& record) {                                      \
    return deterministicBytes(toProto(record));                                         \
  }                                                                                     \
  template <>                                                                           \
  Result<domain::Type> decode<domain::Type>(std::string_view bytes) {                   \
    return parseAs<v1::Type, domain::Type>(bytes);                                      \
  }

OPCAT_RECORD_CODEC(Region)
OPCAT_RECORD_CODEC(Authority)
OPCAT_RECORD_CODEC(Institution)
OPCAT_RECORD_CODEC(ChecklistTemplate)
OPCAT_RECORD_CODEC(Monitor)
OPCAT_RECORD_CODEC(Team)
OPCAT_RECORD_CODEC(Coordinator)
OPCAT_RECORD_CODEC(Visit)
OPCAT_RECORD_CODEC(Observation)
OPCAT_RECORD_CODEC(Finding)
OPCAT_RECORD_CODEC(Interview)
OPCAT_RECORD_CODEC(IdentityRecord)
OPCAT_RECORD_CODEC(IdentityDetails)
OPCAT_RECORD_CODEC(DocumentReview)
OPCAT_RECORD_CODEC(AccessIncident)
OPCAT_RECORD_CODEC(Attachment)
OPCAT_RECORD_CODEC(Recommendation)
OPCAT_RECORD_CODEC(RecommendationEvent)
OPCAT_RECORD_CODEC(ReviewEvent)

#undef OPCAT_RECORD_CODEC

}  // namespace opcat::codec
