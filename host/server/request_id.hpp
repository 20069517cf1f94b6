// Request ids: one per request, in the X-Request-Id response header, the error body and every
// log line about the request, so that a caller's report can be found in the logs.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace switchboard::server {

inline constexpr std::size_t max_request_id_length = 128;

// True if `id` may be taken from a caller's X-Request-Id: 1 to max_request_id_length
// characters from [A-Za-z0-9._:-], so it is safe to echo in headers and logs.
bool is_acceptable_request_id(std::string_view id) noexcept;

// 128 random bits as 32 lowercase hex characters.
std::string generate_request_id();

// `incoming` when acceptable, a generated id otherwise.
std::string choose_request_id(std::string_view incoming);

} // namespace switchboard::server
