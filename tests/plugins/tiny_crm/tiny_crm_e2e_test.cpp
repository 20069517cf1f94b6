// tiny_crm end to end: the real `switchboard serve` loads tiny_crm.so from this folder's
// plugins directory (nothing of the host knows the provider), an account is connected through
// the provider simulator's OAuth (authorization code + PKCE, HubSpot's endpoints), and
// create_contact then get_contact run through the actions API against the simulator's CRM.
#include "tests/e2e/e2e_harness.hpp"
#include "tests/support/sha256_hex.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <string>

namespace switchboard::e2e {
namespace {

using testing::sha256_hex;

constexpr const char* api_key = "sbk_tiny_crm_e2e_key_0123456789abcdef";

TEST(TinyCrmEndToEnd, ConnectsThroughOAuthAndRunsItsActionsInTheRealHost) {
    testing::TempDir dir("sb-tiny-crm-");
    ProviderSim sim(dir.path() / "provider-sim.log");
    const std::string s = sim.base_url();
    const json config = {
        {"database", {{"url", "sqlite://" + (dir.path() / "switchboard.db").string()}}},
        {"auth", {{"api_keys", {{{"key_sha256", sha256_hex(api_key)}, {"tenant_id", "t1"}, {"user_id", "u1"}}}}}},
        {"providers",
         {{"tiny_crm",
           {{"enabled", true},
            // The default would be TINY_CLIENT_ID: the id up to its first '_'.
            {"client_id_env", "TINY_CRM_CLIENT_ID"},
            {"client_secret_env", "TINY_CRM_CLIENT_SECRET"},
            {"overrides",
             {{"api_base_url", s + "/api.hubapi.com"},
              {"authorize_url", s + "/app.hubspot.com/oauth/authorize"},
              {"token_url", s + "/api.hubapi.com/oauth/v1/token"},
              {"identity_url", s + "/api.hubapi.com/oauth/v1/access-tokens/{access_token}"}}}}}}}};
    // The simulator's HubSpot OAuth client, under the provider's own variable names.
    Host host(dir.path(), config,
              {"CONNECTOR_ENCRYPTION_KEY=" + new_encryption_key(),
               "TINY_CRM_CLIENT_ID=sim-hubspot-client-id",
               "TINY_CRM_CLIENT_SECRET=sim-hubspot-client-secret"});
    Client client;
    const std::map<std::string, std::string> auth = {{"Authorization", std::string("Bearer ") + api_key},
                                                     {"Content-Type", "application/json"}};

    // The provider is listed, configured, from the plugin alone.
    const auto providers = client.get(host.url("/api/v1/connectors/providers"), auth);
    ASSERT_EQ(providers.status, 200) << providers.body;
    EXPECT_NE(providers.body.find("\"tiny_crm\""), std::string::npos) << providers.body;

    // Connect: authorize -> the simulator approves -> the host's callback -> confirm.
    const auto start = client.request("POST", host.url("/api/v1/connectors/authorize"), auth,
                                      json({{"type", "crm"}, {"provider", "tiny_crm"}, {"name", "Tiny"}}).dump());
    ASSERT_EQ(start.status, 200) << start.body;
    const auto at_provider = client.get(start.json_body().at("authorization_url"));
    ASSERT_EQ(at_provider.status, 302) << at_provider.body;
    const auto back = client.get(at_provider.header("Location"));
    ASSERT_EQ(back.status, 302) << back.body << "\n" << host.log();
    const std::string landing = back.header("Location");
    ASSERT_EQ(query_param(landing, "error"), std::nullopt) << landing << "\n" << host.log();
    if (const auto completion = query_param(landing, "completion")) {
        const auto confirmed = client.request("POST", host.url("/api/v1/connectors/complete"), auth,
                                              json({{"completion", *completion}}).dump());
        ASSERT_EQ(confirmed.status, 201) << confirmed.body;
    }
    const auto listed = client.get(host.url("/api/v1/connectors"), auth);
    ASSERT_EQ(listed.status, 200) << listed.body;
    const json connectors = listed.json_body().at("connectors");
    ASSERT_EQ(connectors.size(), 1u) << listed.body;
    EXPECT_EQ(connectors[0].at("provider"), "tiny_crm");
    // Who connected, from the descriptor's identity_url and identity_field.
    EXPECT_EQ(connectors[0].at("account_identity"), "sim.user@example.com");
    const std::string id = connectors[0].at("id");

    // The actions, through the host, against the simulator's CRM (the body is the params).
    const auto created = client.request("POST", host.url("/api/v1/connectors/" + id + "/actions/create_contact"),
                                        auth, json({{"email", "ann@example.com"}, {"first_name", "Ann"}}).dump());
    ASSERT_EQ(created.status, 200) << created.body << "\n" << host.log();
    const json contact = created.json_body().at("result");
    EXPECT_EQ(contact.at("email"), "ann@example.com");
    EXPECT_EQ(sim.calls("contacts_create"), 1);

    const auto read = client.request("POST", host.url("/api/v1/connectors/" + id + "/actions/get_contact"),
                                     auth, json({{"contact_id", contact.at("id")}}).dump());
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_EQ(read.json_body().at("result").at("first_name"), "Ann");

    // The contract's checks hold for a plugin too: bad params are refused before the plugin.
    const auto refused = client.request("POST", host.url("/api/v1/connectors/" + id + "/actions/create_contact"),
                                        auth, json({{"first_name", "No e-mail"}}).dump());
    EXPECT_EQ(refused.status, 400) << refused.body;
}

} // namespace
} // namespace switchboard::e2e
