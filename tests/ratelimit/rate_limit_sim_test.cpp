// The outbound rate limits in front of the provider calls, with the shipped plugins against
// the provider simulator: an action over the tenant's budget is refused with rate_limited and
// a Retry-After, without reaching the provider, while another tenant goes on; a token refresh
// spends the same budget; within the wait bound, calls wait instead of failing.
#include "core/ratelimit/rate_limiter.hpp"
#include "tests/connectors/support/connector_world.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>

namespace switchboard::ratelimit {
namespace {

using connectors::Principal;

class RateLimitSimTest : public ::testing::Test {
protected:
    void start(config::RateBucketConfig tenant_bucket, std::uint32_t max_wait_ms) {
        world = testing::ConnectorWorld::start({});
        ASSERT_TRUE(world);
        config::Config& c = world->config();
        c.connect.confirmation = config::ConnectConfirmation::immediate;
        c.rate_limits.max_wait_ms = max_wait_ms;
        c.rate_limits.providers["hubspot"] = {std::nullopt, tenant_bucket};
        runtime = world->make_runtime();
        ASSERT_TRUE(runtime);
    }

    std::string connect(const Principal& who) {
        auto started = runtime->connectors().start_authorization(who, {"crm", "hubspot", "CRM"});
        EXPECT_TRUE(started);
        if (!started) return {};
        auto outcome = runtime->connectors().complete_authorization(
            world->authorize(started->authorization_url));
        EXPECT_TRUE(outcome.success) << outcome.error_code;
        return outcome.connector ? outcome.connector->id : std::string();
    }

    Result<nlohmann::json> list_contacts(const Principal& who, const std::string& id) {
        return runtime->connectors().invoke(who, id, "list_contacts", "{}");
    }

    Principal alice{"acme", "alice"}, bob{"globex", "bob"};
    std::unique_ptr<testing::ConnectorWorld> world;
    std::unique_ptr<connectors::ConnectorRuntime> runtime;
};

TEST_F(RateLimitSimTest, AnActionOverTheTenantsBudgetIsRefusedBeforeItReachesTheProvider) {
    start({2, 0.01}, 0); // two calls, then one per 100 s; no waiting
    const std::string id = connect(alice);
    ASSERT_TRUE(list_contacts(alice, id));
    ASSERT_TRUE(list_contacts(alice, id));
    const auto before = world->sim().calls("contacts_list");
    auto refused = list_contacts(alice, id);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::rate_limited);
    EXPECT_EQ(refused.error().code, "rate_limited");
    ASSERT_TRUE(refused.error().retry_after_seconds.has_value());
    EXPECT_GE(*refused.error().retry_after_seconds, 90);
    EXPECT_LE(*refused.error().retry_after_seconds, 100);
    EXPECT_EQ(world->sim().calls("contacts_list"), before) << "the provider saw the refused call";

    // Another tenant has its own budget at the same provider.
    const std::string theirs = connect(bob);
    EXPECT_TRUE(list_contacts(bob, theirs));
}

TEST_F(RateLimitSimTest, ATokenRefreshSpendsTheSameBudget) {
    start({1, 0.01}, 0);
    const std::string id = connect(alice);
    auto refreshed = runtime->connectors().refresh(alice, id);
    ASSERT_TRUE(refreshed) << refreshed.error().message;
    auto refused = list_contacts(alice, id);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "rate_limited");

    // And a refresh over the budget is refused without reaching the token endpoint.
    const auto tokens_before = world->sim().calls("oauth_token");
    EXPECT_EQ(tokens_before, 2u) << "the code exchange and the refresh";
    auto held = runtime->connectors().refresh(alice, id);
    ASSERT_FALSE(held);
    EXPECT_EQ(held.error().code, "rate_limited");
    EXPECT_EQ(world->sim().calls("oauth_token"), tokens_before);
    auto connector = runtime->connectors().get(alice, id);
    ASSERT_TRUE(connector);
    EXPECT_EQ(connector->status, store::ConnectorStatus::active) << "nothing was recorded";
    EXPECT_TRUE(connector->last_error.empty());
}

TEST_F(RateLimitSimTest, WithinTheWaitBoundCallsWaitInsteadOfFailing) {
    start({1, 10}, 2000); // one call per 100 ms, waiting up to 2 s
    const std::string id = connect(alice);
    for (int i = 0; i < 4; ++i) {
        auto listed = list_contacts(alice, id);
        EXPECT_TRUE(listed) << i << ": " << listed.error().code;
    }
}

// With no rate_limits entry for it, a provider is limited by what its plugin publishes in its
// policy: HubSpot's plugin gives each tenant 50 calls at once and 5 a second (the host knows
// no provider's limits of its own).
TEST_F(RateLimitSimTest, WithoutAConfigEntryThePluginsPublishedLimitApplies) {
    world = testing::ConnectorWorld::start({});
    ASSERT_TRUE(world);
    world->config().connect.confirmation = config::ConnectConfirmation::immediate;
    world->config().rate_limits.max_wait_ms = 0;
    ASSERT_TRUE(world->config().rate_limits.providers.empty());
    runtime = world->make_runtime();
    ASSERT_TRUE(runtime);
    const std::string id = connect(alice);
    int admitted = 0;
    std::optional<Error> refused;
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 400 && !refused; ++i) {
        auto listed = list_contacts(alice, id);
        if (listed) {
            ++admitted;
        } else {
            refused = listed.error();
        }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    ASSERT_TRUE(refused.has_value()) << admitted << " calls in " << seconds << " s, none refused";
    EXPECT_EQ(refused->code, "rate_limited") << refused->message;
    // The connect's identity request took one token too: at most 50 + 5/s in all.
    EXPECT_GE(admitted, 49);
    EXPECT_LE(admitted, 50 + 5 * seconds + 1);
}

} // namespace
} // namespace switchboard::ratelimit
