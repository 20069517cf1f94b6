// Per-request settings that override the client's defaults.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::http {

struct RateLimitHeaderRule; // retry_policy.hpp

struct RequestOptions {
    // Names the caller in metrics (e.g. the provider id "hubspot"). Never a URL: URLs may
    // carry tokens in their query.
    std::string metrics_label;

    // Each unset field falls back to the client's option of the same name.
    std::optional<std::chrono::milliseconds> connect_timeout;
    std::optional<std::chrono::milliseconds> read_timeout;
    std::optional<std::chrono::milliseconds> deadline; // all attempts and waits together
    std::optional<int> max_attempts;                   // 1 disables retries
    // The largest response body accepted (upstream_response_too_large beyond it).
    std::optional<std::uint64_t> max_response_body_bytes;

    // POST and PATCH are not idempotent: a 5xx or a failure after the request was sent is
    // retried only when the caller says the request is safe to repeat (e.g. it carries an
    // idempotency key). 429 and failures before anything was sent are always retried.
    bool retry_non_idempotent = false;

    // The provider's rate-limit headers, read on a 429 besides Retry-After (its policy's
    // rules, see retry_policy.hpp); null: Retry-After alone.
    std::shared_ptr<const std::vector<RateLimitHeaderRule>> rate_limit_rules;
};

} // namespace switchboard::http
