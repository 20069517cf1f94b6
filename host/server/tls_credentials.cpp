#include "host/server/tls_credentials.hpp"

#include <boost/asio/ssl/context.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace switchboard::server {

namespace ssl = boost::asio::ssl;

namespace {

constexpr const char* certificate_setting = "server.tls.certificate_file";
constexpr const char* key_setting = "server.tls.private_key_file";

Error tls_error(const char* setting, const std::filesystem::path& path, const std::string& problem) {
    // OpenSSL keeps the reasons of a failed load per thread; a later handshake on this thread
    // must not find them.
    ERR_clear_error();
    return Error(ErrorKind::invalid_input, "invalid_tls_config",
                 std::string(setting) + " '" + path.string() + "' " + problem, setting);
}

// A readable regular file, or why not.
std::optional<Error> check_readable(const char* setting, const std::filesystem::path& path,
                                    struct stat& status) {
    if (path.empty()) {
        return tls_error(setting, path, "is empty: name the file");
    }
    if (::stat(path.c_str(), &status) != 0) {
        return tls_error(setting, path, std::string("cannot be read: ") + std::strerror(errno));
    }
    if (!S_ISREG(status.st_mode)) {
        return tls_error(setting, path, "is not a regular file");
    }
    if (!std::ifstream(path).good()) {
        return tls_error(setting, path, std::string("cannot be read: ") + std::strerror(errno));
    }
    return std::nullopt;
}

// ALPN: this server speaks HTTP/1.1 only. A client that offers other protocols alone gets no
// ALPN answer (and then usually gives up, which is right).
int select_http11(SSL*, const unsigned char** out, unsigned char* out_length,
                  const unsigned char* offered, unsigned int offered_length, void*) {
    static const unsigned char ours[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
    unsigned char* selected = nullptr;
    if (SSL_select_next_proto(&selected, out_length, ours, sizeof ours, offered,
                              offered_length) != OPENSSL_NPN_NEGOTIATED) {
        return SSL_TLSEXT_ERR_NOACK;
    }
    *out = selected;
    return SSL_TLSEXT_ERR_OK;
}

} // namespace

Result<std::shared_ptr<ssl::context>> load_tls_context(const TlsOptions& options) {
    struct stat status {};
    if (auto problem = check_readable(certificate_setting, options.certificate_file, status)) {
        return *problem;
    }
    if (auto problem = check_readable(key_setting, options.private_key_file, status)) {
        return *problem;
    }
    // Whoever may write the key file may replace the key: refused, as read_secret refuses a
    // secret file others may write.
    if ((status.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
        char mode[8];
        std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(status.st_mode & 07777));
        return tls_error(key_setting, options.private_key_file,
                         std::string("is writable by its group or by others (mode ") + mode +
                             "), who could replace the key: chmod 600 it");
    }

    auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
    SSL_CTX* native = context->native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    SSL_CTX_set_security_level(native, 2);
    SSL_CTX_set_options(native, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                    SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_SINGLE_DH_USE |
                                    SSL_OP_SINGLE_ECDH_USE);
    SSL_CTX_set_alpn_select_cb(native, select_http11, nullptr);
    // An encrypted key would make OpenSSL ask for a passphrase on the terminal: the empty
    // answer makes it fail instead.
    context->set_password_callback(
        [](std::size_t, ssl::context::password_purpose) { return std::string(); });

    boost::system::error_code ec;
    context->use_certificate_chain_file(options.certificate_file.string(), ec);
    if (ec) {
        return tls_error(certificate_setting, options.certificate_file,
                         "is not a PEM certificate (chain) OpenSSL accepts: " + ec.message());
    }
    context->use_private_key_file(options.private_key_file.string(), ssl::context::pem, ec);
    if (ec && ERR_GET_REASON(static_cast<unsigned long>(ec.value())) ==
                  X509_R_KEY_VALUES_MISMATCH) {
        return tls_error(key_setting, options.private_key_file,
                         std::string("does not match the certificate in ") + certificate_setting);
    }
    if (ec) {
        // OpenSSL's reason names what failed (no start line, bad decrypt), never key material.
        return tls_error(key_setting, options.private_key_file,
                         "is not an unencrypted PEM private key OpenSSL accepts: " +
                             ec.message());
    }
    if (SSL_CTX_check_private_key(native) != 1) {
        return tls_error(key_setting, options.private_key_file,
                         std::string("does not match the certificate in ") + certificate_setting);
    }
    return context;
}

Result<std::shared_ptr<TlsCredentials>> TlsCredentials::load(TlsOptions options) {
    auto context = load_tls_context(options);
    if (!context) {
        return context.error();
    }
    return std::shared_ptr<TlsCredentials>(
        new TlsCredentials(std::move(options), std::move(*context)));
}

TlsCredentials::TlsCredentials(TlsOptions options, std::shared_ptr<ssl::context> context)
    : options_(std::move(options)), context_(std::move(context)) {}

std::shared_ptr<ssl::context> TlsCredentials::current() const {
    const std::lock_guard lock(mutex_);
    return context_;
}

Result<void> TlsCredentials::reload() {
    auto context = load_tls_context(options_);
    if (!context) {
        return context.error();
    }
    const std::lock_guard lock(mutex_);
    context_ = std::move(*context);
    return {};
}

} // namespace switchboard::server
