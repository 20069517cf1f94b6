// RateLimiter: admission of one outbound call to a provider, in front of every call that
// leaves the host for a provider (the plugins' HTTP through ProviderHttpSession, token
// refreshes, and the credentialed proxy when there is one): a token from the provider's bucket
// (all tenants together: the app's quota) and from the tenant's bucket for that provider (the
// per-user or per-account quota), both or neither.
#pragma once

#include "core/common/error.hpp"

#include <chrono>
#include <optional>
#include <string_view>

namespace switchboard::ratelimit {

struct RateLimitGrant {
    std::chrono::milliseconds waited{0}; // how long the call waited for its tokens
};

class RateLimiter {
public:
    virtual ~RateLimiter() = default;

    // Admits one call to `provider` for `tenant_id`: at once when the buckets have a token,
    // after a wait when they will have one within the configured bound (or within `max_wait`
    // when that is shorter: the time left to the call's deadline),
    // otherwise not at all: rate_limited / `rate_limited` with retry_after_seconds (when the
    // buckets will have a token; at least 1), which the API answers as 429 with Retry-After.
    // A provider without limits is admitted at once. Blocks the calling thread while it waits.
    // [thread-safe]
    virtual Result<RateLimitGrant> acquire(std::string_view provider, std::string_view tenant_id,
                                           std::optional<std::chrono::milliseconds> max_wait =
                                               std::nullopt) = 0;
};

// Admits everything (rate limits switched off).
class UnlimitedRateLimiter final : public RateLimiter {
public:
    Result<RateLimitGrant> acquire(std::string_view, std::string_view,
                                   std::optional<std::chrono::milliseconds>) override {
        return RateLimitGrant{};
    }
};

} // namespace switchboard::ratelimit
