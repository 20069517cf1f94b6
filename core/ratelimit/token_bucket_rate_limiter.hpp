// TokenBucketRateLimiter: the RateLimiter over TokenBuckets (in-process or Redis), with the
// buckets of each provider from the config.
#pragma once

#include "core/config/config.hpp"
#include "core/ratelimit/local_token_buckets.hpp"
#include "core/ratelimit/rate_limit_metrics.hpp"
#include "core/ratelimit/rate_limiter.hpp"
#include "core/ratelimit/token_buckets.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace switchboard::ratelimit {

struct RateLimitPolicy {
    std::map<std::string, config::ProviderRateLimits, std::less<>> providers;
    std::chrono::milliseconds max_wait{2000};
};

// The policy the config's `rate_limits` section gives over `defaults` (the providers' own
// published limits, from their plugins' policies): a provider the config lists has the
// config's buckets, the others their defaults.
RateLimitPolicy rate_limit_policy(
    const config::RateLimitsConfig& config,
    const std::map<std::string, config::ProviderRateLimits>& defaults = {});

struct TokenBucketRateLimiterParts {
    std::shared_ptr<TokenBuckets> buckets;
    // Used when `buckets` fails (Redis unreachable): each instance then keeps the limits on
    // its own rather than letting every call through or refusing them all. May be null: then
    // a call is admitted when the buckets cannot be asked.
    std::shared_ptr<TokenBuckets> fallback;
    std::shared_ptr<RateLimitMetrics> metrics; // may be null
    // Test seams: the clock the bound is measured on, and how to wait.
    SteadyClock clock;
    std::function<void(std::chrono::milliseconds)> sleep;
};

class TokenBucketRateLimiter final : public RateLimiter {
public:
    TokenBucketRateLimiter(TokenBucketRateLimiterParts parts, RateLimitPolicy policy);

    Result<RateLimitGrant> acquire(std::string_view provider, std::string_view tenant_id,
                                   std::optional<std::chrono::milliseconds> max_wait =
                                       std::nullopt) override;

private:
    Result<std::chrono::milliseconds> try_take(const std::vector<BucketClaim>& claims);
    std::chrono::steady_clock::time_point now() const;

    TokenBucketRateLimiterParts parts_;
    RateLimitPolicy policy_;
    std::mutex warned_mutex_;
    std::chrono::steady_clock::time_point warned_at_{};
};

// The bucket keys of a call: "{<provider>}:provider" and "{<provider>}:tenant:<tenant>".
std::string provider_bucket_key(std::string_view provider);
std::string tenant_bucket_key(std::string_view provider, std::string_view tenant_id);

} // namespace switchboard::ratelimit
