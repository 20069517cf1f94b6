// WebhookSigner: the signature of a webhook request, so that the receiver can tell that the
// host sent it, unchanged, recently (the scheme Stripe uses):
//
//   Switchboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>
//
// The receiver recomputes v1 over the timestamp it was given, a dot and the raw body, compares
// in constant time, and refuses a timestamp older than its tolerance (a replay). README.md
// ("Events") has a verification snippet.
#pragma once

#include "core/common/error.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace switchboard::events {

inline constexpr std::string_view signature_header = "Switchboard-Signature";

// Lowercase hex of HMAC-SHA256(key, message). Fails (code `crypto_failure`) only if OpenSSL
// cannot compute it.
Result<std::string> hmac_sha256_hex(std::string_view key, std::string_view message);

// Holds the endpoint's secret (never logged, never in an error). Thread-safe.
class WebhookSigner {
public:
    explicit WebhookSigner(std::string secret) : secret_(std::move(secret)) {}

    // The value of the Switchboard-Signature header for `body` sent at `at`.
    Result<std::string> sign(std::string_view body, std::chrono::system_clock::time_point at) const;

private:
    std::string secret_;
};

} // namespace switchboard::events
