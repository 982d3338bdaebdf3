// The typed codec: each domain record to and from the bytes of its opcat.v1 message, the form a
// record has in the store, in a change and on the wire. Protobuf stays behind this header; the
// server's HTTP layer, which needs the messages themselves, uses record_proto.h.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "domain/access_incident.h"
#include "domain/attachment.h"
#include "domain/document_review.h"
#include "domain/finding.h"
#include "domain/interview.h"
#include "domain/observation.h"
#include "domain/people.h"
#include "domain/recommendation.h"
#include "domain/registry.h"
#include "domain/review_event.h"
#include "domain/visit.h"

namespace opcat::codec {

// The serialized opcat.v1 message of the same name, deterministic: equal records give equal
// bytes. Encoding does not validate: an invalid record encodes as it is (and text that is not
// UTF-8 makes bytes that decode refuses), so validate before storing or sending.
std::string encode(const domain::Region& record);
std::string encode(const domain::Authority& record);
std::string encode(const domain::Institution& record);
std::string encode(const domain::ChecklistTemplate& record);
std::string encode(const domain::Monitor& record);
std::string encode(const domain::Team& record);
std::string encode(const domain::Coordinator& record);
std::string encode(const domain::Visit& record);
std::string encode(const domain::Observation& record);
std::string encode(const domain::Finding& record);
std::string encode(const domain::Interview& record);
std::string encode(const domain::IdentityRecord& record);
std::string encode(const domain::IdentityDetails& details);
std::string encode(const domain::DocumentReview& record);
std::string encode(const domain::AccessIncident& record);
std::string encode(const domain::Attachment& record);
std::string encode(const domain::Recommendation& record);
std::string encode(const domain::RecommendationEvent& record);
std::string encode(const domain::ReviewEvent& record);

// The record held in `bytes`, a serialized opcat.v1 message of T's type. Defined for each type
// that encode() takes. Errors: kCorrupt, naming the message type, when `bytes` does not parse
// (truncated, wrong wire types, strings that are not UTF-8).
// Decoding does not validate either: an enum value this version does not know is kept as its
// number, unknown fields are dropped, and validate() tells whether the result may be used.
template <class T>
Result<T> decode(std::string_view bytes);

template <>
Result<domain::Region> decode<domain::Region>(std::string_view bytes);
template <>
Result<domain::Authority> decode<domain::Authority>(std::string_view bytes);
template <>
Result<domain::Institution> decode<domain::Institution>(std::string_view bytes);
template <>
Result<domain::ChecklistTemplate> decode<domain::ChecklistTemplate>(std::string_view bytes);
template <>
Result<domain::Monitor> decode<domain::Monitor>(std::string_view bytes);
template <>
Result<domain::Team> decode<domain::Team>(std::string_view bytes);
template <>
Result<domain::Coordinator> decode<domain::Coordinator>(std::string_view bytes);
template <>
Result<domain::Visit> decode<domain::Visit>(std::string_view bytes);
template <>
Result<domain::Observation> decode<domain::Observation>(std::string_view bytes);
template <>
Result<domain::Finding> decode<domain::Finding>(std::string_view bytes);
template <>
Result<domain::Interview> decode<domain::Interview>(std::string_view bytes);
template <>
Result<domain::IdentityRecord> decode<domain::IdentityRecord>(std::string_view bytes);
template <>
Result<domain::IdentityDetails> decode<domain::IdentityDetails>(std::string_view bytes);
template <>
Result<domain::DocumentReview> decode<domain::DocumentReview>(std::string_view bytes);
template <>
Result<domain::AccessIncident> decode<domain::AccessIncident>(std::string_view bytes);
template <>
Result<domain::Attachment> decode<domain::Attachment>(std::string_view bytes);
template <>
Result<domain::Recommendation> decode<domain::Recommendation>(std::string_view bytes);
template <>
Result<domain::RecommendationEvent> decode<domain::RecommendationEvent>(std::string_view bytes);
template <>
Result<domain::ReviewEvent> decode<domain::ReviewEvent>(std::string_view bytes);

}  // namespace opcat::codec
