// Bearer JWT authentication: HS256 with a shared secret (Supabase-style) and RS256/ES256
// against the keys of a JWKS file or of a JWKS URL (jwks_cache.hpp); exp, nbf, iss and aud checked; tenant and user read from
// configurable claims.
#pragma once

#include "core/auth/authenticator.hpp"
#include "core/auth/jwks.hpp"
#include "core/auth/jwks_cache.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace switchboard::auth {

struct JwtAuthenticatorOptions {
    // HS256 key, already read from the environment by the caller; at least 32 bytes. Empty
    // disables HS256.
    std::string hs256_secret;
    // JWKS file with the RS256/ES256 public keys. Empty: no asymmetric keys.
    std::string jwks_file;
    // The keys an identity provider publishes at a URL, tried after the file's. Null: none.
    std::shared_ptr<JwksCache> remote_keys;
    // Accepted "alg" values, from {"HS256", "RS256", "ES256"}. Empty: every algorithm for
    // which a key is configured. Listing one without a key is a configuration error.
    std::vector<std::string> algorithms;
    // Required "iss" value. Empty is refused by create() unless allow_any_issuer.
    std::string issuer;
    // Accepted audiences: the token's "aud" (a string or an array) must contain one of them.
    // Empty is refused by create() unless allow_any_audience.
    std::vector<std::string> audiences;
    // Accept tokens of any issuer / for any audience that a configured key verifies. Only
    // with a key that no other issuer or audience shares (see config/README.md).
    bool allow_any_issuer = false;
    bool allow_any_audience = false;
    // Clock skew allowed on exp and nbf.
    std::chrono::seconds leeway{30};
    // Whether a token without "exp" is refused. Supabase and most issuers always set it.
    bool require_exp = true;
    // JSON Pointers (RFC 6901) into the claims. The value must be a non-empty string or an
    // integer. E.g. a namespaced claim "https://example.com/tenant" is
    // "/https:~1~1example.com~1tenant".
    std::string tenant_claim = "/app_metadata/tenant_id";
    std::string user_claim = "/sub";
    // The current time; tests inject one. Default: the system clock.
    std::function<std::chrono::system_clock::time_point()> now;
};

// Verification is done on OpenSSL EVP directly rather than with cpp-jwt 1.4 (Debian 12's
// libcpp-jwt-dev), which, checked against that version: verifies the claims before the
// signature (a forged, expired token reports "token expired"); compares HMACs with a plain,
// non-constant-time string compare; accepts "aud" only as a single string (an array gives a
// type-conversion error) and a single expected audience; does exp/nbf arithmetic in unsigned
// integers, so a small or negative value wraps around with a leeway; refuses any "typ" but
// "JWT" (e.g. RFC 9068's "at+jwt"); reads the system clock itself; takes PEM keys only, with
// no JWKS or "kid" selection; and throws out of its error_code overload on a non-string
// "alg". Its ES256 check does convert JWS r||s to DER correctly; its HS256 check uses
// whatever key string it is given, so algorithm confusion is prevented only by choosing the
// key by algorithm, as verify() does here (the HMAC key is never a JWKS entry).
class JwtAuthenticator final : public Authenticator {
public:
    // Loads the JWKS and checks the options. Errors: invalid_input with code
    // invalid_auth_config (or invalid_jwks), naming the option that is wrong.
    static Result<std::unique_ptr<JwtAuthenticator>> create(JwtAuthenticatorOptions options);

    Result<Principal> authenticate(std::string_view authorization_header_value) const override;

    // A JWS compact serialization: three dot-separated parts.
    bool recognizes(std::string_view credential) const noexcept override;

    // Verifies a bare token (no "Bearer "), for callers that get it elsewhere.
    Result<Principal> verify_token(std::string_view token) const;

private:
    struct Config;
    static Result<Principal> verify(const Config& config, std::string_view token);
    explicit JwtAuthenticator(std::shared_ptr<const Config> config);
    std::shared_ptr<const Config> config_;
};

} // namespace switchboard::auth
