// Credentials as they arrive over HTTP, and the redirect URI rule both providers share.
#pragma once

#include "tests/provider_sim/server/request.hpp"
#include "tests/provider_sim/sim_options.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace switchboard::sim {

// The token of "Authorization: Bearer <token>" (scheme case-insensitive); nullopt if the
// header is missing or uses another scheme.
std::optional<std::string> bearer_token(const Request& request);

// RFC 6749 §2.3.1 client_secret_basic: "Authorization: Basic base64(id:secret)", each part
// form-urlencoded. nullopt if absent; {"", ""} if present but malformed.
std::optional<std::pair<std::string, std::string>> basic_credentials(const Request& request);

// Google's rule: an exact match with a registered URI. With none registered (the test
// default), any absolute http or https URI without a fragment.
bool redirect_uri_allowed(const OAuthClientConfig& client, std::string_view uri);

// Constant-time comparison for secrets.
bool secret_equals(std::string_view a, std::string_view b);

} // namespace switchboard::sim
