#include "tests/plugins/support/plugin_sim_harness.hpp"

#include <gtest/gtest.h>

namespace switchboard::testing {
namespace {

class PluginSimHarnessTest : public ::testing::TestWithParam<const char*> {};

TEST_P(PluginSimHarnessTest, LoadsThePluginAndPointsItsUrlsAtTheSimulator) {
    auto harness = PluginSimHarness::start(GetParam());
    ASSERT_NE(harness, nullptr);
    const std::string sim = harness->sim().base_url() + "/";
    EXPECT_EQ(harness->provider().id, GetParam());
    EXPECT_EQ(harness->provider().api_base_url.rfind(sim, 0), 0u) << harness->provider().api_base_url;
    EXPECT_EQ(harness->provider().oauth.token_url.rfind(sim, 0), 0u);
    EXPECT_EQ(harness->provider().oauth.authorize_url.rfind(sim, 0), 0u);
    EXPECT_FALSE(harness->access_token().empty());
}

TEST_P(PluginSimHarnessTest, RefusesParamsThatBreakTheContractBeforeThePluginRuns) {
    auto harness = PluginSimHarness::start(GetParam());
    ASSERT_NE(harness, nullptr);
    const std::string action = harness->provider().actions.front();
    const plugin::InvokeOutcome outcome = harness->invoke(action, R"({"no_such_param": true})");
    EXPECT_EQ(outcome.status, SB_STATUS_INVALID_INPUT) << outcome.json;
    EXPECT_TRUE(outcome.from_host);
    EXPECT_TRUE(harness->last_requests().empty());
}

INSTANTIATE_TEST_SUITE_P(ShippedPlugins, PluginSimHarnessTest,
                         ::testing::Values("google_calendar", "gmail", "google_drive", "hubspot"));

} // namespace
} // namespace switchboard::testing
