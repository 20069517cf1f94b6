// The HTTP vocabulary routes speak: methods, status codes and header names. These are the
// server's own types, so that a route never sees the codec that parses the wire (Boost.Beast
// stays inside host/server's sessions), as Envoy's filters see a header map and never the
// codec. The names follow Beast's, so handler code reads as before.
#pragma once

#include <string_view>

namespace switchboard::server::http {

// The methods of RFC 9110 (and PATCH). Anything else a client sends is `unknown` (501).
enum class verb { unknown, delete_, get, head, post, put, connect, options, trace, patch };

// "GET", "DELETE"...; empty for unknown.
std::string_view to_string(verb method) noexcept;
// The method named exactly `name` (methods are case-sensitive), unknown otherwise.
verb string_to_verb(std::string_view name) noexcept;

// The status codes this server and its routes answer with.
enum class status : unsigned {
    continue_ = 100,
    ok = 200,
    created = 201,
    accepted = 202,
    no_content = 204,
    moved_permanently = 301,
    found = 302,
    see_other = 303,
    not_modified = 304,
    temporary_redirect = 307,
    permanent_redirect = 308,
    bad_request = 400,
    unauthorized = 401,
    forbidden = 403,
    not_found = 404,
    method_not_allowed = 405,
    not_acceptable = 406,
    request_timeout = 408,
    conflict = 409,
    gone = 410,
    length_required = 411,
    payload_too_large = 413,
    uri_too_long = 414,
    unsupported_media_type = 415,
    unprocessable_entity = 422,
    too_many_requests = 429,
    request_header_fields_too_large = 431,
    internal_server_error = 500,
    not_implemented = 501,
    bad_gateway = 502,
    service_unavailable = 503,
    gateway_timeout = 504,
};

constexpr unsigned to_int(status code) noexcept {
    return static_cast<unsigned>(code);
}

// Header names, spelled as they go on the wire (comparisons are case-insensitive anyway).
namespace field {
inline constexpr std::string_view access_control_allow_credentials =
    "Access-Control-Allow-Credentials";
inline constexpr std::string_view access_control_allow_headers = "Access-Control-Allow-Headers";
inline constexpr std::string_view access_control_allow_methods = "Access-Control-Allow-Methods";
inline constexpr std::string_view access_control_allow_origin = "Access-Control-Allow-Origin";
inline constexpr std::string_view access_control_expose_headers =
    "Access-Control-Expose-Headers";
inline constexpr std::string_view access_control_max_age = "Access-Control-Max-Age";
inline constexpr std::string_view access_control_request_headers =
    "Access-Control-Request-Headers";
inline constexpr std::string_view access_control_request_method =
    "Access-Control-Request-Method";
inline constexpr std::string_view allow = "Allow";
inline constexpr std::string_view authorization = "Authorization";
inline constexpr std::string_view cache_control = "Cache-Control";
inline constexpr std::string_view connection = "Connection";
inline constexpr std::string_view content_length = "Content-Length";
inline constexpr std::string_view content_type = "Content-Type";
inline constexpr std::string_view etag = "ETag";
inline constexpr std::string_view expect = "Expect";
inline constexpr std::string_view host = "Host";
inline constexpr std::string_view if_none_match = "If-None-Match";
inline constexpr std::string_view location = "Location";
inline constexpr std::string_view origin = "Origin";
inline constexpr std::string_view retry_after = "Retry-After";
inline constexpr std::string_view transfer_encoding = "Transfer-Encoding";
inline constexpr std::string_view vary = "Vary";
inline constexpr std::string_view www_authenticate = "WWW-Authenticate";
inline constexpr std::string_view x_frame_options = "X-Frame-Options";
} // namespace field

} // namespace switchboard::server::http
