// Strict base64url without padding (RFC 7515 section 2), as JWS and JWK use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchboard::auth {

// nullopt for any character outside [A-Za-z0-9_-], for padding, or for an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

} // namespace switchboard::auth
