// A token endpoint's successful answer: RFC 6749 §5.1 (access_token, token_type, expires_in,
// refresh_token, scope), also with "scopes" as an array, as some providers send it (e.g.
// HubSpot's v1). The account the user connected comes from the identity request
// (sb_oauth_desc.identity_account_field), not from here.
#pragma once

#include "core/common/error.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::oauth {

// Tokens are secrets: never log this struct.
struct TokenResponse {
    std::string access_token;
    std::optional<std::string> refresh_token; // absent (or empty) in the answer: nullopt
    std::optional<std::chrono::seconds> expires_in;
    // What was granted; nullopt when the answer does not say (RFC 6749: then it is what was
    // requested).
    std::optional<std::vector<std::string>> scopes;
    std::string token_type; // as sent, e.g. "Bearer" or "bearer"; empty when absent
};

// Parses a 2xx body. `provider` names the provider in messages. Errors (upstream_failed /
// `provider_error`): not a JSON object, no access_token, a token_type other than bearer,
// an expires_in that is not a non-negative integer (a string of digits is accepted), a scope
// that is neither a string nor an array of strings. Messages never quote a token.
Result<TokenResponse> parse_token_response(std::string_view provider, std::string_view body);

} // namespace switchboard::oauth
