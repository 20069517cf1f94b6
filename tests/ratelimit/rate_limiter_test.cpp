// The limiter's decisions on a test clock: within the wait bound a call waits and goes
// through; beyond it, it is refused at once with the Retry-After its buckets need; a provider
// without limits is never held; when the shared buckets fail, the local ones decide.
#include "core/ratelimit/token_bucket_rate_limiter.hpp"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

namespace switchboard::ratelimit {
namespace {

using std::chrono::milliseconds;

// A store that is down.
class FailingBuckets final : public TokenBuckets {
public:
    Result<milliseconds> try_take(const std::vector<BucketClaim>&) override {
        ++calls;
        return Error(ErrorKind::unavailable, "rate_limit_store_unavailable", "down");
    }
    int calls = 0;
};

double counter(prometheus::Registry& registry, const std::string& name,
               const std::map<std::string, std::string>& labels) {
    for (const auto& family : registry.Collect()) {
        if (family.name != name) continue;
        for (const auto& sample : family.metric) {
            std::map<std::string, std::string> have;
            for (const auto& label : sample.label) have[label.name] = label.value;
            if (have == labels) return sample.counter.value;
        }
    }
    return 0;
}

class RateLimiterTest : public ::testing::Test {
protected:
    TokenBucketRateLimiter limiter(std::shared_ptr<TokenBuckets> buckets,
                                   std::shared_ptr<TokenBuckets> fallback = nullptr) {
        TokenBucketRateLimiterParts parts;
        parts.buckets = std::move(buckets);
        parts.fallback = std::move(fallback);
        parts.metrics = std::make_shared<RateLimitMetrics>(registry_);
        parts.clock = [this] { return now_; };
        parts.sleep = [this](milliseconds wait) {
            slept_.push_back(wait);
            now_ += wait;
        };
        RateLimitPolicy policy;
        policy.max_wait = milliseconds(1000);
        policy.providers["hubspot"] = {std::nullopt,
                                       config::RateBucketConfig{1, 2}}; // 1 per 500 ms
        policy.providers["gmail"] = {config::RateBucketConfig{1, 0.25}, std::nullopt};  // 1 per 4 s
        return TokenBucketRateLimiter(std::move(parts), std::move(policy));
    }
    std::shared_ptr<LocalTokenBuckets> local() {
        return std::make_shared<LocalTokenBuckets>([this] { return now_; });
    }

    std::chrono::steady_clock::time_point now_ = std::chrono::steady_clock::now();
    std::vector<milliseconds> slept_;
    std::shared_ptr<prometheus::Registry> registry_ = std::make_shared<prometheus::Registry>();
};

TEST_F(RateLimiterTest, WithinTheBoundACallWaitsForItsToken) {
    auto limits = limiter(local());
    auto first = limits.acquire("hubspot", "acme");
    ASSERT_TRUE(first);
    EXPECT_EQ(first->waited, milliseconds(0));
    auto second = limits.acquire("hubspot", "acme");
    ASSERT_TRUE(second) << second.error().message;
    EXPECT_EQ(second->waited, milliseconds(500));
    EXPECT_EQ(slept_, std::vector<milliseconds>{milliseconds(500)});
    EXPECT_EQ(counter(*registry_, "switchboard_rate_limit_decisions_total",
                      {{"provider", "hubspot"}, {"decision", "waited"}}),
              1);
    // Another tenant does not wait for acme's budget.
    auto other = limits.acquire("hubspot", "globex");
    ASSERT_TRUE(other);
    EXPECT_EQ(other->waited, milliseconds(0));
}

TEST_F(RateLimiterTest, BeyondTheBoundACallIsRefusedAtOnceWithRetryAfter) {
    auto limits = limiter(local());
    ASSERT_TRUE(limits.acquire("gmail", "acme"));
    auto refused = limits.acquire("gmail", "globex"); // the provider's bucket: 4 s away
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::rate_limited);
    EXPECT_EQ(refused.error().code, "rate_limited");
    EXPECT_EQ(refused.error().retry_after_seconds, 4);
    EXPECT_NE(refused.error().message.find("gmail"), std::string::npos);
    EXPECT_TRUE(slept_.empty()) << "a call that cannot make it in time does not wait first";
    EXPECT_EQ(counter(*registry_, "switchboard_rate_limit_decisions_total",
                      {{"provider", "gmail"}, {"decision", "refused"}}),
              1);
    // A bound of zero refuses what is not there now.
    auto limits2 = limiter(local());
    ASSERT_TRUE(limits2.acquire("hubspot", "acme"));
    auto now_only = limits2.acquire("hubspot", "acme", milliseconds(0));
    ASSERT_FALSE(now_only);
    EXPECT_EQ(now_only.error().retry_after_seconds, 1) << "500 ms rounds up to 1 s";
}

TEST_F(RateLimiterTest, AProviderWithoutLimitsIsNeverHeld) {
    auto buckets = std::make_shared<FailingBuckets>();
    auto limits = limiter(buckets);
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(limits.acquire("google_drive", "acme"));
    EXPECT_EQ(buckets->calls, 0);
}

TEST_F(RateLimiterTest, WhenTheSharedBucketsFailTheLocalOnesDecide) {
    auto shared = std::make_shared<FailingBuckets>();
    auto limits = limiter(shared, local());
    ASSERT_TRUE(limits.acquire("gmail", "acme"));
    auto refused = limits.acquire("gmail", "acme");
    ASSERT_FALSE(refused) << "still limited, by this instance alone";
    EXPECT_EQ(shared->calls, 2);
    EXPECT_EQ(counter(*registry_, "switchboard_rate_limit_store_failures_total", {}), 2);

    // With nothing to fall back on, a call goes through rather than failing with the store.
    auto unchecked = limiter(std::make_shared<FailingBuckets>());
    EXPECT_TRUE(unchecked.acquire("gmail", "acme"));
    EXPECT_TRUE(unchecked.acquire("gmail", "acme"));
    EXPECT_EQ(counter(*registry_, "switchboard_rate_limit_decisions_total",
                      {{"provider", "gmail"}, {"decision", "unchecked"}}),
              2);
}

// The providers' own limits (their plugins' policies) are the defaults; a provider the
// config lists has the config's buckets instead.
TEST_F(RateLimiterTest, ThePolicyComesFromThePluginsDefaultsAndTheConfig) {
    const std::map<std::string, config::ProviderRateLimits> defaults = {
        {"hubspot", {std::nullopt, config::RateBucketConfig{50, 5}}},
        {"google_calendar",
         {config::RateBucketConfig{1000, 150}, config::RateBucketConfig{120, 8}}}};
    config::RateLimitsConfig config;
    EXPECT_TRUE(config.providers.empty()) << "the host itself knows no provider's limits";
    config.providers["hubspot"] = {std::nullopt, config::RateBucketConfig{10, 1}};
    auto policy = rate_limit_policy(config, defaults);
    EXPECT_EQ(policy.max_wait, milliseconds(2000));
    EXPECT_TRUE(policy.providers.contains("google_calendar"));
    EXPECT_EQ(policy.providers.at("hubspot").tenant->capacity, 10) << "the config wins";
    EXPECT_TRUE(rate_limit_policy(config::RateLimitsConfig{}).providers.empty());
    config.enabled = false;
    EXPECT_TRUE(rate_limit_policy(config, defaults).providers.empty());
    EXPECT_EQ(tenant_bucket_key("hubspot", "acme"), "{hubspot}:tenant:acme");
    EXPECT_EQ(provider_bucket_key("hubspot"), "{hubspot}:provider");
}

// (Each shipped plugin's defaults are checked against its published limits in
// tests/plugin/provider_policy_test.cpp.)

} // namespace
} // namespace switchboard::ratelimit
