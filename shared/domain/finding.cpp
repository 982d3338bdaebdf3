#include "domain/finding.h"

#include <set>

namespace opcat::domain {

bool restsOnSingleSourceKind(const Finding& finding) {
  constexpr int kLast = static_cast<int>(lastEnumValue(SourceKind{}));
  std::set<int> kinds;
  for (const SourceLink& source : finding.sources) {
    const int kind = static_cast<int>(source.kind);
    // An unspecified or unknown kind backs nothing a reader could check.
    if (kind >= 1 && kind <= kLast) kinds.insert(kind);
  }
  return kinds.size() < 2;
}

}  // namespace opcat::domain
