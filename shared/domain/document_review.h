// A review of a register or file during a visit, with the discrepancies found
// (opcat.v1.DocumentReview).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/record_kind.h"

namespace opcat::domain {

enum class DocumentKind : int {
  kUnspecified = 0,
  kCustodyRegister = 1,
  kUseOfForceLog = 2,
  kDisciplinaryLog = 3,
  kSolitaryConfinementLog = 4,
  kMedicalRecords = 5,
  kInjuryRegister = 6,
  kComplaintsLog = 7,
  kSearchLog = 8,
  kOther = 9,
};
constexpr DocumentKind lastEnumValue(DocumentKind) { return DocumentKind::kOther; }

struct Discrepancy {
  std::string description;  // "arrest 14:10, registered 21:40"
  std::string registerEntry;

  friend bool operator==(const Discrepancy&, const Discrepancy&) = default;
};

struct DocumentReview {
  static constexpr RecordKind kKind = RecordKind::kDocumentReview;

  std::string id;
  std::string visitId;
  DocumentKind documentKind = DocumentKind::kUnspecified;
  std::string title;
  std::int64_t periodFromMs = 0;
  std::int64_t periodToMs = 0;  // 0 when open-ended
  std::string summary;
  std::vector<Discrepancy> discrepancies;
  std::int64_t reviewedAtMs = 0;
  std::string authorMonitorId;

  std::string_view parentId() const { return visitId; }
  friend bool operator==(const DocumentReview&, const DocumentReview&) = default;
};

}  // namespace opcat::domain
