#include "core/ratelimit/token_bucket_rate_limiter.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <thread>

namespace switchboard::ratelimit {
namespace {

// A store failure is logged at most this often (it may fail for every call while down).
constexpr std::chrono::seconds warn_every{60};

Error refused(std::string_view provider, std::chrono::milliseconds wait) {
    Error error(ErrorKind::rate_limited, "rate_limited",
                "the calls to " + std::string(provider) +
                    " are over this host's rate limit; retry later");
    error.retry_after_seconds =
        std::max(1, static_cast<int>(std::min<long long>((wait.count() + 999) / 1000, 86'400)));
    return error;
}

} // namespace

RateLimitPolicy rate_limit_policy(
    const config::RateLimitsConfig& config,
    const std::map<std::string, config::ProviderRateLimits>& defaults) {
    RateLimitPolicy policy;
    if (config.enabled) {
        for (const auto& [id, limits] : config.providers) policy.providers.emplace(id, limits);
        for (const auto& [id, limits] : defaults) policy.providers.emplace(id, limits); // no overwrite
    }
    policy.max_wait = std::chrono::milliseconds(config.max_wait_ms);
    return policy;
}

std::string provider_bucket_key(std::string_view provider) {
    return "{" + std::string(provider) + "}:provider";
}

std::string tenant_bucket_key(std::string_view provider, std::string_view tenant_id) {
    return "{" + std::string(provider) + "}:tenant:" + std::string(tenant_id);
}

TokenBucketRateLimiter::TokenBucketRateLimiter(TokenBucketRateLimiterParts parts,
                                               RateLimitPolicy policy)
    : parts_(std::move(parts)), policy_(std::move(policy)) {
    if (!parts_.sleep) {
        parts_.sleep = [](std::chrono::milliseconds wait) { std::this_thread::sleep_for(wait); };
    }
}

std::chrono::steady_clock::time_point TokenBucketRateLimiter::now() const {
    return parts_.clock ? parts_.clock() : std::chrono::steady_clock::now();
}

Result<std::chrono::milliseconds>
TokenBucketRateLimiter::try_take(const std::vector<BucketClaim>& claims) {
    auto taken = parts_.buckets->try_take(claims);
    if (taken || !parts_.fallback) return taken;
    if (parts_.metrics) parts_.metrics->store_failure();
    {
        std::lock_guard lock(warned_mutex_);
        const auto at = now();
        if (warned_at_ == std::chrono::steady_clock::time_point{} || at - warned_at_ >= warn_every) {
            warned_at_ = at;
            spdlog::warn("outbound rate limits: {}; this instance limits on its own until it "
                         "answers again",
                         taken.error().message);
        }
    }
    return parts_.fallback->try_take(claims);
}

Result<RateLimitGrant> TokenBucketRateLimiter::acquire(
    std::string_view provider, std::string_view tenant_id,
    std::optional<std::chrono::milliseconds> max_wait) {
    auto limits = policy_.providers.find(provider);
    if (limits == policy_.providers.end() || (!limits->second.provider && !limits->second.tenant)) {
        return RateLimitGrant{};
    }
    std::vector<BucketClaim> claims;
    if (const auto& bucket = limits->second.provider) {
        claims.push_back({provider_bucket_key(provider), bucket->capacity,
                          bucket->refill_per_second});
    }
    if (const auto& bucket = limits->second.tenant) {
        claims.push_back({tenant_bucket_key(provider, tenant_id), bucket->capacity,
                          bucket->refill_per_second});
    }
    const auto started = now();
    const auto deadline =
        started + std::min(policy_.max_wait, max_wait.value_or(policy_.max_wait));
    while (true) {
        auto wait = try_take(claims);
        if (!wait) {
            // Neither the shared buckets nor a fallback could decide: a limiter outage must
            // not stop every call to the provider.
            if (parts_.metrics) parts_.metrics->decision(provider, "unchecked");
            return RateLimitGrant{};
        }
        const auto at = now();
        if (wait->count() == 0) {
            const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(at - started);
            if (parts_.metrics) {
                parts_.metrics->decision(provider, waited.count() > 0 ? "waited" : "admitted",
                                         waited);
            }
            return RateLimitGrant{waited};
        }
        if (at + *wait > deadline) {
            if (parts_.metrics) parts_.metrics->decision(provider, "refused");
            return refused(provider, *wait);
        }
        parts_.sleep(*wait);
    }
}

} // namespace switchboard::ratelimit
