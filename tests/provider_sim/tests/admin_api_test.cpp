// The admin endpoints: what tests in another process (or a person with curl) use to read
// the request log, arm faults, move time and inspect the simulated data.
#include "tests/provider_sim/tests/sim_fixture.hpp"

#include "tests/provider_sim/common/base64.hpp"
#include "tests/provider_sim/sim_state.hpp"

namespace switchboard::sim::testing {
namespace {

using nlohmann::json;

class AdminApiTest : public SimTest {};

TEST_F(AdminApiTest, RequestLogShowsMethodIdsAndValidationFailures) {
    const std::string token = google_token({kEventsScope});
    client().get("/www.googleapis.com/calendar/v3/calendars/primary/events?maxResults=5", token);
    client().post_json("/www.googleapis.com/calendar/v3/calendars/primary/events", {{"summary", "no times"}}, token);
    client().get("/_admin/health"); // admin calls are not logged
    const json all = client().get("/_admin/requests").json().at("requests");
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].at("method_id"), "calendar.events.list");
    EXPECT_EQ(all[0].at("verb"), "GET");
    EXPECT_EQ(all[0].at("query"), "maxResults=5");
    EXPECT_EQ(all[0].at("valid"), true);
    EXPECT_EQ(all[0].at("description"), "calendar_v3.json");
    EXPECT_EQ(all[1].at("valid"), false);
    EXPECT_EQ(all[1].at("status"), 400);
    EXPECT_EQ(all[1].at("body"), R"({"summary":"no times"})");
    const json invalid = client().get("/_admin/requests?invalid=true").json().at("requests");
    ASSERT_EQ(invalid.size(), 1u);
    EXPECT_FALSE(invalid[0].at("errors").empty());
    const json counters = client().get("/_admin/counters").json();
    EXPECT_EQ(counters.at("calls").at("calendar.events.insert"), 1);
    EXPECT_EQ(client().request("DELETE", "/_admin/requests").status, 204);
    EXPECT_TRUE(client().get("/_admin/requests").json().at("requests").empty());
}

TEST_F(AdminApiTest, SecretsAreRedactedInTheLog) {
    client().post_form("/oauth2.googleapis.com/token",
                       {{"grant_type", "refresh_token"}, {"refresh_token", "1//secret-refresh"},
                        {"client_id", "sim-google-client-id"}, {"client_secret", "sim-google-client-secret"}});
    const std::string dump = client().get("/_admin/requests").body;
    EXPECT_EQ(dump.find("secret-refresh"), std::string::npos);
    EXPECT_EQ(dump.find("sim-google-client-secret"), std::string::npos);
    EXPECT_NE(dump.find("[redacted]"), std::string::npos);
}

TEST_F(AdminApiTest, FaultsOverHttp) {
    const auto added = client().post_json("/_admin/faults", {{"prefix", "/www.googleapis.com/"}, {"status", 500}, {"count", 1}});
    ASSERT_EQ(added.status, 201) << added.body;
    const auto id = added.json().at("id").get<std::uint64_t>();
    EXPECT_EQ(client().get("/_admin/faults").json().at("faults").size(), 1u);
    EXPECT_EQ(client().request("DELETE", "/_admin/faults/" + std::to_string(id)).status, 204);
    EXPECT_EQ(client().request("DELETE", "/_admin/faults/" + std::to_string(id)).status, 404);
    EXPECT_EQ(client().post_json("/_admin/faults", {{"kind", "meteor"}}).status, 400);
}

TEST_F(AdminApiTest, TokensClockAndSettings) {
    const IssuedTokens t = sim().issue_tokens(Provider::google, kUser, {kEventsScope});
    const std::string events = "/www.googleapis.com/calendar/v3/calendars/primary/events";
    EXPECT_EQ(client().post_json("/_admin/tokens/expire", {{"provider", "google"}}).json().at("expired"), 1);
    EXPECT_EQ(client().get(events, t.access_token).status, 401);
    EXPECT_EQ(client().post_json("/_admin/tokens/revoke", {{"refresh_token", *t.refresh_token}}).json().at("revoked"), 1);
    EXPECT_EQ(client().post_json("/_admin/tokens/revoke", {{"refresh_token", *t.refresh_token}}).json().at("revoked"), 0);
    const auto settings = client().request("PUT", "/_admin/settings", {{"Content-Type", "application/json"}},
                                           R"({"google_access_token_lifetime": 30, "auto_approve": true})");
    ASSERT_EQ(settings.status, 200);
    EXPECT_EQ(sim().settings().google_access_token_lifetime, std::chrono::seconds(30));
    EXPECT_TRUE(sim().settings().auto_approve);
    const IssuedTokens short_lived = sim().issue_tokens(Provider::google, kUser, {kEventsScope});
    EXPECT_EQ(client().post_json("/_admin/clock/advance", {{"seconds", 31}}).status, 200);
    EXPECT_EQ(client().get(events, short_lived.access_token).status, 401);
    EXPECT_EQ(client().post_json("/_admin/clock/advance", {{"seconds", -1}}).status, 400);
}

TEST_F(AdminApiTest, HubSpotPrivateAppTokensWorkUntilRevoked) {
    const auto issued = client().post_json(
        "/_admin/hubspot/private-apps",
        {{"user", kUser}, {"scopes", {"crm.objects.contacts.write", "crm.objects.contacts.read"}}});
    ASSERT_EQ(issued.status, 201) << issued.body;
    const std::string token = issued.json().at("token");
    EXPECT_TRUE(token.starts_with("pat-na1-")) << token;
    EXPECT_EQ(token.size(), std::string("pat-na1-").size() + 36);
    const auto hub_id = issued.json().at("hub_id").get<std::int64_t>();
    EXPECT_EQ(hub_id, SimState::hub_id_for(kUser));

    // The account-info API names the portal; the CRM takes the token like an OAuth token.
    const auto details = client().get("/api.hubapi.com/account-info/v3/details", token);
    ASSERT_EQ(details.status, 200) << details.body;
    EXPECT_EQ(details.json().at("portalId"), hub_id);
    const auto created = client().post_json("/api.hubapi.com/crm/v3/objects/contacts",
                                            {{"properties", {{"email", "pat@example.com"}}}}, token);
    EXPECT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(sim().hubspot_records(kUser, "contacts").size(), 1u);
    // Its scopes hold: no deals.
    EXPECT_EQ(client()
                  .post_json("/api.hubapi.com/crm/v3/objects/deals",
                             {{"properties", {{"dealname", "No scope"}}}}, token)
                  .status,
              403);
    // It never expires: neither a day later nor when every access token is expired.
    EXPECT_EQ(client().post_json("/_admin/clock/advance", {{"seconds", 86400 * 365}}).status, 200);
    client().post_json("/_admin/tokens/expire", {{"provider", "hubspot"}});
    EXPECT_EQ(client().get("/api.hubapi.com/account-info/v3/details", token).status, 200);

    // Deleted (revoked): refused from then on.
    EXPECT_EQ(client().post_json("/_admin/tokens/revoke", {{"access_token", token}}).json().at("revoked"), 1);
    EXPECT_EQ(client().get("/api.hubapi.com/account-info/v3/details", token).status, 401);
    EXPECT_EQ(client().post_json("/api.hubapi.com/crm/v3/objects/contacts",
                                 {{"properties", {{"email", "late@example.com"}}}}, token)
                  .status,
              401);
    EXPECT_EQ(client().post_json("/_admin/tokens/revoke", {{"access_token", token}}).json().at("revoked"), 0);
    EXPECT_EQ(client().post_json("/_admin/hubspot/private-apps", {{"user", kUser}}).status, 400);
}

TEST_F(AdminApiTest, DataViews) {
    client().post_json("/gmail.googleapis.com/gmail/v1/users/me/messages/send",
                       {{"raw", base64url_encode("To: jane@example.com\r\nSubject: Hi\r\n\r\nHello")}},
                       google_token({kGmailSend}));
    const json mailbox = client().get("/_admin/gmail/messages?account=jane%40example.com").json();
    ASSERT_EQ(mailbox.at("messages").size(), 1u);
    EXPECT_EQ(mailbox.at("messages").at(0).at("subject"), "Hi");
    EXPECT_EQ(mailbox.at("messages").at(0).at("text"), "Hello");
    client().post_json("/api.hubapi.com/crm/v3/objects/contacts", {{"properties", {{"email", "c@example.com"}}}},
                       hubspot_token({"crm.objects.contacts.write"}));
    const json contacts = client().get("/_admin/hubspot/contacts?user=" + std::string("sim.user%40example.com")).json();
    ASSERT_EQ(contacts.at("contacts").size(), 1u);
    EXPECT_EQ(contacts.at("contacts").at(0).at("properties").at("email"), "c@example.com");
    EXPECT_EQ(client().request("POST", "/_admin/reset").status, 204);
    EXPECT_TRUE(sim().gmail_messages("jane@example.com").empty());
    EXPECT_EQ(client().get("/_admin/nothing-here").status, 404);
}

TEST_F(AdminApiTest, UnknownHostsAndPathsAreNamed) {
    const auto host = client().get("/graph.microsoft.com/v1.0/me");
    EXPECT_EQ(host.status, 404);
    EXPECT_NE(host.body.find("graph.microsoft.com"), std::string::npos);
    const auto path = client().get("/www.googleapis.com/calendar/v3/nowhere", google_token({kEventsScope}));
    EXPECT_EQ(path.status, 404);
    EXPECT_FALSE(last_request().valid());
}

} // namespace
} // namespace switchboard::sim::testing
