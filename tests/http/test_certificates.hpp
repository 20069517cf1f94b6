// Throw-away PKI for the TLS tests, made with the openssl command at test time in a fresh
// temporary directory (removed again by the destructor): a CA, a server certificate for
// localhost and 127.0.0.1 signed by it, and one for another host name. Nothing is committed.
#pragma once

#include <filesystem>
#include <string>

namespace switchboard::http::test_support {

class TestCertificates {
public:
    // Throws std::runtime_error naming the command that failed.
    TestCertificates();
    ~TestCertificates();
    TestCertificates(const TestCertificates&) = delete;
    TestCertificates& operator=(const TestCertificates&) = delete;

    std::string ca_certificate() const;         // PEM; trust this to accept the servers
    std::string localhost_certificate() const;  // SAN DNS:localhost, IP:127.0.0.1
    std::string localhost_key() const;
    std::string other_host_certificate() const; // SAN DNS:other.example only
    std::string other_host_key() const;

private:
    std::filesystem::path dir_;
};

} // namespace switchboard::http::test_support
