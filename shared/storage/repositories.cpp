#include "storage/repositories.h"

namespace opcat::storage {
namespace {

// Field numbers of opcat.v1 messages used in queries (see proto/opcat/v1/*.proto).
constexpr int kFindingArea = 3;
constexpr int kFindingSeverity = 5;
constexpr int kRecommendationInstitution = 3;
constexpr int kRecommendationPriority = 6;
constexpr int kRecommendationDeadline = 7;
constexpr int kRecommendationStatus = 10;

}  // namespace

Result<std::vector<domain::Finding>> FindingRepository::byArea(std::string_view visitId) {
  return query(
      "WHERE kind = ?1 AND parent_id = ?2 AND deleted = 0 "
      "ORDER BY opcat_int(kind, id, state, " + std::to_string(kFindingArea) + "), "
      "opcat_int(kind, id, state, " + std::to_string(kFindingSeverity) + ") DESC, hlc",
      [&](Statement& s) { s.bind(2, visitId); });
}

Result<std::vector<std::pair<domain::ThematicArea, std::int64_t>>> FindingRepository::countByArea(
    std::string_view visitId) {
  auto stmt = store().database().prepare(
      "SELECT opcat_int(kind, id, state, " + std::to_string(kFindingArea) + ") AS area, count(*) "
      "FROM records WHERE kind = ?1 AND parent_id = ?2 AND deleted = 0 "
      "GROUP BY area ORDER BY area");
  if (!stmt) return stmt.status();
  stmt->bind(1, static_cast<std::int64_t>(domain::Finding::kKind)).bind(2, visitId);
  std::vector<std::pair<domain::ThematicArea, std::int64_t>> out;
  while (stmt->step()) {
    out.emplace_back(static_cast<domain::ThematicArea>(stmt->columnInt(0)), stmt->columnInt(1));
  }
  OPCAT_RETURN_IF_ERROR(stmt->status());
  return out;
}

Result<std::vector<domain::Recommendation>> RecommendationRepository::openForInstitution(
    std::string_view institutionId) {
  using S = domain::RecommendationStatus;
  const std::string closed = std::to_string(static_cast<int>(S::kImplemented)) + ", " +
                             std::to_string(static_cast<int>(S::kRejected)) + ", " +
                             std::to_string(static_cast<int>(S::kSuperseded));
  return query(
      "WHERE kind = ?1 AND deleted = 0 "
      "AND opcat_text(kind, id, state, " + std::to_string(kRecommendationInstitution) + ") = ?2 "
      "AND opcat_int(kind, id, state, " + std::to_string(kRecommendationStatus) + ") NOT IN (" +
          closed + ") "
      "ORDER BY opcat_int(kind, id, state, " + std::to_string(kRecommendationPriority) + ") DESC, "
      // Recommendations without a deadline come after those with one.
      "opcat_int(kind, id, state, " + std::to_string(kRecommendationDeadline) + ") = 0, "
      "opcat_int(kind, id, state, " + std::to_string(kRecommendationDeadline) + "), hlc",
      [&](Statement& s) { s.bind(2, institutionId); });
}

}  // namespace opcat::storage
