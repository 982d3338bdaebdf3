// Metadata of a photo or file (opcat.v1.Attachment). The bytes travel separately,
// content-addressed by the SHA-256 of the plaintext.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/record_kind.h"

namespace opcat::domain {

struct Attachment {
  static constexpr RecordKind kKind = RecordKind::kAttachment;

  std::string id;
  std::string visitId;
  std::string ownerRecordId;  // the finding, observation or document review it illustrates
  std::string mediaType;      // "image/jpeg"; see isAllowedMediaType
  std::string sha256;         // 32 raw bytes, not hex
  std::int64_t sizeBytes = 0;
  std::int64_t capturedAtMs = 0;
  std::string caption;

  std::string_view parentId() const { return visitId; }
  friend bool operator==(const Attachment&, const Attachment&) = default;
};

// The media types an attachment may have: photos (JPEG, PNG, WebP), PDF, voice notes (Ogg, MP4
// audio), MP4 video and plain text. Anything else is refused rather than stored unopened.
bool isAllowedMediaType(std::string_view mediaType);

}  // namespace opcat::domain
