// The shared buckets on a real redis-server: the same semantics as the local ones; two
// instances (each its own connections, buckets and limiter) keep one budget between them,
// where local buckets would each grant the whole budget; a Redis that forgot the script (a
// restart, SCRIPT FLUSH) gets it again; a Redis that is down leaves the decision to the local
// buckets, and takes it back once it answers.
#include "core/ratelimit/redis_token_buckets.hpp"
#include "core/ratelimit/token_bucket_rate_limiter.hpp"
#include "tests/support/redis_server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <thread>

namespace switchboard::ratelimit {
namespace {

using std::chrono::milliseconds;

class RedisTokenBucketsTest : public ::testing::Test {
protected:
    std::shared_ptr<redis::RedisClient> client() {
        redis::RedisOptions options;
        options.host = redis_.host();
        options.port = redis_.port();
        options.connect_timeout = milliseconds(500);
        options.command_timeout = milliseconds(500);
        return std::make_shared<redis::RedisClient>(options);
    }
    // One instance's limiter: its own connections to the shared Redis.
    std::unique_ptr<TokenBucketRateLimiter> instance(bool shared = true,
                                                     milliseconds max_wait = milliseconds(0)) {
        TokenBucketRateLimiterParts parts;
        auto local = std::make_shared<LocalTokenBuckets>();
        if (shared) {
            parts.buckets = std::make_shared<RedisTokenBuckets>(client(), prefix_);
            parts.fallback = local;
        } else {
            parts.buckets = local;
        }
        RateLimitPolicy policy;
        policy.max_wait = max_wait;
        // Twenty calls per tenant, refilled one a day: nothing refills during a test.
        policy.providers["hubspot"] = {std::nullopt, config::RateBucketConfig{20, 1.0 / 86'400}};
        policy.providers["google_calendar"] = {config::RateBucketConfig{1, 2}, std::nullopt};
        return std::make_unique<TokenBucketRateLimiter>(std::move(parts), std::move(policy));
    }

    // Sixteen threads, half on each limiter, each trying `calls` times at once.
    static int granted_by_two(RateLimiter& first, RateLimiter& second, int calls) {
        std::atomic<int> granted{0};
        std::latch go(16);
        std::vector<std::thread> threads;
        for (int t = 0; t < 16; ++t) {
            threads.emplace_back([&, t] {
                RateLimiter& limiter = t % 2 == 0 ? first : second;
                go.arrive_and_wait();
                for (int i = 0; i < calls; ++i) {
                    if (limiter.acquire("hubspot", "acme")) ++granted;
                }
            });
        }
        for (auto& thread : threads) thread.join();
        return granted.load();
    }

    testing::RedisServer redis_;
    std::string prefix_ = "test:ratelimit:";
};

TEST_F(RedisTokenBucketsTest, ABurstOfCapacityThenTheWaitForTheNextToken) {
    RedisTokenBuckets buckets(client(), prefix_);
    const BucketClaim bucket{"{hubspot}:tenant:acme", 3, 2};
    for (int i = 0; i < 3; ++i) EXPECT_EQ(*buckets.try_take({bucket}), milliseconds(0)) << i;
    auto wait = buckets.try_take({bucket});
    ASSERT_TRUE(wait) << wait.error().message;
    EXPECT_GT(*wait, milliseconds(0));
    EXPECT_LE(*wait, milliseconds(500));
    // All or nothing: an empty tenant bucket leaves the provider's untouched.
    const BucketClaim app{"{hubspot}:provider", 1, 0.001};
    EXPECT_GT(*buckets.try_take({app, bucket}), milliseconds(0));
    EXPECT_EQ(*buckets.try_take({app}), milliseconds(0));
    // The state lives in Redis, under the prefix, and expires once it would be full again.
    const std::string ttl = redis_.command("PTTL " + prefix_ + "{hubspot}:tenant:acme");
    EXPECT_NE(ttl.find(":"), std::string::npos) << ttl;
    EXPECT_EQ(ttl.find(":-"), std::string::npos) << "no expiry: " << ttl;
}

TEST_F(RedisTokenBucketsTest, TwoInstancesSharingRedisKeepOneBudget) {
    auto first = instance(), second = instance();
    EXPECT_EQ(granted_by_two(*first, *second, 5), 20);
    // The same two instances on local buckets would each grant the whole budget.
    auto lone_first = instance(false), lone_second = instance(false);
    EXPECT_EQ(granted_by_two(*lone_first, *lone_second, 5), 40);
}

TEST_F(RedisTokenBucketsTest, ACallWaitsForARedisTokenWithinTheBoundAndIsRefusedBeyondIt) {
    auto patient = instance(true, milliseconds(2000));
    ASSERT_TRUE(patient->acquire("google_calendar", "acme"));
    auto waited = patient->acquire("google_calendar", "globex"); // the provider's bucket: 2/s
    ASSERT_TRUE(waited) << waited.error().message;
    EXPECT_GT(waited->waited, milliseconds(0));

    auto hasty = instance(true, milliseconds(0));
    auto refused = hasty->acquire("google_calendar", "acme");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "rate_limited");
    EXPECT_EQ(refused.error().retry_after_seconds, 1);
}

TEST_F(RedisTokenBucketsTest, ARedisThatForgotTheScriptIsSentItAgain) {
    RedisTokenBuckets buckets(client(), prefix_);
    const BucketClaim bucket{"{hubspot}:tenant:acme", 5, 1};
    ASSERT_EQ(*buckets.try_take({bucket}), milliseconds(0));
    redis_.command("SCRIPT FLUSH");
    auto again = buckets.try_take({bucket});
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(*again, milliseconds(0));
}

TEST_F(RedisTokenBucketsTest, WhileRedisIsDownTheInstanceLimitsOnItsOwn) {
    auto limiter = instance();
    for (int i = 0; i < 20; ++i) ASSERT_TRUE(limiter->acquire("hubspot", "acme")) << i;
    ASSERT_FALSE(limiter->acquire("hubspot", "acme"));
    redis_.stop();
    // The local buckets start full: this instance alone allows its own budget, no more.
    int granted = 0;
    for (int i = 0; i < 30; ++i) granted += limiter->acquire("hubspot", "acme") ? 1 : 0;
    EXPECT_EQ(granted, 20);
    redis_.start(); // an empty Redis (no persistence): a fresh shared budget
    auto back = limiter->acquire("hubspot", "acme");
    EXPECT_TRUE(back) << "Redis decides again once it answers";
}

} // namespace
} // namespace switchboard::ratelimit
