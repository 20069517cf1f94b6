// Moving a provider's other URLs with its API base (config overrides.api_base_url), and the
// descriptor the host uses after the overrides.
#include "core/plugin/moved_base_url.hpp"
#include "core/plugin/provider_registry.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace switchboard {
namespace {

using ::testing::ElementsAre;
using ::testing::Optional;

TEST(MovedBaseUrl, AUrlUnderTheBaseKeepsItsRest) {
    EXPECT_THAT(
        plugin::moved_base_url("https://www.googleapis.com/drive/v3", "https://www.googleapis.com",
                               "https://proxy.corp.example/google"),
        Optional(std::string("https://proxy.corp.example/google/drive/v3")));
    EXPECT_THAT(plugin::moved_base_url("https://api.hubapi.com", "https://api.hubapi.com",
                                       "http://127.0.0.1:8977/api.hubapi.com/"),
                Optional(std::string("http://127.0.0.1:8977/api.hubapi.com")));
    // Segment by segment: a longer host name is not "under" the base.
    EXPECT_EQ(plugin::moved_base_url("https://www.googleapis.com.evil.test/x",
                                     "https://www.googleapis.com", "https://proxy.corp.example"),
              std::nullopt);
}

TEST(MovedBaseUrl, AMountPointTakesTheOtherHostsToo) {
    const std::string sim = "http://127.0.0.1:8977/www.googleapis.com";
    EXPECT_THAT(plugin::moved_base_url("https://gmail.googleapis.com/gmail/v1",
                                       "https://www.googleapis.com", sim),
                Optional(std::string("http://127.0.0.1:8977/gmail.googleapis.com/gmail/v1")));
    EXPECT_THAT(
        plugin::moved_base_url("https://api.hubapi.com/account-info/v3/details",
                               "https://api.hubapi.com", "http://127.0.0.1:9/api.hubapi.com"),
        Optional(std::string("http://127.0.0.1:9/api.hubapi.com/account-info/v3/details")));
    // Not a mount point: another host has no place under the override.
    EXPECT_EQ(
        plugin::moved_base_url("https://gmail.googleapis.com/gmail/v1",
                               "https://www.googleapis.com", "https://proxy.corp.example/google"),
        std::nullopt);
}

TEST(ApplyOverrides, MovesTheAllowedBasesWithTheApiBase) {
    plugin::ProviderDescriptor d;
    d.id = "google_drive";
    d.api_base_url = "https://www.googleapis.com";
    d.allowed_base_urls = {"https://www.googleapis.com/drive/v3",
                           "https://www.googleapis.com/upload/drive/v3",
                           "https://content.googleapis.com/drive/v3"};
    config::ProviderOverrides mounted;
    mounted.api_base_url = "http://127.0.0.1:8977/www.googleapis.com";
    const auto sim = plugin::apply_overrides(d, mounted);
    EXPECT_EQ(sim.api_base_url, "http://127.0.0.1:8977/www.googleapis.com");
    EXPECT_THAT(sim.allowed_base_urls,
                ElementsAre("http://127.0.0.1:8977/www.googleapis.com/drive/v3",
                            "http://127.0.0.1:8977/www.googleapis.com/upload/drive/v3",
                            "http://127.0.0.1:8977/content.googleapis.com/drive/v3"));

    config::ProviderOverrides elsewhere;
    elsewhere.api_base_url = "https://google.proxy.corp.example";
    const auto corp = plugin::apply_overrides(d, elsewhere);
    EXPECT_THAT(corp.allowed_base_urls,
                ElementsAre("https://google.proxy.corp.example/drive/v3",
                            "https://google.proxy.corp.example/upload/drive/v3"));

    // Nothing left that could move: the new API base alone.
    plugin::ProviderDescriptor only_other = d;
    only_other.allowed_base_urls = {"https://content.googleapis.com/drive/v3"};
    EXPECT_THAT(plugin::apply_overrides(only_other, elsewhere).allowed_base_urls,
                ElementsAre("https://google.proxy.corp.example"));
    // No override: nothing moves.
    EXPECT_EQ(plugin::apply_overrides(d, {}).allowed_base_urls, d.allowed_base_urls);
}

TEST(ApplyOverrides, MovesTheAccessTokenIdentityUrlWithTheApiBase) {
    plugin::ProviderDescriptor d;
    d.id = "hubspot";
    d.api_base_url = "https://api.hubapi.com";
    d.allowed_base_urls = {"https://api.hubapi.com"};
    d.access_token = plugin::AccessTokenDescriptor{"Private app access token",
                                                   "https://api.hubapi.com/account-info/v3/details",
                                                   "/portalId", "/portalId"};
    config::ProviderOverrides sim;
    sim.api_base_url = "http://127.0.0.1:8977/api.hubapi.com";
    const auto moved = plugin::apply_overrides(d, sim);
    ASSERT_TRUE(moved.access_token);
    EXPECT_EQ(moved.access_token->identity_url,
              "http://127.0.0.1:8977/api.hubapi.com/account-info/v3/details");
    EXPECT_EQ(moved.access_token->identity_field, "/portalId");

    // An identity URL on a host the override cannot carry stays where the plugin put it.
    plugin::ProviderDescriptor other = d;
    other.access_token->identity_url = "https://accounts.example.test/me";
    config::ProviderOverrides elsewhere;
    elsewhere.api_base_url = "https://hubspot.proxy.corp.example";
    EXPECT_EQ(plugin::apply_overrides(other, elsewhere).access_token->identity_url,
              "https://accounts.example.test/me");
    // OAuth only: nothing to move.
    plugin::ProviderDescriptor oauth_only = d;
    oauth_only.access_token.reset();
    EXPECT_FALSE(plugin::apply_overrides(oauth_only, sim).access_token);
}

} // namespace
} // namespace switchboard
