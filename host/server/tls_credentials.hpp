// The listener's TLS certificate and key, loaded from their files into an OpenSSL context that
// new connections take. reload() reads the files again and swaps the context in only if the
// new one is complete: connections already open keep the context they started with, and a
// bad file leaves the old certificate serving.
//
// The context: TLS 1.2 at least, OpenSSL's default ciphers at security level 2, no
// compression, no renegotiation, the server's cipher order, ALPN "http/1.1" (the only
// protocol spoken). The private key file is refused when its group or others may write it
// (they could replace the key), as secrets read from files are (core/config/environment.hpp).
// An encrypted key is refused rather than prompting for a passphrase.
#pragma once

#include "core/common/error.hpp"
#include "host/server/server_options.hpp"

#include <memory>
#include <mutex>

namespace boost::asio::ssl {
class context;
}

namespace switchboard::server {

class TlsCredentials {
public:
    // Errors: invalid_input `invalid_tls_config`, the message naming the setting
    // (server.tls.certificate_file or server.tls.private_key_file) and the path, never the
    // key's content; `field` is the setting.
    static Result<std::shared_ptr<TlsCredentials>> load(TlsOptions options);

    // The context a new connection uses. Thread-safe.
    std::shared_ptr<boost::asio::ssl::context> current() const;

    // Reads the files again; on failure the current context stays. Thread-safe.
    Result<void> reload();

private:
    TlsCredentials(TlsOptions options, std::shared_ptr<boost::asio::ssl::context> context);

    const TlsOptions options_;
    mutable std::mutex mutex_;
    std::shared_ptr<boost::asio::ssl::context> context_;
};

// A context from `options`' files (see TlsCredentials::load for the errors).
Result<std::shared_ptr<boost::asio::ssl::context>> load_tls_context(const TlsOptions& options);

} // namespace switchboard::server
