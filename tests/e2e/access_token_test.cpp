// Issue 13.4 through the real host: HubSpot connected with a private app's access token
// (POST /api/v1/connectors/access-token) instead of OAuth, against the simulator. The token
// is checked at HubSpot's account-info API, stored encrypted (the database holds no plaintext),
// never answered or logged, and then serves the actions API and the credentialed proxy like an
// OAuth token; a wrong token is refused; another tenant can neither see nor use the connector.
#include "tests/e2e/e2e_suite.hpp"

#include <soci/soci.h>

namespace switchboard::e2e {
namespace {

class AccessToken : public E2E {
protected:
    // A private app of `user`'s HubSpot portal (Settings > Integrations > Private Apps).
    std::string private_app(const std::string& user) {
        const json issued = sim_->admin(
            "POST", "/_admin/hubspot/private-apps",
            {{"user", user},
             {"scopes",
              {"crm.objects.contacts.read", "crm.objects.contacts.write",
               "crm.objects.companies.read"}}});
        return issued.value("token", std::string());
    }

    HttpResult connect_with(const std::string& jwt, const std::string& access_token) {
        return post("/api/v1/connectors/access-token", jwt,
                    {{"provider", "hubspot"}, {"access_token", access_token}});
    }

    // Every text column of the connector's row, to look for the plaintext token.
    std::string stored_row(const std::string& connector_id) {
        std::string out;
        auto read = database().with_session("reading a connector row", [&](soci::session& sql)
                                                                           -> Result<void> {
            soci::row row;
            std::string id = connector_id;
            sql << "SELECT * FROM connector_accounts WHERE id = :id", soci::use(id), soci::into(row);
            for (std::size_t i = 0; i < row.size(); ++i) {
                if (row.get_indicator(i) == soci::i_ok &&
                    row.get_properties(i).get_data_type() == soci::dt_string) {
                    out += row.get<std::string>(i) + "\n";
                }
            }
            return {};
        });
        EXPECT_TRUE(read) << read.error().message;
        return out;
    }
};

TEST_F(AccessToken, APrivateAppTokenConnectsHubSpotAndServesActionsAndTheProxy) {
    const std::string jwt = token_for("pat-owner");
    const std::string pat = private_app("pat.owner@example.com");
    ASSERT_EQ(pat.rfind("pat-na1-", 0), 0u) << pat;

    auto providers = client_.get(api("/api/v1/connectors/providers"));
    ASSERT_EQ(providers.status, 200) << providers.body;
    for (const auto& p : providers.json_body()) {
        if (p.at("provider") == "hubspot") {
            EXPECT_EQ(p.at("access_token_label"), "Private app access token");
        }
    }

    auto connected = connect_with(jwt, pat);
    ASSERT_EQ(connected.status, 201) << connected.body;
    const json connector = connected.json_body();
    const std::string id = connector.at("id");
    EXPECT_EQ(connector.at("auth_method"), "access_token");
    EXPECT_EQ(connector.at("status"), "active");
    EXPECT_EQ(connector.at("has_refresh_token"), false);
    EXPECT_TRUE(connector.at("token_expires_at").is_null());
    EXPECT_FALSE(connector.at("account_id").get<std::string>().empty());
    EXPECT_EQ(connected.body.find(pat), std::string::npos) << "the token is never answered";
    EXPECT_EQ(get("/api/v1/connectors/" + id, jwt).json_body(), connector);

    // An action with it: a CRM contact in that portal.
    auto created = tool(jwt, "crm.create_contact",
                        {{"email", "lead@example.com"}, {"first_name", "Lead"}});
    ASSERT_EQ(created.status, 200) << created.body;
    const json crm = sim_->admin("GET", "/_admin/hubspot/contacts?user=pat.owner%40example.com");
    ASSERT_EQ(crm.at("contacts").size(), 1u) << crm.dump();
    EXPECT_EQ(crm.at("contacts").at(0).at("properties").at("email"), "lead@example.com");

    // The proxy with it: companies, which no action covers.
    auto companies = get("/api/v1/connectors/" + id + "/proxy/crm/v3/objects/companies?limit=1",
                         jwt);
    EXPECT_EQ(companies.status, 200) << companies.body;
    EXPECT_EQ(companies.body.find(pat), std::string::npos);

    // Stored encrypted; nowhere in the host's log.
    const std::string row = stored_row(id);
    ASSERT_FALSE(row.empty());
    EXPECT_EQ(row.find(pat), std::string::npos) << "plaintext token in the database";
    EXPECT_NE(row.find("access_token"), std::string::npos) << "auth_method is recorded";
    EXPECT_EQ(host_->log().find(pat), std::string::npos) << "the token reached the log";

    // Another tenant can neither see nor use it.
    const std::string stranger = token_for("pat-stranger");
    EXPECT_EQ(get("/api/v1/connectors/" + id, stranger).status, 404);
    EXPECT_EQ(get("/api/v1/connectors/" + id + "/proxy/crm/v3/objects/companies", stranger).status,
              404);
    auto theirs = tool(stranger, "crm.list_contacts", json::object());
    EXPECT_EQ(theirs.status, 404) << theirs.body;
    EXPECT_EQ(theirs.error_code(), "no_active_connector");
    EXPECT_TRUE(connectors(stranger).empty());

    // The same portal again: refused as the OAuth path refuses it.
    auto again = connect_with(jwt, private_app("pat.owner@example.com"));
    EXPECT_EQ(again.status, 409) << again.body;
    EXPECT_EQ(again.error_code(), "already_connected");
}

TEST_F(AccessToken, AWrongTokenIsRejectedAndNothingIsStored) {
    const std::string jwt = token_for("pat-wrong");
    const std::string wrong = "pat-na1-00000000-0000-0000-0000-000000000000";
    auto refused = connect_with(jwt, wrong);
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_EQ(refused.error_code(), "access_token_rejected");
    EXPECT_EQ(refused.body.find(wrong), std::string::npos);
    EXPECT_TRUE(connectors(jwt).empty());

    // A provider that takes OAuth only, and a token that could bend a header.
    auto oauth_only = post("/api/v1/connectors/access-token", jwt,
                           {{"provider", "gmail"}, {"access_token", private_app("x@example.com")}});
    EXPECT_EQ(oauth_only.status, 400) << oauth_only.body;
    EXPECT_EQ(oauth_only.error_code(), "access_token_unsupported");
    auto bent = connect_with(jwt, "pat-na1-x\r\nX-Injected: 1");
    EXPECT_EQ(bent.status, 400) << bent.body;
    EXPECT_EQ(bent.error_code(), "invalid_access_token");
    // Without a credential, nothing.
    auto anonymous = client_.request("POST", api("/api/v1/connectors/access-token"),
                                     {{"Content-Type", "application/json"}},
                                     json{{"provider", "hubspot"}, {"access_token", wrong}}.dump());
    EXPECT_EQ(anonymous.status, 401);
}

TEST_F(AccessToken, ATokenDeletedAtHubSpotLeavesTheConnectorRevoked) {
    const std::string jwt = token_for("pat-deleted");
    const std::string pat = private_app("pat.deleted@example.com");
    auto connected = connect_with(jwt, pat);
    ASSERT_EQ(connected.status, 201) << connected.body;
    const std::string id = connected.json_body().at("id");
    sim_->admin("POST", "/_admin/tokens/revoke", {{"access_token", pat}});
    auto refused = tool(jwt, "crm.list_contacts", json::object());
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_EQ(refused.error_code(), "connector_revoked");
    EXPECT_EQ(get("/api/v1/connectors/" + id, jwt).json_body().at("status"), "revoked");
    // A new token brings the same connector back.
    auto restored = connect_with(jwt, private_app("pat.deleted@example.com"));
    ASSERT_EQ(restored.status, 201) << restored.body;
    EXPECT_EQ(restored.json_body().at("id"), id);
    EXPECT_EQ(restored.json_body().at("status"), "active");
}

} // namespace
} // namespace switchboard::e2e
