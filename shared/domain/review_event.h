// One step of a visit report's review, with the coordinator's comment (opcat.v1.ReviewEvent).
// Append-only; the events reach the tablets so monitors see what to fix.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/record_kind.h"

namespace opcat::domain {

enum class ReviewState : int {
  kUnspecified = 0,
  kSubmitted = 1,
  kReturned = 2,  // returned with comments
  kApproved = 3,
  kSentToAuthority = 4,
  kClosed = 5,
};
constexpr ReviewState lastEnumValue(ReviewState) { return ReviewState::kClosed; }

struct ReviewEvent {
  static constexpr RecordKind kKind = RecordKind::kReviewEvent;

  std::string id;
  std::string visitId;
  ReviewState state = ReviewState::kUnspecified;
  std::string comment;  // required when returned
  std::string authorId;
  std::int64_t atMs = 0;

  std::string_view parentId() const { return visitId; }
  friend bool operator==(const ReviewEvent&, const ReviewEvent&) = default;
};

}  // namespace opcat::domain
