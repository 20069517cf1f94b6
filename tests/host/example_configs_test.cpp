// The example configs of config/ load, and the demo one points every shipped provider at the
// provider simulator and lets the demo key in.
#include "core/config/config_loader.hpp"
#include "host/app/authenticator_from_config.hpp"

#include <gtest/gtest.h>

#ifndef SB_CONFIG_DIR
#error "SB_CONFIG_DIR must name the repository's config/ directory"
#endif

namespace switchboard {
namespace {

TEST(DemoConfig, PointsEveryProviderAtTheSimulatorAndLetsTheDemoKeyIn) {
    config::MapEnvironment env;
    auto config = config::load_config_file(std::filesystem::path(SB_CONFIG_DIR) / "demo.json", env);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->public_urls.api_base_url, "http://127.0.0.1:8080");
    // The callback comes back to the host's own integrations page.
    EXPECT_EQ(config->public_urls.frontend_url, "http://127.0.0.1:8080");
    EXPECT_EQ(config->database.backend, config::DatabaseBackend::sqlite);
    for (const std::string id : {"google_calendar", "gmail", "google_drive", "hubspot"}) {
        ASSERT_TRUE(config->provider_enabled(id)) << id;
        const auto& o = config->providers.at(id).overrides;
        for (const auto* url : {&o.api_base_url, &o.authorize_url, &o.token_url, &o.revoke_url,
                                &o.identity_url}) {
            ASSERT_TRUE(url->has_value()) << id;
            EXPECT_EQ(url->value().rfind("http://127.0.0.1:8977/", 0), 0u) << id << " " << **url;
        }
    }
    auto authenticator = app::build_authenticator(config->auth, env);
    ASSERT_TRUE(authenticator) << authenticator.error().message;
    auto principal = (*authenticator)->authenticate("Bearer sb-demo-key-for-local-use-only");
    ASSERT_TRUE(principal);
    EXPECT_EQ(principal->tenant_id, "demo-tenant");
}

TEST(ProductionConfig, KeepsUnauthenticatedBodiesSmallAndMetricsApart) {
    config::MapEnvironment env;
    auto config =
        config::load_config_file(std::filesystem::path(SB_CONFIG_DIR) / "production.json", env);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_EQ(config->server.body_limit_bytes, 64u * 1024);
    EXPECT_EQ(config->server.authenticated_body_limit_bytes, 16u * 1024 * 1024);
    EXPECT_EQ(config->server.metrics_port, 9090);
    EXPECT_EQ(config->server.cors.allowed_origins,
              std::vector<std::string>{*config->public_urls.frontend_url});
}

TEST(DefaultConfig, BuildsAnAuthenticator) {
    config::MapEnvironment env;
    auto config =
        config::load_config_file(std::filesystem::path(SB_CONFIG_DIR) / "switchboard.json", env);
    ASSERT_TRUE(config) << config.error().message;
    EXPECT_TRUE(app::build_authenticator(config->auth, env));
    EXPECT_EQ(config->public_urls.frontend_url, config->public_urls.api_base_url);
}

} // namespace
} // namespace switchboard
