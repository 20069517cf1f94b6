// Caller authentication for the REST API: turns the Authorization header into a Principal.
#pragma once

#include "core/auth/principal.hpp"
#include "core/common/error.hpp"

#include <string_view>

namespace switchboard::auth {

class Authenticator {
public:
    virtual ~Authenticator() = default;

    // [thread-safe] `authorization_header_value` is the raw value of the Authorization
    // header ("Bearer <credential>"), empty when the request had none. Every error has kind
    // unauthenticated and a stable code (missing_token, unsupported_auth_scheme,
    // invalid_token, token_expired, token_not_yet_valid, invalid_issuer, invalid_audience,
    // missing_tenant_claim, missing_user_claim, invalid_api_key); no message contains the
    // credential.
    virtual Result<Principal> authenticate(std::string_view authorization_header_value) const = 0;

    // Whether `credential` (the part after "Bearer ") has the shape this authenticator
    // reads, so that a composite reports the error of the one that applies.
    virtual bool recognizes(std::string_view credential) const noexcept = 0;
};

} // namespace switchboard::auth
