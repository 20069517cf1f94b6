// Connecting HubSpot with a private-app access token instead of OAuth, end to end against the
// provider simulator with the shipped plugin: the check against the account-info API, the
// encrypted storage without refresh token or expiry, actions with it, the same account again,
// a token the provider refuses (at connect time and later, on an action), refresh and
// disconnect of such a connector, and tenancy.
#include "core/connectors/connector_runtime.hpp"
#include "tests/connectors/support/connector_world.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <soci/soci.h>

namespace switchboard::connectors {
namespace {

using testing::ConnectorWorld;
using testing::alice;
using testing::mallory;
const std::string private_app_user = "sim.user@example.com";
const std::vector<std::string> crm_scopes = {"crm.objects.contacts.read",
                                             "crm.objects.contacts.write"};

class AccessTokenTest : public ::testing::Test {
protected:
    void SetUp() override {
        world = ConnectorWorld::start({});
        ASSERT_TRUE(world);
        runtime = world->make_runtime();
        ASSERT_TRUE(runtime);
    }

    ConnectorService& service() { return runtime->connectors(); }

    std::string private_app(const std::string& user = private_app_user) {
        return world->sim().issue_private_app_token(user, crm_scopes);
    }

    Result<store::ConnectorSummary> connect(const Principal& who, const std::string& token,
                                            const std::string& provider = "hubspot",
                                            const std::string& name = {}) {
        return service().connect_with_access_token(who, {provider, token, name});
    }

    // The types of the events recorded for `connector_id`, oldest first.
    std::vector<std::string> event_types(const std::string& connector_id) {
        std::vector<std::string> types;
        auto read = world->database()->with_session("test", [&](soci::session& sql) -> Result<void> {
            std::string type;
            std::string id = connector_id;
            soci::statement st = (sql.prepare << "SELECT type FROM connector_events WHERE "
                                                 "connector_id = :c ORDER BY id",
                                  soci::into(type), soci::use(id));
            st.execute();
            while (st.fetch()) types.push_back(type);
            return {};
        });
        EXPECT_TRUE(read);
        return types;
    }

    // Every stored column of the connector as text, to look for a plaintext token.
    std::string raw_row(const std::string& connector_id) {
        std::string out;
        auto read = world->database()->with_session("test", [&](soci::session& sql) -> Result<void> {
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
        EXPECT_TRUE(read);
        return out;
    }

    std::unique_ptr<ConnectorWorld> world;
    std::unique_ptr<ConnectorRuntime> runtime;
};

TEST_F(AccessTokenTest, HubSpotSaysItTakesAPrivateAppToken) {
    for (const auto& provider : service().providers()) {
        EXPECT_EQ(provider.access_token_label,
                  provider.provider == "hubspot" ? "Private app access token" : "")
            << provider.provider;
    }
}

TEST_F(AccessTokenTest, APrivateAppTokenConnectsItsPortalAndRunsActions) {
    const std::string token = private_app();
    auto connected = connect(alice, token);
    ASSERT_TRUE(connected) << connected.error().code << ": " << connected.error().message;
    const std::string hub_id = std::to_string(sim::SimState::hub_id_for(private_app_user));
    EXPECT_EQ(connected->status, store::ConnectorStatus::active);
    EXPECT_EQ(connected->auth_method, store::AuthMethod::access_token);
    EXPECT_EQ(connected->provider, "hubspot");
    EXPECT_EQ(connected->category, "crm");
    EXPECT_EQ(connected->account_identity, hub_id);
    EXPECT_EQ(connected->account_id, hub_id);
    EXPECT_EQ(connected->name, "HubSpot " + hub_id);
    EXPECT_EQ(connected->user_id, alice.user_id);
    EXPECT_FALSE(connected->has_refresh_token);
    EXPECT_FALSE(connected->token_expires_at);
    EXPECT_EQ(world->sim().calls("account_info_details"), 1u);

    // Stored encrypted: the row holds no plaintext token; the repository decrypts it.
    EXPECT_EQ(raw_row(connected->id).find(token), std::string::npos);
    auto credentials = world->repository()->get_credentials(alice.tenant_id, connected->id);
    ASSERT_TRUE(credentials);
    EXPECT_EQ(credentials->tokens.access_token, token);
    EXPECT_FALSE(credentials->tokens.refresh_token);
    EXPECT_EQ(event_types(connected->id), std::vector<std::string>{"connector.connected"});

    auto created = service().invoke(alice, connected->id, "create_contact",
                                    R"({"email":"pat@example.com","first_name":"Pat"})");
    ASSERT_TRUE(created) << created.error().code << ": " << created.error().message;
    EXPECT_FALSE(created->value("id", std::string()).empty()) << created->dump();
    EXPECT_EQ(world->sim().hubspot_records(private_app_user, "contacts").size(), 1u);

    // Listed like any connector; another tenant sees nothing of it.
    auto listed = service().list(alice);
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ(listed->front().auth_method, store::AuthMethod::access_token);
    EXPECT_EQ(service().get(mallory, connected->id).error().code, "connector_not_found");
    EXPECT_EQ(service().invoke(mallory, connected->id, "list_contacts", "{}").error().code,
              "connector_not_found");
    EXPECT_TRUE(service().list(mallory)->empty());
    EXPECT_TRUE(world->sim().validation_failures().empty());
}

TEST_F(AccessTokenTest, TheSamePortalAgainIsRefusedAndAnotherPortalIsAnotherConnector) {
    auto first = connect(alice, private_app(), "hubspot", "Sales");
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(first->name, "Sales");
    auto again = connect(alice, private_app());
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, "already_connected");
    EXPECT_EQ(again.error().kind, ErrorKind::conflict);

    auto other_portal = connect(alice, private_app("other.user@example.com"));
    ASSERT_TRUE(other_portal) << other_portal.error().message;
    EXPECT_NE(other_portal->id, first->id);
    EXPECT_EQ(service().list(alice)->size(), 2u);
    // Another tenant connects the same portal as its own connector.
    auto theirs = connect(mallory, private_app());
    ASSERT_TRUE(theirs) << theirs.error().message;
    EXPECT_NE(theirs->id, first->id);
}

TEST_F(AccessTokenTest, TokensTheProviderRefusesOrCannotCheckStoreNothing) {
    auto wrong = connect(alice, "pat-na1-00000000-0000-0000-0000-000000000000");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().code, "access_token_rejected");
    EXPECT_EQ(wrong.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(wrong.error().field, "access_token");
    EXPECT_EQ(wrong.error().message.find("pat-na1-0000"), std::string::npos);

    const std::string token = private_app();
    world->sim().add_fault({sim::FaultRule::Kind::error, "/api.hubapi.com/account-info/", 1.0,
                            std::nullopt, 503, std::nullopt});
    auto down = connect(alice, token);
    ASSERT_FALSE(down);
    EXPECT_EQ(down.error().code, "provider_unavailable");
    EXPECT_EQ(down.error().kind, ErrorKind::upstream_failed);
    world->sim().clear_faults();

    const auto checks = world->sim().calls("account_info_details");
    auto oauth_only = connect(alice, token, "gmail");
    ASSERT_FALSE(oauth_only);
    EXPECT_EQ(oauth_only.error().code, "access_token_unsupported");
    EXPECT_EQ(oauth_only.error().field, "provider");
    EXPECT_EQ(connect(alice, token, "nowhere").error().code, "provider_not_found");
    // A token that could bend the Authorization header is never sent.
    EXPECT_EQ(connect(alice, token + "\r\nX-Evil: 1").error().code, "invalid_access_token");
    EXPECT_EQ(connect(alice, "pat na1").error().code, "invalid_access_token");
    EXPECT_EQ(connect(alice, std::string(4097, 'p')).error().code, "invalid_access_token");
    EXPECT_EQ(connect(alice, token, "hubspot", std::string("bad\nname")).error().code,
              "invalid_connector_name");
    EXPECT_EQ(world->sim().calls("account_info_details"), checks);
    EXPECT_TRUE(service().list(alice)->empty());
}

TEST_F(AccessTokenTest, ATokenDeletedAtTheProviderRevokesTheConnectorAndANewOneRestoresIt) {
    const std::string token = private_app();
    auto connected = connect(alice, token);
    ASSERT_TRUE(connected) << connected.error().message;
    // Nothing to refresh: the connector stays as it is.
    auto refreshed = service().refresh(alice, connected->id);
    ASSERT_FALSE(refreshed);
    EXPECT_EQ(refreshed.error().code, "refresh_unsupported");
    EXPECT_EQ(service().get(alice, connected->id)->status, store::ConnectorStatus::active);

    ASSERT_TRUE(world->sim().revoke_access_token(token));
    auto refused = service().invoke(alice, connected->id, "list_contacts", "{}");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "connector_revoked");
    auto revoked = service().get(alice, connected->id);
    ASSERT_TRUE(revoked);
    EXPECT_EQ(revoked->status, store::ConnectorStatus::revoked);
    EXPECT_NE(revoked->last_error.find("connect the account again with a new token"),
              std::string::npos)
        << revoked->last_error;
    EXPECT_EQ(world->sim().calls("oauth_token"), 0u) << "no OAuth refresh was tried";

    // A new token of the same portal brings the same connector back.
    const std::string fresh = private_app();
    auto restored = connect(alice, fresh, "hubspot", "Ignored for a reconnect");
    ASSERT_TRUE(restored) << restored.error().message;
    EXPECT_EQ(restored->id, connected->id);
    EXPECT_EQ(restored->status, store::ConnectorStatus::active);
    EXPECT_EQ(world->repository()->get_credentials(alice.tenant_id, connected->id)->tokens.access_token,
              fresh);
    EXPECT_EQ(event_types(connected->id),
              (std::vector<std::string>{"connector.connected", "connector.revoked",
                                        "connector.connected"}));
    auto works = service().invoke(alice, connected->id, "list_contacts", "{}");
    EXPECT_TRUE(works) << works.error().code;
}

TEST_F(AccessTokenTest, DisconnectRemovesItWithoutAskingTheProviderToRevoke) {
    auto connected = connect(alice, private_app());
    ASSERT_TRUE(connected) << connected.error().message;
    auto removed = service().disconnect(alice, connected->id, {});
    ASSERT_TRUE(removed) << removed.error().message;
    EXPECT_FALSE(removed->revoked_at_provider);
    EXPECT_EQ(removed->revocation_error, "revocation_unsupported");
    EXPECT_EQ(world->sim().calls("oauth_refresh_token_delete"), 0u);
    EXPECT_EQ(service().get(alice, connected->id).error().code, "connector_not_found");
}

} // namespace
} // namespace switchboard::connectors
