// The provider-policy extension end to end: a plugin's policy reaches the host the same way
// in-process and isolated (through the child's hello), a malformed one is refused at load in
// both modes, and the shipped plugins carry what the host's core used to know about HubSpot
// and Google (rate-limit headers, OAuth error codes, credential prefix, published limits).
#include "core/plugin/plugin_loader.hpp"
#include "core/plugin/provider_registry.hpp"
#include "tests/plugin/plugin_test_support.hpp"

#include <gtest/gtest.h>

#ifndef SB_SWITCHBOARD_EXE
#error "SB_SWITCHBOARD_EXE must name the switchboard executable"
#endif
#ifndef SB_PLUGINS_DIR
#error "SB_PLUGINS_DIR must name the directory of the shipped plugins"
#endif

namespace switchboard {
namespace {

using std::chrono::milliseconds;
using testing::CapturingLogger;
using testing::PluginsDir;
using testing::provider_in;

const config::PluginMode kModes[] = {config::PluginMode::in_process, config::PluginMode::isolated};

class ProviderPolicyTest : public ::testing::TestWithParam<config::PluginMode> {
protected:
    plugin::PluginLoader loader() const {
        plugin::HostServicesOptions options;
        options.logger = log_.logger();
        plugin::IsolationSettings isolation;
        isolation.executable = SB_SWITCHBOARD_EXE;
        return plugin::PluginLoader(plugin::ContractCatalog::embedded(), options, isolation);
    }

    // Loads test library `library` with provider `id` enabled in the test's mode.
    plugin::PluginLoadReport load(const std::string& id, const std::string& library) {
        dir_.add_library(library);
        std::map<std::string, config::ProviderConfig> providers = {
            {id, provider_in(library, GetParam())}};
        auto report = loader().load_directory(dir_.path(), providers, registry_);
        EXPECT_TRUE(report) << report.error().message;
        return report ? *report : plugin::PluginLoadReport{};
    }

    // Loads the shipped plugin `name` (build/plugins/<name>.so) in the test's mode.
    const plugin::ProviderEntry* load_shipped(const std::string& name) {
        std::filesystem::copy_file(std::filesystem::path(SB_PLUGINS_DIR) / (name + ".so"),
                                   dir_.path() / (name + ".so"));
        config::ProviderConfig config;
        config.mode = GetParam();
        auto report = loader().load_directory(dir_.path(), {{name, config}}, registry_);
        EXPECT_TRUE(report) << report.error().message;
        const plugin::ProviderEntry* entry = registry_.find(name);
        EXPECT_NE(entry, nullptr) << name << " was not registered";
        return entry;
    }

    PluginsDir dir_;
    CapturingLogger log_;
    plugin::ProviderRegistry registry_;
};

TEST_P(ProviderPolicyTest, APluginsPolicyReachesTheHost) {
    load("test_policy", "with_policy");
    const plugin::ProviderEntry* entry = registry_.find("test_policy");
    ASSERT_NE(entry, nullptr) << "the plugin with a policy must load";
    const plugin::ProviderPolicy& policy = entry->descriptor->policy;

    plugin::ProviderPolicy expected;
    expected.credential_prefix = "POLICYCO";
    expected.rate_limit_headers = {
        {"x-policy-daily-remaining", "", milliseconds{0}, std::nullopt, true},
        {"x-policy-remaining", "x-policy-reset-seconds", milliseconds{1000}, milliseconds{500},
         false}};
    expected.oauth_errors = {"result",
                             "detail",
                             {{"GRANT_GONE", plugin::OAuthErrorMeaning::invalid_grant},
                              {"WHO_ARE_YOU", plugin::OAuthErrorMeaning::invalid_client}}};
    expected.default_rate_limits.tenant = config::RateBucketConfig{20, 2};
    expected.credential_headers = {"x-policy-key"};
    EXPECT_EQ(policy, expected);
    EXPECT_EQ(entry->config.client_id_env, "POLICYCO_CLIENT_ID")
        << "the loader names the credential variables after the policy's prefix";
    EXPECT_EQ(entry->config.client_secret_env, "POLICYCO_CLIENT_SECRET");
    const auto limits = plugin::policy_rate_limits(registry_);
    ASSERT_EQ(limits.count("test_policy"), 1u);
    EXPECT_FALSE(limits.at("test_policy").provider);
}

TEST_P(ProviderPolicyTest, APluginWithoutAPolicyGetsTheGenericRules) {
    load("test_calendar", "good_one");
    const plugin::ProviderEntry* entry = registry_.find("test_calendar");
    ASSERT_NE(entry, nullptr);
    EXPECT_EQ(entry->descriptor->policy, plugin::generic_provider_policy("test_calendar"));
    EXPECT_EQ(entry->config.client_id_env, "TEST_CLIENT_ID");
    EXPECT_TRUE(plugin::policy_rate_limits(registry_).empty());
}

TEST_P(ProviderPolicyTest, AMalformedPolicyIsRefusedAtLoad) {
    auto report = load("test_bad_policy", "bad_policy");
    EXPECT_EQ(registry_.find("test_bad_policy"), nullptr);
    ASSERT_EQ(report.skipped.size(), 1u);
    EXPECT_NE(report.skipped[0].reason.find(
                  "provider 'test_bad_policy' policy: rate_limit_headers[0].remaining_header "
                  "'X-Left Over' is not an HTTP header name"),
              std::string::npos)
        << report.skipped[0].reason;
    EXPECT_EQ(log_.matching({"bad_policy", "skipped", "not an HTTP header name"}).size(), 1u);
}

TEST_P(ProviderPolicyTest, HubSpotsPolicyCarriesItsHeadersAndCodes) {
    const plugin::ProviderEntry* entry = load_shipped("hubspot");
    ASSERT_NE(entry, nullptr);
    const plugin::ProviderPolicy& p = entry->descriptor->policy;
    EXPECT_EQ(p.credential_prefix, "HUBSPOT");
    ASSERT_EQ(p.rate_limit_headers.size(), 3u);
    EXPECT_EQ(p.rate_limit_headers[0].remaining_header, "x-hubspot-ratelimit-daily-remaining");
    EXPECT_TRUE(p.rate_limit_headers[0].give_up);
    EXPECT_EQ(p.rate_limit_headers[1].default_wait, milliseconds{1000});
    EXPECT_EQ(p.rate_limit_headers[2].wait_header, "x-hubspot-ratelimit-interval-milliseconds");
    EXPECT_EQ(p.rate_limit_headers[2].wait_unit, milliseconds{1});
    EXPECT_EQ(p.oauth_errors.code_member, "status");
    EXPECT_EQ(p.oauth_errors.description_member, "message");
    EXPECT_EQ(p.oauth_errors.codes.size(), 5u);
    EXPECT_EQ(p.credential_headers, std::vector<std::string>{"x-hubspot-api-key"});
    EXPECT_FALSE(p.default_rate_limits.provider);
    ASSERT_TRUE(p.default_rate_limits.tenant);
    // 100 requests per 10 seconds per installing account.
    EXPECT_LE(p.default_rate_limits.tenant->capacity +
                  p.default_rate_limits.tenant->refill_per_second * 10,
              100);
    EXPECT_EQ(entry->config.client_id_env, "HUBSPOT_CLIENT_ID");
}

// Each Google plugin reads GOOGLE_CLIENT_ID (config/README.md) and keeps its published limits
// (capacity + refill x window within the limit; sources in each plugin's provider_policy.cpp).
TEST_P(ProviderPolicyTest, GooglesPluginsShareOneClientAndKeepTheirLimits) {
    struct Published {
        const char* id;
        double provider_per_minute;
        double tenant_per_minute;
    };
    const Published published[] = {{"google_calendar", 10'000, 600},
                                   {"gmail", 1'200'000.0 / 100, 15'000.0 / 100},
                                   {"google_drive", 12'000, 12'000}};
    for (const auto& [id, provider_limit, tenant_limit] : published) {
        SCOPED_TRACE(id);
        const plugin::ProviderEntry* entry = load_shipped(id);
        ASSERT_NE(entry, nullptr);
        const plugin::ProviderPolicy& p = entry->descriptor->policy;
        EXPECT_EQ(p.credential_prefix, "GOOGLE");
        EXPECT_EQ(entry->config.client_id_env, "GOOGLE_CLIENT_ID");
        EXPECT_EQ(entry->config.client_secret_env, "GOOGLE_CLIENT_SECRET");
        EXPECT_TRUE(p.rate_limit_headers.empty());
        EXPECT_TRUE(p.oauth_errors.codes.empty()) << "Google speaks RFC 6749";
        EXPECT_EQ(p.credential_headers, std::vector<std::string>{"x-goog-api-key"});
        ASSERT_TRUE(p.default_rate_limits.provider);
        ASSERT_TRUE(p.default_rate_limits.tenant);
        const auto within = [](const config::RateBucketConfig& b, double limit) {
            return b.capacity + b.refill_per_second * 60 <= limit;
        };
        EXPECT_TRUE(within(*p.default_rate_limits.provider, provider_limit));
        EXPECT_TRUE(within(*p.default_rate_limits.tenant, tenant_limit));
    }
}

INSTANTIATE_TEST_SUITE_P(BothModes, ProviderPolicyTest, ::testing::ValuesIn(kModes),
                         [](const auto& mode) { return std::string(to_string(mode.param)); });

} // namespace
} // namespace switchboard
