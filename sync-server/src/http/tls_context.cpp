#include "http/tls_context.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <boost/asio/ssl/context.hpp>
#include <cerrno>
#include <system_error>

namespace opcat::server::http {
namespace {

// TLS 1.2 suites of Mozilla's "intermediate" profile: ECDHE key exchange with AEAD ciphers.
// TLS 1.3 suites are OpenSSL's defaults, all of which are fine.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

Status fileError(const std::string& what, const std::string& file, const std::string& reason) {
  return Status::error(StatusCode::kInvalidArgument,
                       "cannot use TLS " + what + " " + file + ": " + reason);
}

// Why `file` cannot be read (the system's reason), or "" when it can: OpenSSL's own error for a
// missing file is only "asio.ssl error", which does not tell an administrator what to fix.
std::string unreadableReason(const std::string& file) {
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::generic_category().message(errno);
  ::close(fd);
  return "";
}

}  // namespace

Result<std::shared_ptr<boost::asio::ssl::context>> makeServerTlsContext(
    const std::string& certChainFile, const std::string& privateKeyFile) {
  namespace ssl = boost::asio::ssl;
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) {
    return Status::error(StatusCode::kInternal, "OpenSSL refused TLS 1.2 as minimum version");
  }
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::no_compression | ssl::context::single_dh_use);
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return Status::error(StatusCode::kInternal, "OpenSSL rejected the TLS 1.2 cipher list");
  }

  for (const auto& [what, file] :
       {std::pair{"certificate", &certChainFile}, std::pair{"private key", &privateKeyFile}}) {
    if (const std::string reason = unreadableReason(*file); !reason.empty()) {
      return fileError(what, *file, reason);
    }
  }
  boost::system::error_code ec;
  context->use_certificate_chain_file(certChainFile, ec);
  if (ec) {
    return fileError("certificate", certChainFile,
                     "it holds no PEM certificate chain OpenSSL accepts (" + ec.message() + ")");
  }
  context->use_private_key_file(privateKeyFile, ssl::context::pem, ec);
  if (ec && ec.category() == boost::asio::error::get_ssl_category() &&
      ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == X509_R_KEY_VALUES_MISMATCH) {
    return fileError("private key", privateKeyFile, "it does not match the certificate");
  }
  if (ec) {
    return fileError(
        "private key", privateKeyFile,
        "it holds no unencrypted PEM private key OpenSSL accepts (" + ec.message() + ")");
  }
  if (SSL_CTX_check_private_key(native) != 1) {
    return fileError("private key", privateKeyFile, "it does not match the certificate");
  }
  return context;
}

}  // namespace opcat::server::http
