#include "domain/attachment.h"

#include <array>
#include <string_view>

namespace opcat::domain {

bool isAllowedMediaType(std::string_view mediaType) {
  static constexpr std::array<std::string_view, 8> kAllowed = {
      "image/jpeg", "image/png", "image/webp", "application/pdf",
      "audio/ogg",  "audio/mp4", "video/mp4",  "text/plain"};
  for (std::string_view allowed : kAllowed) {
    if (mediaType == allowed) return true;
  }
  return false;
}

}  // namespace opcat::domain
