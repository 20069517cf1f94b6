// The REST API's caller authentication, built from the config's `auth` section and the
// environment: bearer JWTs (auth.jwt) first, then the static API keys (auth.api_keys, known
// by their SHA-256 only).
#pragma once

#include "core/auth/authenticator.hpp"
#include "core/common/error.hpp"
#include "core/config/config.hpp"
#include "core/config/environment.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace switchboard::app {

// A claim of auth.jwt.tenant_claim / user_claim as a JSON Pointer: a value that starts with
// '/' already is one (RFC 6901: "/app_metadata/tenant_id" reads a nested claim); any other
// value is the name of a top-level claim, escaped ("tenant_id" -> "/tenant_id",
// "https://example.com/tenant" -> "/https:~1~1example.com~1tenant").
std::string claim_pointer(std::string_view claim);

// JWT options from auth.jwt: the HS256 secret read from the variable hs256_secret_env names,
// the JWKS file, the algorithms (this build verifies HS256, RS256 and ES256; the others the
// config accepts are refused here by name), issuer, audience, leeway, and the claims through
// claim_pointer(). Then the API keys. Errors (invalid_input), each naming the config key or
// the variable, never a value:
//   auth_not_configured   neither auth.jwt nor auth.api_keys: no call could be authenticated
//   auth_secret_missing   the variable auth.jwt.hs256_secret_env names is not set
//   invalid_auth_config   an unsupported algorithm, a short secret, a bad claim, a bad key
//   invalid_jwks          the JWKS file cannot be read or parsed
Result<std::shared_ptr<const auth::Authenticator>> build_authenticator(
    const config::AuthConfig& config, const config::Environment& environment);

} // namespace switchboard::app
