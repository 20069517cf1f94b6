// What the host checks of a plugin-host child's messages (core/plugin/isolated/child_checks):
// a hello is held to the in-process loader's rules, and no string of it may hold a NUL byte,
// which would make the C form the loader reads say less than the child declared (found by
// tests/fuzz/plugin_wire: a NUL inside a default scope).
#include "core/plugin/isolated/child_checks.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace switchboard::plugin::isolated {
namespace {

using namespace std::string_literals;

HelloMessage gmail_like_hello() {
    sdk::ProviderSpec spec;
    spec.id = "gmail";
    spec.category = "email";
    spec.display_name = "Gmail";
    spec.description = "Sends and reads e-mail.";
    spec.api_base_url = "https://gmail.googleapis.com";
    spec.actions = {"get_email", "list_emails", "send_email"};
    spec.oauth.authorize_url = "https://accounts.google.com/o/oauth2/v2/auth";
    spec.oauth.token_url = "https://oauth2.googleapis.com/token";
    spec.oauth.revoke_url = "https://oauth2.googleapis.com/revoke";
    spec.oauth.revoke_style = SB_REVOKE_POST_FORM;
    spec.oauth.default_scopes = {"https://www.googleapis.com/auth/gmail.send"};
    spec.oauth.extra_authorize_params = {{"access_type", "offline"}};
    spec.oauth.identity_url = "https://openidconnect.googleapis.com/v1/userinfo";
    spec.oauth.identity_field = "/email";
    spec.oauth.identity_scopes = {"openid", "email"};
    spec.access_token = {"API key", "https://gmail.googleapis.com/gmail/v1/users/me/profile",
                         "/emailAddress", ""};
    return HelloMessage{"shipped", "0.1.0", {1, 2}, {spec}, {}};
}

TEST(ChildChecks, AcceptsAHelloAsDeclared) {
    const HelloMessage hello = gmail_like_hello();
    const auto checked = check_hello(hello, plugin::ContractCatalog::embedded());
    ASSERT_TRUE(checked) << checked.error().message;
    ASSERT_EQ(checked->providers.size(), 1u);
    EXPECT_EQ(checked->providers[0].oauth.default_scopes, hello.providers[0].oauth.default_scopes);
    EXPECT_EQ(checked->as_declared, hello.providers);
    ASSERT_TRUE(checked->providers[0].access_token);
    EXPECT_EQ(checked->providers[0].access_token->identity_field, "/emailAddress");
}

TEST(ChildChecks, RefusesANulInAnyDescriptorString) {
    const std::function<void(sdk::ProviderSpec&)> plant[] = {
        [](sdk::ProviderSpec& s) { s.description = "Sends\0 mail"s; },
        [](sdk::ProviderSpec& s) { s.oauth.authorize_url += "\0.evil"s; },
        [](sdk::ProviderSpec& s) { s.oauth.token_url += "\0.evil"s; },
        [](sdk::ProviderSpec& s) { s.oauth.revoke_url += "\0x"s; },
        [](sdk::ProviderSpec& s) { s.oauth.default_scopes[0] = "https://www.go\x01\0oapis"s; },
        [](sdk::ProviderSpec& s) { s.oauth.identity_scopes[1] = "em\0ail"s; },
        [](sdk::ProviderSpec& s) { s.oauth.extra_authorize_params[0].name = "access\0_type"s; },
        [](sdk::ProviderSpec& s) { s.oauth.extra_authorize_params[0].value = "off\0line"s; },
        [](sdk::ProviderSpec& s) { s.oauth.identity_url += "\0x"s; },
        [](sdk::ProviderSpec& s) { s.oauth.identity_field = "/email\0x"s; },
        [](sdk::ProviderSpec& s) { s.oauth.identity_account_field = "/\0hub_id"s; },
        [](sdk::ProviderSpec& s) { s.allowed_base_urls = {"https://gmail.googleapis.com\0x"s}; },
        [](sdk::ProviderSpec& s) { s.access_token.label = "Key\0"s; },
        [](sdk::ProviderSpec& s) { s.access_token.identity_url += "\0.evil"s; },
        [](sdk::ProviderSpec& s) { s.access_token.identity_field = "/id\0x"s; },
        [](sdk::ProviderSpec& s) { s.access_token.identity_account_field = "/\0id"s; },
    };
    for (std::size_t i = 0; i < std::size(plant); ++i) {
        HelloMessage hello = gmail_like_hello();
        plant[i](hello.providers[0]);
        const auto checked = check_hello(hello, plugin::ContractCatalog::embedded());
        ASSERT_FALSE(checked) << "string " << i << " with a NUL was accepted";
        EXPECT_EQ(checked.error().code, "invalid_descriptor") << i;
    }
}

// A child's policies are read by the loader's policy reader: into the providers when valid,
// refused (and compared on restart) as the in-process loader would.
TEST(ChildChecks, ReadsAndChecksTheChildsPolicies) {
    HelloMessage hello = gmail_like_hello();
    sdk::ProviderPolicySpec policy;
    policy.provider_id = "gmail";
    policy.credential_prefix = "GOOGLE";
    hello.policies = {policy};
    auto checked = check_hello(hello, plugin::ContractCatalog::embedded());
    ASSERT_TRUE(checked) << checked.error().message;
    EXPECT_EQ(checked->providers[0].policy.credential_prefix, "GOOGLE");
    EXPECT_EQ(checked->policies_as_declared, hello.policies);

    hello.policies[0].rate_limit_headers = {{"X-Left", "", 0, 7'200'000, false}};
    checked = check_hello(hello, plugin::ContractCatalog::embedded());
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error().code, "invalid_provider_policy");
    EXPECT_NE(checked.error().message.find("default_wait_ms 7200000 is more than an hour"),
              std::string::npos)
        << checked.error().message;

    hello.policies[0].rate_limit_headers.clear();
    hello.policies[0].oauth_error_member = "sta\0tus"s;
    checked = check_hello(hello, plugin::ContractCatalog::embedded());
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error().code, "invalid_provider_policy");
}

TEST(ChildChecks, RefusesANulInAnHttpRequestField) {
    plugin::ProviderHttpRequest request{
        "GET", "/gmail/v1/users/me/messages", {{"Accept", "a\0b"s}}, ""};
    const auto checked = check_child_request(request);
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error().code, "invalid_http_request");
}

} // namespace
} // namespace switchboard::plugin::isolated
