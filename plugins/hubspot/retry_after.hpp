// How long a rate-limited caller should wait, read from a HubSpot 429 answer's headers:
//   1. Retry-After (RFC 9110: delay-seconds or an IMF-fixdate HTTP-date);
//   2. X-HubSpot-RateLimit-Interval-Milliseconds when X-HubSpot-RateLimit-Remaining is 0 or
//      absent: the rolling burst window (10 s for OAuth apps) frees up within one interval;
//   3. X-HubSpot-RateLimit-Secondly-Remaining of 0: the legacy per-second limit, 1 s.
// A daily limit (no such header, resets at midnight in the account's time zone, which the
// plugin does not know) gives no figure rather than a guessed one.
#pragma once

#include "switchboard/host.hpp"

#include <cstdint>
#include <optional>
#include <string_view>

namespace switchboard::plugins::hubspot {

// Whole seconds (rounded up), or nullopt when the headers give no usable figure. `now_unix_ms`
// is the host's clock, for an HTTP-date.
std::optional<std::int64_t> retry_after_seconds(const sdk::HttpResponse& response,
                                                std::int64_t now_unix_ms);

// Milliseconds since the Unix epoch of an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT").
std::optional<std::int64_t> parse_http_date_ms(std::string_view text);

} // namespace switchboard::plugins::hubspot
