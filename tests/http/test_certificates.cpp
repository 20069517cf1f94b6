#include "test_certificates.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace switchboard::http::test_support {
namespace {

void run(const std::string& command) {
    const std::string quiet = command + " >/dev/null 2>&1";
    if (std::system(quiet.c_str()) != 0) {
        throw std::runtime_error("test certificate command failed: " + command);
    }
}

std::string quote(const std::filesystem::path& path) {
    // Built by appending: GCC 12 warns falsely (-Wrestrict) on "'" + std::string&&.
    std::string out = "'";
    out += path.string();
    out += '\'';
    return out;
}

} // namespace

TestCertificates::TestCertificates() {
    std::string pattern = (std::filesystem::temp_directory_path() / "sb-http-pki-XXXXXX").string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    if (::mkdtemp(buffer.data()) == nullptr) {
        throw std::runtime_error("mkdtemp failed for " + pattern);
    }
    dir_ = buffer.data();
    const auto p = [this](const char* name) { return quote(dir_ / name); };

    run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2"
        " -subj '/CN=Switchboard Test CA' -keyout " + p("ca.key") + " -out " + p("ca.crt") +
        " -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign");

    auto issue = [&](const char* name, const char* cn, const char* san) {
        const std::string base = name;
        {
            std::ofstream ext(dir_ / (base + ".ext"));
            ext << "basicConstraints=CA:FALSE\n"
                << "keyUsage=critical,digitalSignature\n"
                << "extendedKeyUsage=serverAuth\n"
                << "subjectAltName=" << san << "\n";
        }
        run("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj '/CN=" +
            std::string(cn) + "' -keyout " + p((base + ".key").c_str()) + " -out " +
            p((base + ".csr").c_str()));
        run("openssl x509 -req -days 2 -in " + p((base + ".csr").c_str()) + " -CA " + p("ca.crt") +
            " -CAkey " + p("ca.key") + " -CAcreateserial -extfile " +
            p((base + ".ext").c_str()) + " -out " + p((base + ".crt").c_str()));
    };
    issue("localhost", "localhost", "DNS:localhost,IP:127.0.0.1");
    issue("other", "other.example", "DNS:other.example");
}

TestCertificates::~TestCertificates() {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
}

std::string TestCertificates::ca_certificate() const { return (dir_ / "ca.crt").string(); }
std::string TestCertificates::localhost_certificate() const {
    return (dir_ / "localhost.crt").string();
}
std::string TestCertificates::localhost_key() const { return (dir_ / "localhost.key").string(); }
std::string TestCertificates::other_host_certificate() const {
    return (dir_ / "other.crt").string();
}
std::string TestCertificates::other_host_key() const { return (dir_ / "other.key").string(); }

} // namespace switchboard::http::test_support
