// Test certificates made with the openssl CLI, once per test program: an office CA issuing the
// server's certificate (127.0.0.1 and localhost) and one for other.example, and a rogue CA, like
// an intercepting proxy's, issuing another certificate for 127.0.0.1. As in
// tests/integration/curl_transport_test.cpp.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "support/temp_dir.h"

namespace opcat::testing {

class SuitePki {
 public:
  SuitePki() {
    m_ok = makeCa("ca", "Opcat Test Office CA") &&
           makeLeaf("server", "ca", "127.0.0.1", "IP:127.0.0.1,DNS:localhost", 2) &&
           makeLeaf("other", "ca", "other.example", "DNS:other.example", 3) &&
           makeCa("rogue-ca", "Facility Proxy CA") &&
           makeLeaf("rogue", "rogue-ca", "127.0.0.1", "IP:127.0.0.1,DNS:localhost", 4) &&
           run("cat '" + file("ca.pem") + "' '" + file("rogue-ca.pem") + "' > '" +
               file("both-ca.pem") + "'");
  }
  bool ok() const { return m_ok; }
  std::string file(const std::string& name) const { return (m_dir / name).string(); }
  // "sha256//BASE64" of the certificate's public key, as an operator would compute it.
  std::string pin(const std::string& name) const {
    const std::string out = file(name + ".pin");
    run("openssl x509 -in '" + file(name + ".pem") +
        "' -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary"
        " | base64 > '" +
        out + "'");
    std::ifstream in(out);
    std::ostringstream text;
    text << in.rdbuf();
    std::string pin = text.str();
    while (!pin.empty() && (pin.back() == '\n' || pin.back() == '\r')) pin.pop_back();
    return "sha256//" + pin;
  }

 private:
  static bool run(const std::string& command) {
    return std::system(("(" + command + ") >/dev/null 2>&1").c_str()) == 0;
  }
  bool makeCa(const std::string& name, const std::string& subject) const {
    return run(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
        " -days 2 -subj '/CN=" +
        subject +
        "'"
        " -addext basicConstraints=critical,CA:TRUE"
        " -addext keyUsage=critical,keyCertSign,cRLSign"
        " -keyout '" +
        file(name + ".key") + "' -out '" + file(name + ".pem") + "'");
  }
  bool makeLeaf(const std::string& name, const std::string& ca, const std::string& commonName,
                const std::string& subjectAltName, int serial) const {
    std::ofstream(file(name + ".ext"))
        << "subjectAltName=" << subjectAltName << "\nbasicConstraints=CA:FALSE\n"
        << "keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n";
    return run("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
               " -subj '/CN=" +
               commonName + "' -keyout '" + file(name + ".key") + "' -out '" + file(name + ".csr") +
               "'") &&
           run("openssl x509 -req -in '" + file(name + ".csr") + "' -CA '" + file(ca + ".pem") +
               "' -CAkey '" + file(ca + ".key") + "' -set_serial " + std::to_string(serial) +
               " -days 2 -extfile '" + file(name + ".ext") + "' -out '" + file(name + ".pem") +
               "'");
  }

  TempDir m_tempDir{"opcat-suite-pki"};
  std::filesystem::path m_dir = m_tempDir.path();
  bool m_ok = false;
};

}  // namespace opcat::testing
