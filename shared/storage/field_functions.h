// SQL functions that read one top-level field of a sealed record inside a query, so that lists
// ("a visit's findings by area") are filtered, grouped and ordered by SQLite while the content
// stays sealed on disk. Plaintext exists only in memory for the duration of the call.
//
//   opcat_int(kind, id, state, field_number)  → the varint field (enums, ints, bools); 0 if unset
//   opcat_text(kind, id, state, field_number) → the string field; '' if unset
//
// A state that fails to open makes the query fail with a "tampered" error naming the record.
#pragma once

#include "core/status.h"
#include "crypto/record_cipher.h"
#include "storage/database.h"

namespace opcat::storage {

// REQUIRES: `cipher` outlives `db`.
Status registerFieldFunctions(Database& db, const crypto::RecordCipher& cipher);

}  // namespace opcat::storage
