// When and how long to wait before another attempt. Pure functions, so the rules are
// tested without a server.
#pragma once

#include "core/http/http_message.hpp"

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace switchboard::http {

// GET, HEAD, PUT, DELETE, OPTIONS and TRACE (RFC 9110 section 9.2.2).
bool is_idempotent_method(std::string_view method) noexcept;

// 429 and 5xx except 501 (Not Implemented) and 505 (HTTP Version Not Supported), which
// another attempt cannot change.
bool is_retryable_status(int status) noexcept;

// "Full jitter" exponential backoff: a uniform draw in [0, min(cap, base * 2^(retry-1))].
// `retry` is 1 for the wait before the second attempt; `unit_random` is in [0, 1).
std::chrono::milliseconds full_jitter_backoff(int retry, std::chrono::milliseconds base,
                                              std::chrono::milliseconds cap,
                                              double unit_random) noexcept;

// Parses a Retry-After value: delta-seconds or an HTTP-date (IMF-fixdate, RFC 850 or asctime
// form, RFC 9110 section 5.6.7). A date in the past gives zero. nullopt when malformed.
std::optional<std::chrono::milliseconds>
parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now);

// What the server asked for about waiting before the next attempt.
struct ServerRetryHint {
    std::optional<std::chrono::milliseconds> wait; // the longest wait the headers ask for
    bool give_up = false; // the limit cannot reset in a useful time (e.g. a daily limit)
};

// One provider's rate-limit header (a provider policy's rule, switchboard/ext/provider_policy.h):
// on a 429 whose `remaining_header` holds 0, give up, or wait `wait_header` x `wait_unit`
// (else `default_wait`). Header names are lower case.
struct RateLimitHeaderRule {
    std::string remaining_header;
    std::string wait_header; // "" when the provider names none
    std::chrono::milliseconds wait_unit{0};
    std::optional<std::chrono::milliseconds> default_wait;
    bool give_up = false;

    friend bool operator==(const RateLimitHeaderRule&, const RateLimitHeaderRule&) = default;
};

// The longest wait a rule may ask for (a longer header value is cut to it).
inline constexpr std::chrono::milliseconds kMaxRuleWait{3600 * 1000};

// Reads Retry-After (every provider), and on a 429 the provider's rate-limit headers as
// `rules` say: an exhausted budget whose rule gives up gives up; the others ask for their
// wait. The longest wait asked for wins.
ServerRetryHint server_retry_hint(const HttpResponse& response,
                                  std::chrono::system_clock::time_point now,
                                  std::span<const RateLimitHeaderRule> rules = {});

} // namespace switchboard::http
