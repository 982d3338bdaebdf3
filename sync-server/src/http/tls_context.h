// The server's TLS settings in one place: TLS 1.2 or newer, forward-secret AEAD cipher suites,
// no compression, no renegotiation. Only Asio's SSL header is needed to build it, not Beast.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"

namespace boost::asio::ssl {
class context;
}

namespace opcat::server::http {

// A server context with the certificate chain and private key loaded from PEM files. Fails with
// kInvalidArgument naming the file when a file cannot be read, or the key does not match.
Result<std::shared_ptr<boost::asio::ssl::context>> makeServerTlsContext(
    const std::string& certChainFile, const std::string& privateKeyFile);

}  // namespace opcat::server::http
