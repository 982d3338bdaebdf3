// Bounds on every input, enforced by validation at each boundary (tablet form, sync push, import).
// Text lengths count Unicode code points (opcat::utf8Length), so a Kazakh or Russian text is held
// to the same limit as an English one. Byte sizes are named *Bytes.
#pragma once

#include <cstddef>

namespace opcat::domain {

// Titles and names: a finding's title, an institution's full official name, a checklist title.
// Official Kazakh institution names run to about 150 characters.
inline constexpr std::size_t kMaxTitleChars = 300;
// Short free text: a person's name, a position, an organisation, a place, a source label.
inline constexpr std::size_t kMaxShortTextChars = 200;
// Long free text: notes, descriptions, objectives, summaries, recommendation text, comments.
// About ten printed pages; longer material belongs in an attachment.
inline constexpr std::size_t kMaxLongTextChars = 20000;
// Checklist question text and guidance: longer than a title, far shorter than notes.
inline constexpr std::size_t kMaxQuestionTextChars = 2000;
// Stable codes: authority "MIA-CPCS", question "TRT-03", checklist, answer option, office key id.
inline constexpr std::size_t kMaxCodeChars = 64;
// A postal address.
inline constexpr std::size_t kMaxAddressChars = 500;
// An attachment's caption.
inline constexpr std::size_t kMaxCaptionChars = 1000;
// E-mail addresses (RFC 5321 path limit) and phone numbers (E.164 with formatting room).
inline constexpr std::size_t kMaxEmailChars = 254;
inline constexpr std::size_t kMaxPhoneChars = 32;
// An interview's pseudonym code, e.g. "IVS-AST-07": a code of [A-Za-z0-9-], never a name.
inline constexpr std::size_t kMaxPseudonymChars = 32;
// Identity details are short; the limits keep a sealed box far below kMaxSealedDetailsBytes.
inline constexpr std::size_t kMaxDateOfBirthChars = 32;

// Any repeated field without a tighter bound below (standards, sources, phases, participants,
// population snapshots, discrepancies, finding ids, ...).
inline constexpr std::size_t kMaxRepeated = 200;
// Questions in one checklist template; the longest real checklists have about 300.
inline constexpr std::size_t kMaxQuestions = 500;
// Members of one visiting group (the NPM sends 2 to 6; room for trainees and interpreters).
inline constexpr std::size_t kMaxTeamMembers = 20;

// People in one group interview.
inline constexpr int kMaxGroupSize = 100;
// An access incident's delay: one week in minutes. Longer than that is a refusal.
inline constexpr int kMaxDelayMinutes = 7 * 24 * 60;

// IdentityRecord.sealed_details: a sealed box of a few hundred bytes in practice.
inline constexpr std::size_t kMaxSealedDetailsBytes = 64 * 1024;
// Attachment.sha256: a raw SHA-256 digest.
inline constexpr std::size_t kSha256Bytes = 32;

}  // namespace opcat::domain
