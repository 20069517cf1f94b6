// The one place where a failure becomes an HTTP answer. Every error the API sends has the
// same shape:
//   {"error": {"code": "...", "message": "...", "field": "..."}, "request_id": "..."}
// with `field` only when the error names an input.
#pragma once

#include "core/common/error.hpp"
#include "host/server/response.hpp"

#include <string_view>

namespace switchboard::server {

// invalid_input 400, unauthenticated 401, forbidden 403, not_found 404, conflict 409,
// payload_too_large 413, unsupported_media_type 415, rate_limited 429, upstream_failed 502,
// unavailable 503, unsupported 501, internal 500.
http::status http_status(ErrorKind kind) noexcept;

// The JSON error body, serialised.
std::string error_body(std::string_view code, std::string_view message, std::string_view field,
                       std::string_view request_id);

// `error` as a response: its mapped status, the JSON body, and `WWW-Authenticate: Bearer`
// for unauthenticated.
Response error_response(const Error& error, std::string_view request_id);

// An error the server produces itself with a status no ErrorKind maps to (405, 408, 431...).
Response error_response(http::status status, std::string_view code, std::string_view message,
                        std::string_view request_id);

} // namespace switchboard::server
