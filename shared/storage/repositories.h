// One repository per record kind. Kinds with lists of their own get a class with those queries;
// the rest need only the generic operations.
#pragma once

#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

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
#include "storage/record_repository.h"

namespace opcat::storage {

using RegionRepository = RecordRepository<domain::Region>;
using AuthorityRepository = RecordRepository<domain::Authority>;
using InstitutionRepository = RecordRepository<domain::Institution>;
using ChecklistTemplateRepository = RecordRepository<domain::ChecklistTemplate>;
using MonitorRepository = RecordRepository<domain::Monitor>;
using TeamRepository = RecordRepository<domain::Team>;
using CoordinatorRepository = RecordRepository<domain::Coordinator>;
using VisitRepository = RecordRepository<domain::Visit>;
using ObservationRepository = RecordRepository<domain::Observation>;
using InterviewRepository = RecordRepository<domain::Interview>;
using IdentityRecordRepository = RecordRepository<domain::IdentityRecord>;
using DocumentReviewRepository = RecordRepository<domain::DocumentReview>;
using AccessIncidentRepository = RecordRepository<domain::AccessIncident>;
using AttachmentRepository = RecordRepository<domain::Attachment>;
using RecommendationEventRepository = RecordRepository<domain::RecommendationEvent>;
using ReviewEventRepository = RecordRepository<domain::ReviewEvent>;

class FindingRepository : public RecordRepository<domain::Finding> {
 public:
  using RecordRepository::RecordRepository;

  // A visit's live findings ordered by thematic area, then most severe first.
  Result<std::vector<domain::Finding>> byArea(std::string_view visitId);
  // How many live findings each thematic area of a visit has, in area order.
  Result<std::vector<std::pair<domain::ThematicArea, std::int64_t>>> countByArea(
      std::string_view visitId);
};

class RecommendationRepository : public RecordRepository<domain::Recommendation> {
 public:
  using RecordRepository::RecordRepository;

  // Recommendations to an institution that still await implementation (not implemented,
  // rejected or superseded), most urgent priority first, then by deadline.
  Result<std::vector<domain::Recommendation>> openForInstitution(std::string_view institutionId);
};

}  // namespace opcat::storage
