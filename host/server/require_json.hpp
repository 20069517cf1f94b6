// The body of a route that takes JSON: checked media type, parsed, bounded nesting.
#pragma once

#include "core/common/error.hpp"
#include "host/server/request.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::server {

// Deeper documents are refused: nesting this deep is never a real API payload, and code
// that walks JSON recursively must not be handed an unbounded depth.
inline constexpr int max_json_depth = 64;

// The request body as JSON.
//   - Content-Type not application/json (parameters such as charset allowed):
//     unsupported_media_type, code `unsupported_media_type` (415).
//   - empty body, invalid JSON: invalid_input, code `malformed_json`, the message giving the
//     0-based byte offset (never the body's text, which may hold secrets) (400).
//   - nesting deeper than max_json_depth: invalid_input, code `json_too_deep` (400).
Result<nlohmann::json> require_json(const Request& request);

} // namespace switchboard::server
