#include "domain/validation.h"

namespace opcat::domain {
namespace {

// "title: max_length (301 > 300)"
void appendFieldAndRule(const ValidationError& error, std::string& out) {
  out += error.field;
  out += ": ";
  out += error.rule;
  if (!error.detail.empty()) {
    out += " (";
    out += error.detail;
    out += ')';
  }
}

// "Finding 3f2b…" or "IdentityDetails"
void appendRecord(const ValidationError& error, std::string& out) {
  out += error.record;
  if (!error.recordId.empty()) {
    out += ' ';
    out += error.recordId;
  }
}

}  // namespace

std::string ValidationError::toString() const {
  std::string out;
  appendRecord(*this, out);
  out += ": ";
  appendFieldAndRule(*this, out);
  return out;
}

Status validationStatus(const std::vector<ValidationError>& errors) {
  if (errors.empty()) return Status::ok();
  // The record is named once; an error of another record (a caller's concatenation) names its own.
  const ValidationError& first = errors.front();
  std::string message;
  appendRecord(first, message);
  message += ": ";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    const ValidationError& error = errors[i];
    if (i > 0) message += "; ";
    if (error.record == first.record && error.recordId == first.recordId) {
      appendFieldAndRule(error, message);
    } else {
      message += error.toString();
    }
  }
  return Status::error(StatusCode::kInvalidArgument, std::move(message));
}

}  // namespace opcat::domain
