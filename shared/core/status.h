// Status and Result<T>: how errors cross module boundaries in the shared core (no exceptions),
// after LevelDB's Status. A failed Status carries a code for programs and a message for people.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace opcat {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,   // input failed validation; the message names record, field and rule
  kNotFound,
  kAlreadyExists,
  kWrongPassphrase,   // the passphrase does not unwrap the data key; nothing was touched
  kTampered,          // authenticated decryption failed: the bytes were altered or swapped
  kCorrupt,           // a file is not in the expected format (truncated, wrong magic)
  kIoError,
  kDatabaseError,
  kUnavailable,       // e.g. the store is locked or wiped
  kInternal,
  kUnauthenticated,   // the server refused the device's token (revoked or unknown): enroll again
};

// Short stable name of a code, for logs and error messages ("tampered", "io_error", ...).
const char* statusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status ok() { return Status(); }
  static Status error(StatusCode code, std::string message) {
    return Status(code, std::move(message));
  }

  bool isOk() const { return m_code == StatusCode::kOk; }
  explicit operator bool() const { return isOk(); }
  StatusCode code() const { return m_code; }
  const std::string& message() const { return m_message; }
  // "<code name>: <message>", or "ok".
  std::string toString() const;

 private:
  Status(StatusCode code, std::string message) : m_code(code), m_message(std::move(message)) {}
  StatusCode m_code = StatusCode::kOk;
  std::string m_message;
};

// A value or a failed Status. REQUIRES: value() only when isOk().
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : m_value(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : m_status(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!m_status.isOk() && "a Result built from a Status must carry an error");
  }

  bool isOk() const { return m_value.has_value(); }
  explicit operator bool() const { return isOk(); }
  const Status& status() const { return m_status; }
  T& value() & { return *m_value; }
  const T& value() const& { return *m_value; }
  T&& value() && { return std::move(*m_value); }
  T* operator->() { return &*m_value; }
  const T* operator->() const { return &*m_value; }
  T& operator*() & { return *m_value; }
  const T& operator*() const& { return *m_value; }

 private:
  std::optional<T> m_value;
  Status m_status;
};

}  // namespace opcat

// Propagates a failed Status from an expression that yields a Status.
#define OPCAT_RETURN_IF_ERROR(expr)              \
  do {                                           \
    ::opcat::Status opcat_status_ = (expr);      \
    if (!opcat_status_.isOk()) return opcat_status_; \
  } while (false)
