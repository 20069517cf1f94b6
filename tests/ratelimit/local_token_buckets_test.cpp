// The in-process token buckets on a test clock: a bucket lets its capacity through at once,
// then one call per 1/refill; a call takes from all its buckets or from none; tenants have
// buckets of their own; buckets that refilled completely are forgotten.
#include "core/ratelimit/local_token_buckets.hpp"

#include <gtest/gtest.h>

namespace switchboard::ratelimit {
namespace {

using std::chrono::milliseconds;

class LocalTokenBucketsTest : public ::testing::Test {
protected:
    std::chrono::steady_clock::time_point now_ = std::chrono::steady_clock::now();
    LocalTokenBuckets buckets_{[this] { return now_; }};

    milliseconds take(const std::vector<BucketClaim>& claims) {
        auto taken = buckets_.try_take(claims);
        EXPECT_TRUE(taken);
        return taken ? *taken : milliseconds(-1);
    }
};

TEST_F(LocalTokenBucketsTest, ABurstOfCapacityThenOneCallPerRefill) {
    const BucketClaim bucket{"{hubspot}:tenant:acme", 3, 2}; // 3 at once, 2 per second
    for (int i = 0; i < 3; ++i) EXPECT_EQ(take({bucket}), milliseconds(0)) << i;
    EXPECT_EQ(take({bucket}), milliseconds(500)) << "one token is 1/2 s away";
    now_ += milliseconds(200);
    EXPECT_EQ(take({bucket}), milliseconds(300));
    now_ += milliseconds(300);
    EXPECT_EQ(take({bucket}), milliseconds(0));
    EXPECT_EQ(take({bucket}), milliseconds(500));
    // A long pause refills to the capacity, never beyond.
    now_ += std::chrono::hours(1);
    for (int i = 0; i < 3; ++i) EXPECT_EQ(take({bucket}), milliseconds(0)) << i;
    EXPECT_GT(take({bucket}), milliseconds(0));
}

TEST_F(LocalTokenBucketsTest, ACallTakesFromAllItsBucketsOrFromNone) {
    const BucketClaim app{"{hubspot}:provider", 10, 1};
    const BucketClaim tenant{"{hubspot}:tenant:acme", 1, 0.5};
    EXPECT_EQ(take({app, tenant}), milliseconds(0));
    // The tenant's bucket is empty: the provider's keeps its token.
    EXPECT_EQ(take({app, tenant}), milliseconds(2000));
    EXPECT_EQ(take({app, tenant}), milliseconds(2000));
    for (int i = 0; i < 9; ++i) EXPECT_EQ(take({app}), milliseconds(0)) << i;
    EXPECT_EQ(take({app}), milliseconds(1000)) << "9 left after the one call that went through";
    // The wait is the longest of the buckets'.
    now_ += milliseconds(500);
    EXPECT_EQ(take({app, tenant}), milliseconds(1500));
}

TEST_F(LocalTokenBucketsTest, TenantsHaveBucketsOfTheirOwnAndShareTheProvidersBucket) {
    const BucketClaim app{"{gmail}:provider", 3, 0.001};
    const BucketClaim acme{"{gmail}:tenant:acme", 2, 0.001};
    const BucketClaim globex{"{gmail}:tenant:globex", 2, 0.001};
    EXPECT_EQ(take({app, acme}), milliseconds(0));
    EXPECT_EQ(take({app, acme}), milliseconds(0));
    EXPECT_GT(take({app, acme}), milliseconds(0)) << "acme's own budget is spent";
    EXPECT_EQ(take({app, globex}), milliseconds(0)) << "globex has its own";
    EXPECT_GT(take({app, globex}), milliseconds(0)) << "the provider's budget is spent";
}

TEST_F(LocalTokenBucketsTest, BucketsThatRefilledCompletelyAreForgotten) {
    for (int i = 0; i < 100; ++i) {
        take({{"{hubspot}:tenant:t" + std::to_string(i), 5, 5}});
    }
    EXPECT_EQ(buckets_.size(), 100u);
    now_ += std::chrono::seconds(2); // every one is full again after 1 s
    for (int i = 0; i < 1024; ++i) take({{"{hubspot}:tenant:active", 2000, 1000}});
    EXPECT_EQ(buckets_.size(), 1u);
}

} // namespace
} // namespace switchboard::ratelimit
