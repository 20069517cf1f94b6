// PKCE verification (RFC 7636 §4.6).
#pragma once

#include <string>
#include <string_view>

namespace switchboard::sim {

// base64url(SHA-256(verifier)), without padding.
std::string pkce_s256_challenge(std::string_view verifier);

// True when `verifier` is a syntactically valid code_verifier (43-128 unreserved chars).
bool pkce_verifier_well_formed(std::string_view verifier);

// True when `verifier` matches `challenge` under `method` ("S256" or "plain").
bool pkce_verify(std::string_view method, std::string_view challenge, std::string_view verifier);

} // namespace switchboard::sim
