// Base64 as Google and HubSpot use it: standard and URL-safe alphabets (RFC 4648 §4, §5).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchboard::sim {

// Standard alphabet, with '=' padding (MIME bodies, Basic authentication).
std::string base64_encode(std::string_view bytes);

// URL-safe alphabet without padding (Gmail `raw`, PKCE challenges, opaque ids).
std::string base64url_encode(std::string_view bytes);

// Decodes either alphabet, with or without padding. Whitespace (CR, LF, space, tab) is
// ignored, as MIME line-wraps base64 bodies. Returns nullopt on any other invalid input.
std::optional<std::string> base64_decode(std::string_view text);

} // namespace switchboard::sim
