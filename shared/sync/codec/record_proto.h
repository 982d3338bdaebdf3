// The mapping between domain records and their opcat.v1 messages, for the few places that need
// the messages themselves (the server's HTTP layer, JSON for the console). Everything else uses
// record_codec.h and never sees protobuf.
//
// The mapping is total and field for field: fromProto(toProto(x)) == x for every x. Enum values
// pass through as numbers, known or not; validate() judges them.
#pragma once

#include "domain/access_incident.h"
#include "domain/attachment.h"
#include "domain/common.h"
#include "domain/document_review.h"
#include "domain/finding.h"
#include "domain/interview.h"
#include "domain/localized_text.h"
#include "domain/observation.h"
#include "domain/people.h"
#include "domain/recommendation.h"
#include "domain/registry.h"
#include "domain/review_event.h"
#include "domain/visit.h"
#include "opcat/v1/common.pb.h"
#include "opcat/v1/followup.pb.h"
#include "opcat/v1/people.pb.h"
#include "opcat/v1/registry.pb.h"
#include "opcat/v1/visit.pb.h"

namespace opcat::codec {

// Value types shared by several records.
v1::LocalizedText toProto(const domain::LocalizedText& text);
domain::LocalizedText fromProto(const v1::LocalizedText& text);
v1::PlaceInFacility toProto(const domain::PlaceInFacility& place);
domain::PlaceInFacility fromProto(const v1::PlaceInFacility& place);

// Registry.
v1::Region toProto(const domain::Region& record);
domain::Region fromProto(const v1::Region& record);
v1::Authority toProto(const domain::Authority& record);
domain::Authority fromProto(const v1::Authority& record);
v1::Institution toProto(const domain::Institution& record);
domain::Institution fromProto(const v1::Institution& record);
v1::ChecklistTemplate toProto(const domain::ChecklistTemplate& record);
domain::ChecklistTemplate fromProto(const v1::ChecklistTemplate& record);

// People.
v1::Monitor toProto(const domain::Monitor& record);
domain::Monitor fromProto(const v1::Monitor& record);
v1::Team toProto(const domain::Team& record);
domain::Team fromProto(const v1::Team& record);
v1::Coordinator toProto(const domain::Coordinator& record);
domain::Coordinator fromProto(const v1::Coordinator& record);

// A visit and what is recorded during it.
v1::Visit toProto(const domain::Visit& record);
domain::Visit fromProto(const v1::Visit& record);
v1::Observation toProto(const domain::Observation& record);
domain::Observation fromProto(const v1::Observation& record);
v1::Finding toProto(const domain::Finding& record);
domain::Finding fromProto(const v1::Finding& record);
v1::Interview toProto(const domain::Interview& record);
domain::Interview fromProto(const v1::Interview& record);
v1::IdentityRecord toProto(const domain::IdentityRecord& record);
domain::IdentityRecord fromProto(const v1::IdentityRecord& record);
v1::IdentityDetails toProto(const domain::IdentityDetails& details);
domain::IdentityDetails fromProto(const v1::IdentityDetails& details);
v1::DocumentReview toProto(const domain::DocumentReview& record);
domain::DocumentReview fromProto(const v1::DocumentReview& record);
v1::AccessIncident toProto(const domain::AccessIncident& record);
domain::AccessIncident fromProto(const v1::AccessIncident& record);
v1::Attachment toProto(const domain::Attachment& record);
domain::Attachment fromProto(const v1::Attachment& record);

// Follow-up.
v1::Recommendation toProto(const domain::Recommendation& record);
domain::Recommendation fromProto(const v1::Recommendation& record);
v1::RecommendationEvent toProto(const domain::RecommendationEvent& record);
domain::RecommendationEvent fromProto(const v1::RecommendationEvent& record);
v1::ReviewEvent toProto(const domain::ReviewEvent& record);
domain::ReviewEvent fromProto(const v1::ReviewEvent& record);

}  // namespace opcat::codec
