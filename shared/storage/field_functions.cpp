#include "storage/field_functions.h"

#include <sqlite3.h>

#include <string>

#include "storage/record_state.h"
#include "sync/codec/wire_reader.h"

namespace opcat::storage {
namespace {

// Opening a record costs an AEAD pass; a query usually asks several fields of the same row in a
// row, so the last opened content is kept, keyed by id and the sealed state's random nonce.
struct FieldReader {
  const crypto::RecordCipher* cipher = nullptr;
  std::string cachedKey;
  std::string cachedContent;
};

std::string_view textArg(sqlite3_value* v) {
  const auto* p = sqlite3_value_text(v);
  return p == nullptr ? std::string_view()
                      : std::string_view(reinterpret_cast<const char*>(p),
                                         static_cast<std::size_t>(sqlite3_value_bytes(v)));
}

std::string_view blobArg(sqlite3_value* v) {
  const void* p = sqlite3_value_blob(v);
  return p == nullptr ? std::string_view()
                      : std::string_view(static_cast<const char*>(p),
                                         static_cast<std::size_t>(sqlite3_value_bytes(v)));
}

// The record's plaintext content, or nullptr after reporting an error to SQLite.
const std::string* openContent(sqlite3_context* ctx, sqlite3_value** argv) {
  auto* reader = static_cast<FieldReader*>(sqlite3_user_data(ctx));
  const int kind = sqlite3_value_int(argv[0]);
  const std::string_view id = textArg(argv[1]);
  const std::string_view sealed = blobArg(argv[2]);
  std::string key(id);
  key.append(sealed.substr(0, 24));
  if (key == reader->cachedKey) return &reader->cachedContent;

  auto plain = reader->cipher->open(sealed, kind, id);
  auto content = plain ? RecordState::contentOf(*plain) : Result<std::string_view>(plain.status());
  if (!content) {
    const std::string message = "record " + std::string(id) + ": " + content.status().toString();
    sqlite3_result_error(ctx, message.c_str(), -1);
    return nullptr;
  }
  reader->cachedKey = std::move(key);
  reader->cachedContent = std::string(*content);
  return &reader->cachedContent;
}

std::uint32_t fieldNumber(sqlite3_value* v) {
  const sqlite3_int64 n = sqlite3_value_int64(v);
  return n > 0 && n < (1 << 29) ? static_cast<std::uint32_t>(n) : 0;
}

void opcatInt(sqlite3_context* ctx, int /*argc*/, sqlite3_value** argv) {
  const std::string* content = openContent(ctx, argv);
  if (content == nullptr) return;
  const auto value = codec::readVarintField(*content, fieldNumber(argv[3]));
  sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(value.value_or(0)));
}

void opcatText(sqlite3_context* ctx, int /*argc*/, sqlite3_value** argv) {
  const std::string* content = openContent(ctx, argv);
  if (content == nullptr) return;
  const auto value = codec::readLengthDelimitedField(*content, fieldNumber(argv[3]));
  const std::string_view text = value.value_or(std::string_view());
  sqlite3_result_text64(ctx, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}

void destroyReader(void* p) { delete static_cast<FieldReader*>(p); }

}  // namespace

Status registerFieldFunctions(Database& db, const crypto::RecordCipher& cipher) {
  // One reader per function: each keeps its own cache. SQLite frees them with the connection.
  for (const auto& [name, fn] : {std::pair{"opcat_int", &opcatInt},
                                 std::pair{"opcat_text", &opcatText}}) {
    auto* reader = new FieldReader{&cipher, {}, {}};
    const int rc = sqlite3_create_function_v2(db.handle(), name, 4,
                                              SQLITE_UTF8 | SQLITE_DETERMINISTIC, reader, fn,
                                              nullptr, nullptr, &destroyReader);
    if (rc != SQLITE_OK) return db.lastError(std::string("registering ") + name);
  }
  return Status::ok();
}

}  // namespace opcat::storage
