// Validation of every record before it is stored, pushed or accepted: ids, required fields, enum
// ranges, UTF-8, the bounds of limits.h, and the rules of the domain (consent, triangulation
// inputs, review comments). Runs on the tablet before a write and on the server for every push.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace opcat::domain {

struct Region;
struct Authority;
struct Institution;
struct ChecklistTemplate;
struct Monitor;
struct Team;
struct Coordinator;
struct Visit;
struct Observation;
struct Finding;
struct Interview;
struct IdentityRecord;
struct IdentityDetails;
struct DocumentReview;
struct AccessIncident;
struct Attachment;
struct Recommendation;
struct RecommendationEvent;
struct ReviewEvent;

// One broken rule. Fields are named as in the .proto, with paths into nested and repeated fields
// ("sources[2].record_id", "name.kk"), so the tablet, the server and the console speak alike.
// `detail` never quotes the record's text (it may carry a number or a limit), so errors can be
// logged without leaking content.
//
// Rules: "required" (missing), "max_length" (text over its limit in code points, or bytes over
// a byte limit), "max_count" (too many repeated elements), "enum_range" (unknown enum value),
// "utf8" (malformed UTF-8), "uuid" (not a canonical UUID), "range" (number out of range),
// "order" (an end before its start), "format" (not of the required shape), "unique" (repeated
// code or id), "size" (wrong byte size), "allow_list" (value not allowed), "requires" (set
// without what it presupposes), "unexpected" (set where it has no meaning).
struct ValidationError {
  std::string record;    // "Finding"
  std::string recordId;  // empty for IdentityDetails
  std::string field;     // "sources[2].record_id"
  std::string rule;      // "uuid"
  std::string detail;    // "301 > 300", "7"; may be empty
  // The rule ties this field to another (consent to citing and to the interview, a group's
  // size and its kind, an end and its start). Two concurrent edits, each valid where it was
  // made, can merge into a record that breaks such a rule; see codec::RuleSet.
  bool linksFields = false;

  // "Finding 3f2b…: title: max_length (301 > 300)".
  std::string toString() const;
  friend bool operator==(const ValidationError&, const ValidationError&) = default;
};

// Each returns every broken rule of the record, in field order; empty when it is valid.
// A repeated field over its bound is reported once, and only its first elements are checked.
std::vector<ValidationError> validate(const Region& record);
std::vector<ValidationError> validate(const Authority& record);
std::vector<ValidationError> validate(const Institution& record);
std::vector<ValidationError> validate(const ChecklistTemplate& record);
std::vector<ValidationError> validate(const Monitor& record);
std::vector<ValidationError> validate(const Team& record);
std::vector<ValidationError> validate(const Coordinator& record);
std::vector<ValidationError> validate(const Visit& record);
std::vector<ValidationError> validate(const Observation& record);
std::vector<ValidationError> validate(const Finding& record);
std::vector<ValidationError> validate(const Interview& record);
std::vector<ValidationError> validate(const IdentityRecord& record);
std::vector<ValidationError> validate(const IdentityDetails& details);
std::vector<ValidationError> validate(const DocumentReview& record);
std::vector<ValidationError> validate(const AccessIncident& record);
std::vector<ValidationError> validate(const Attachment& record);
std::vector<ValidationError> validate(const Recommendation& record);
std::vector<ValidationError> validate(const RecommendationEvent& record);
std::vector<ValidationError> validate(const ReviewEvent& record);

// Ok when `errors` is empty; otherwise kInvalidArgument with all of them in one message:
// "Finding 3f2b…: title: required; severity: enum_range (7)".
Status validationStatus(const std::vector<ValidationError>& errors);

}  // namespace opcat::domain
