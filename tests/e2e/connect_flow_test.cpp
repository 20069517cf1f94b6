// Issue 6 through the REST API: the providers list, the OAuth connect flow of each provider
// against the simulator, list/get/delete/refresh, tenant isolation, and every way a callback
// can fail.
#include "tests/e2e/e2e_suite.hpp"

#include <soci/soci.h>

#include <thread>

namespace switchboard::e2e {
namespace {

struct ProviderCase {
    std::string provider;
    std::string type;
    std::string authorize_path; // on the simulator
};

const std::vector<ProviderCase>& provider_cases() {
    static const std::vector<ProviderCase> cases = {
        {"google_calendar", "calendar", "/accounts.google.com/o/oauth2/v2/auth"},
        {"gmail", "email", "/accounts.google.com/o/oauth2/v2/auth"},
        {"google_drive", "drive", "/accounts.google.com/o/oauth2/v2/auth"},
        {"hubspot", "crm", "/app.hubspot.com/oauth/authorize"},
    };
    return cases;
}

std::string integrations(const std::string& query) {
    return std::string(kFrontend) + "/settings/integrations?" + query;
}

// An error answer without its request id (which differs per request), with the connector id
// the caller sent (which the message names) replaced by a placeholder.
std::string without_request_id(const HttpResult& r, const std::string& id) {
    json body = r.json_body();
    body.erase("request_id");
    std::string text = body.dump();
    for (auto at = text.find(id); at != std::string::npos; at = text.find(id)) text.replace(at, id.size(), "<id>");
    return text;
}

class ConnectFlow : public E2E {
protected:
    // Starts a flow and returns the callback URL the simulator sends the browser to.
    std::string callback_url_for(const std::string& token, const std::string& type,
                                 const std::string& provider, const std::string& name,
                                 std::string* state = nullptr) {
        auto start = post("/api/v1/connectors/authorize", token,
                          {{"type", type}, {"provider", provider}, {"name", name}});
        if (start.status != 200) {
            throw std::runtime_error("authorize: " + std::to_string(start.status) + start.body);
        }
        if (state != nullptr) *state = start.json_body().at("state");
        auto at_provider = client_.get(start.json_body().at("authorization_url"));
        if (at_provider.status != 302) {
            throw std::runtime_error("simulator: " + std::to_string(at_provider.status) +
                                     at_provider.body);
        }
        return at_provider.header("Location");
    }
};

TEST_F(ConnectFlow, ProvidersAreListedWithoutCredentials) {
    auto r = client_.get(api("/api/v1/connectors/providers"));
    ASSERT_EQ(r.status, 200) << r.body;
    std::map<std::string, json> by_id;
    const json body = r.json_body();
    // The seed's documented shape: a bare array.
    ASSERT_TRUE(body.is_array()) << r.body;
    for (const auto& p : body) by_id[p.at("provider").get<std::string>()] = p;
    ASSERT_EQ(by_id.size(), 4u) << r.body;
    for (const auto& c : provider_cases()) {
        ASSERT_TRUE(by_id.count(c.provider)) << c.provider << " missing: " << r.body;
        const json& p = by_id[c.provider];
        EXPECT_EQ(p.at("type"), c.type);
        EXPECT_EQ(p.at("configured"), true) << c.provider;
        EXPECT_EQ(p.at("requires_oauth"), true) << c.provider;
        EXPECT_FALSE(p.at("actions").empty()) << c.provider;
    }
    const json& calendar_actions = by_id["google_calendar"].at("actions");
    EXPECT_NE(std::find(calendar_actions.begin(), calendar_actions.end(), "create_event"),
              calendar_actions.end());
    EXPECT_EQ(find_secret(r.body), "");
}

TEST_F(ConnectFlow, EachProviderConnectsThroughTheSimulatorAndNothingSecretComesBack) {
    const std::string redirect_uri = api_base_url() + kCallbackPath;
    for (const auto& c : provider_cases()) {
        SCOPED_TRACE(c.provider);
        const std::string token = token_for("connect-" + c.provider);
        auto start = post("/api/v1/connectors/authorize", token,
                          {{"type", c.type}, {"provider", c.provider}, {"name", "My " + c.type}});
        ASSERT_EQ(start.status, 200) << start.body;
        const std::string url = start.json_body().at("authorization_url");
        const std::string state = start.json_body().at("state");
        EXPECT_EQ(url.rfind(sim_->url(c.authorize_path) + "?", 0), 0u) << url;
        // redirect_uri is API_BASE_URL's (the environment beats the file's), exactly.
        EXPECT_EQ(query_param(url, "redirect_uri").value_or(""), redirect_uri);
        EXPECT_EQ(query_param(url, "state").value_or(""), state);
        if (c.provider != "hubspot") {
            EXPECT_EQ(query_param(url, "code_challenge_method").value_or(""), "S256");
            EXPECT_EQ(query_param(url, "code_challenge").value_or("").size(), 43u);
        }
        EXPECT_EQ(query_param(url, "client_id").value_or(""),
                  c.provider == "hubspot" ? "sim-hubspot-client-id" : "sim-google-client-id");

        auto at_provider = client_.get(url);
        ASSERT_EQ(at_provider.status, 302) << at_provider.body;
        const std::string callback = at_provider.header("Location");
        EXPECT_EQ(callback.rfind(redirect_uri + "?", 0), 0u) << callback;
        auto back = client_.get(callback);
        ASSERT_EQ(back.status, 302) << back.body;
        // Parked for the user who started the flow, with a one-time code to confirm it.
        const std::string landing = back.header("Location");
        const std::string completion = query_param(landing, "completion").value_or("");
        EXPECT_EQ(completion.size(), 43u) << landing;
        EXPECT_EQ(landing, integrations("success=true&provider=" + c.provider +
                                        "&completion=" + completion));
        EXPECT_EQ(back.header("Referrer-Policy"), "no-referrer");
        const json pending = connectors(token);
        ASSERT_EQ(pending.size(), 1u) << pending.dump();
        EXPECT_EQ(pending[0].at("status"), "pending");
        EXPECT_TRUE(pending[0].at("account_identity").is_null()) << pending.dump();
        auto confirmed = confirm(token, landing);
        ASSERT_EQ(confirmed.status, 201) << confirmed.body;
        EXPECT_EQ(confirmed.json_body().at("status"), "active");
        EXPECT_EQ(find_secret(confirmed.body), "") << confirmed.body;
        EXPECT_EQ(confirmed.body.find(completion), std::string::npos);

        auto list = get("/api/v1/connectors", token);
        ASSERT_EQ(list.status, 200) << list.body;
        EXPECT_EQ(find_secret(list.body), "") << list.body;
        const json connectors = list.json_body().at("connectors");
        ASSERT_EQ(connectors.size(), 1u) << list.body;
        const json& connector = connectors[0];
        EXPECT_EQ(connector.at("provider"), c.provider);
        EXPECT_EQ(connector.at("type"), c.type);
        EXPECT_EQ(connector.at("status"), "active");
        EXPECT_EQ(connector.at("account_identity"), kSimUser);
        EXPECT_EQ(connector.at("has_refresh_token"), true);
        EXPECT_EQ(connector.at("user_id"), "user-1");
        for (const auto& [key, value] : connector.items()) {
            EXPECT_EQ(key.find("token") != std::string::npos && key != "has_refresh_token" &&
                          key != "token_expires_at",
                      false)
                << "a token-like field: " << key;
        }

        auto one = get("/api/v1/connectors/" + connector.at("id").get<std::string>(), token);
        ASSERT_EQ(one.status, 200) << one.body;
        EXPECT_EQ(one.json_body(), connector);
        EXPECT_EQ(one.json_body(), confirmed.json_body());
        EXPECT_EQ(find_secret(one.body), "") << one.body;
        // Single use.
        auto again = confirm(token, landing);
        EXPECT_EQ(again.status, 404) << again.body;
        EXPECT_EQ(again.error_code(), "completion_not_found");
    }
    // The token requests carried the same redirect_uri as the authorization requests: the
    // simulator refuses a code redeemed with another one, and logs what it got.
    const json requests = sim_->admin("GET", "/_admin/requests?invalid=true");
    EXPECT_TRUE(requests.at("requests").empty()) << requests.dump();
}

TEST_F(ConnectFlow, AnotherTenantsConnectorIsAnsweredExactlyAsAMissingOne) {
    const std::string owner = token_for("isolation-owner");
    const std::string other = token_for("isolation-other");
    const std::string id = connect_id(owner, "email", "gmail", "Owner's mail");
    ASSERT_FALSE(id.empty());
    const std::string missing = "00000000-0000-4000-8000-000000000000";

    auto same = [&](const std::string& what, const HttpResult& theirs, const HttpResult& absent) {
        EXPECT_EQ(theirs.status, 404) << what << ": " << theirs.body;
        EXPECT_EQ(absent.status, 404) << what << ": " << absent.body;
        EXPECT_EQ(without_request_id(theirs, id), without_request_id(absent, missing)) << what;
    };
    same("get", get("/api/v1/connectors/" + id, other), get("/api/v1/connectors/" + missing, other));
    same("refresh", post("/api/v1/connectors/" + id + "/refresh", other, nullptr),
         post("/api/v1/connectors/" + missing + "/refresh", other, nullptr));
    const json params = {{"max_results", 1}};
    same("action", post("/api/v1/connectors/" + id + "/actions/list_emails", other, params),
         post("/api/v1/connectors/" + missing + "/actions/list_emails", other, params));
    same("tool", tool(other, "email.list_emails", params, {}, {{"connector_id", id}}),
         tool(other, "email.list_emails", params, {}, {{"connector_id", missing}}));
    const int revokes = sim_->calls("oauth2.revoke");
    same("delete", del("/api/v1/connectors/" + id, other), del("/api/v1/connectors/" + missing, other));
    EXPECT_EQ(sim_->calls("oauth2.revoke"), revokes);

    // The owner's connector is untouched and still works.
    auto owners = get("/api/v1/connectors/" + id, owner);
    ASSERT_EQ(owners.status, 200) << owners.body;
    EXPECT_EQ(owners.json_body().at("status"), "active");
    EXPECT_TRUE(connectors(other).empty());
}

TEST_F(ConnectFlow, CallbackFailuresRedirectWithTheirCodeAndStoreNothing) {
    const std::string token = token_for("callback-failures");
    auto location_of = [&](const std::string& url) {
        auto r = client_.get(url);
        EXPECT_EQ(r.status, 302) << url << ": " << r.body;
        return r.header("Location");
    };

    // The user denies at the provider.
    std::string state;
    callback_url_for(token, "calendar", "google_calendar", "Denied", &state);
    EXPECT_EQ(location_of(api(std::string(kCallbackPath) + "?error=access_denied&state=" + state)),
              integrations("success=false&error=access_denied"));
    // That consumed the state: the provider's code for it is now useless.

    // A state the host never issued, and none at all.
    EXPECT_EQ(location_of(api(std::string(kCallbackPath) + "?code=abc&state=not-a-state")),
              integrations("success=false&error=invalid_state"));
    EXPECT_EQ(location_of(api(std::string(kCallbackPath) + "?code=abc")),
              integrations("success=false&error=invalid_state"));

    // A valid state without a code.
    callback_url_for(token, "calendar", "google_calendar", "No code", &state);
    EXPECT_EQ(location_of(api(std::string(kCallbackPath) + "?state=" + state)),
              integrations("success=false&error=invalid_callback"));

    // The exchange fails at the provider.
    sim_->admin("POST", "/_admin/faults",
                {{"kind", "error"}, {"prefix", "/oauth2.googleapis.com/token"}, {"status", 400}});
    const int exchanges = sim_->calls("oauth2.token");
    EXPECT_EQ(location_of(callback_url_for(token, "calendar", "google_calendar", "Exchange")),
              integrations("success=false&error=token_exchange_failed"));
    sim_->admin("DELETE", "/_admin/faults");
    EXPECT_EQ(sim_->calls("oauth2.token"), exchanges); // the fault answered, not the endpoint

    // An expired state: the store's clock is not ours to move, so the state's expiry is moved
    // into the past where it is kept (the SQL table; Redis's own TTL).
    const std::string expiring = callback_url_for(token, "calendar", "google_calendar", "Late");
    if (use_postgres()) {
        EXPECT_EQ(redis_->command("EVAL \"for _,k in ipairs(redis.call('KEYS','*')) do "
                                  "redis.call('PEXPIRE',k,1) end return 1\" 0"),
                  ":1");
        for (int i = 0; i < 200 && redis_->command("DBSIZE") != ":0"; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5)); // Redis's expiry cycle
        }
        EXPECT_EQ(redis_->command("DBSIZE"), ":0");
    } else {
        auto moved = database().with_session("expiring states", [](soci::session& sql) {
            sql << "UPDATE oauth_states SET expires_at = 1 WHERE tenant_id = 'callback-failures'";
            return Result<void>();
        });
        ASSERT_TRUE(moved) << moved.error().message;
    }
    EXPECT_EQ(location_of(expiring), integrations("success=false&error=invalid_state"));

    // Nothing was stored by any of them.
    EXPECT_TRUE(connectors(token).empty());

    // A replayed callback: the first one parks the connection, the same URL again is refused.
    const std::string once = callback_url_for(token, "calendar", "google_calendar", "Once");
    const std::string first = location_of(once);
    EXPECT_EQ(first.rfind(integrations("success=true&provider=google_calendar&completion="), 0), 0u)
        << first;
    EXPECT_EQ(location_of(once), integrations("success=false&error=invalid_state"));
    EXPECT_EQ(connectors(token).size(), 1u);
    EXPECT_EQ(confirm(token, first).status, 201);
    EXPECT_EQ(connectors(token).size(), 1u);
}

TEST_F(ConnectFlow, NothingInTheRequestChangesTheRedirectTargets) {
    const std::string token = token_for("redirect-targets");
    // The authorize body takes no redirect of its own.
    auto refused = post("/api/v1/connectors/authorize", token,
                        {{"type", "calendar"},
                         {"provider", "google_calendar"},
                         {"name", "x"},
                         {"redirect_uri", "https://evil.example/cb"}});
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_EQ(refused.json_body().at("error").value("field", ""), "/redirect_uri") << refused.body;

    // Forwarding headers on authorize do not move the redirect URI.
    auto start = client_.request("POST", api("/api/v1/connectors/authorize"),
                                 {{"Authorization", "Bearer " + token},
                                  {"Content-Type", "application/json"},
                                  {"X-Forwarded-Host", "evil.example"},
                                  {"X-Forwarded-Proto", "https"},
                                  {"Forwarded", "host=evil.example;proto=https"}},
                                 json{{"type", "calendar"}, {"provider", "google_calendar"},
                                      {"name", "Targets"}}.dump());
    ASSERT_EQ(start.status, 200) << start.body;
    EXPECT_EQ(query_param(start.json_body().at("authorization_url"), "redirect_uri").value_or(""),
              api_base_url() + kCallbackPath);

    // Nor do extra parameters and headers on the callback move the front end's URL.
    auto at_provider = client_.get(start.json_body().at("authorization_url"));
    ASSERT_EQ(at_provider.status, 302);
    const std::string callback = at_provider.header("Location") +
                                 "&redirect_uri=https%3A%2F%2Fevil.example&frontend_url="
                                 "https%3A%2F%2Fevil.example&next=https%3A%2F%2Fevil.example";
    auto back = client_.request("GET", callback,
                                {{"X-Forwarded-Host", "evil.example"}, {"Referer", "https://evil.example/"}});
    ASSERT_EQ(back.status, 302) << back.body;
    const std::string landing = back.header("Location");
    EXPECT_EQ(landing, integrations("success=true&provider=google_calendar&completion=" +
                                    query_param(landing, "completion").value_or("")));
    auto bad = client_.get(api(std::string(kCallbackPath) +
                               "?error=access_denied&state=x&redirect_uri=https%3A%2F%2Fevil.example"));
    EXPECT_EQ(bad.header("Location").rfind(std::string(kFrontend) + "/settings/integrations?", 0), 0u)
        << bad.header("Location");
}

TEST_F(ConnectFlow, TheSameAccountTwiceIsAlreadyConnected) {
    const std::string token = token_for("twice");
    EXPECT_TRUE(connect(token, "crm", "hubspot", "CRM").ok());
    const Connection again = connect(token, "crm", "hubspot", "CRM again");
    EXPECT_EQ(again.confirmed.status, 409) << again.confirmed.body;
    EXPECT_EQ(again.error(), "already_connected");
    const json list = connectors(token);
    ASSERT_EQ(list.size(), 1u) << list.dump();
    EXPECT_EQ(list[0].at("name"), "CRM");
    // Another tenant may connect the same account.
    EXPECT_TRUE(connect(token_for("twice-other"), "crm", "hubspot", "CRM").ok());
}

TEST_F(ConnectFlow, DisconnectRevokesAtTheProviderAndRemoves) {
    const std::string token = token_for("disconnect");
    const std::string google = connect_id(token, "drive", "google_drive", "Drive");
    const std::string hubspot = connect_id(token, "crm", "hubspot", "CRM");
    ASSERT_FALSE(google.empty());
    ASSERT_FALSE(hubspot.empty());

    const int google_revokes = sim_->calls("oauth2.revoke");
    auto gone = del("/api/v1/connectors/" + google, token);
    EXPECT_EQ(gone.status, 204) << gone.body;
    EXPECT_EQ(sim_->calls("oauth2.revoke"), google_revokes + 1);
    EXPECT_EQ(get("/api/v1/connectors/" + google, token).status, 404);

    const int hubspot_revokes = sim_->calls("oauth_refresh_token_delete");
    EXPECT_EQ(del("/api/v1/connectors/" + hubspot, token).status, 204);
    EXPECT_EQ(sim_->calls("oauth_refresh_token_delete"), hubspot_revokes + 1);
    EXPECT_TRUE(connectors(token).empty());
    EXPECT_EQ(del("/api/v1/connectors/" + hubspot, token).status, 404);
}

TEST_F(ConnectFlow, ForceRemovesWhatTheProviderWillNotRevokeAndSaysSo) {
    const std::string token = token_for("force-delete");
    const std::string id = connect_id(token, "calendar", "google_calendar", "Calendar");
    ASSERT_FALSE(id.empty());
    sim_->admin("POST", "/_admin/faults",
                {{"kind", "error"}, {"prefix", "/oauth2.googleapis.com/revoke"}, {"status", 503}});

    auto refused = del("/api/v1/connectors/" + id, token);
    EXPECT_EQ(refused.status, 503) << refused.body;
    EXPECT_EQ(refused.error_code(), "provider_unavailable");
    EXPECT_EQ(get("/api/v1/connectors/" + id, token).status, 200) << "nothing removed";

    auto forced = del("/api/v1/connectors/" + id + "?force=true", token);
    ASSERT_EQ(forced.status, 200) << forced.body;
    EXPECT_EQ(forced.json_body(),
              json::parse(R"({"revoked_at_provider":false,"revocation_error":"provider_unavailable"})"));
    EXPECT_EQ(get("/api/v1/connectors/" + id, token).status, 404);
    EXPECT_EQ(del("/api/v1/connectors/" + id + "?force=maybe", token).status, 400);
}

TEST_F(ConnectFlow, RefreshWorksAndAGrantRevokedAtTheProviderMarksTheConnectorRevoked) {
    const std::string token = token_for("refresh");
    const std::string id = connect_id(token, "calendar", "google_calendar", "Calendar");
    ASSERT_FALSE(id.empty());
    const json before = get("/api/v1/connectors/" + id, token).json_body();
    EXPECT_TRUE(before.at("last_refreshed_at").is_null());

    const int token_calls = sim_->calls("oauth2.token");
    auto refreshed = post("/api/v1/connectors/" + id + "/refresh", token, nullptr);
    ASSERT_EQ(refreshed.status, 200) << refreshed.body;
    EXPECT_EQ(sim_->calls("oauth2.token"), token_calls + 1);
    EXPECT_EQ(refreshed.json_body().at("status"), "active");
    EXPECT_FALSE(refreshed.json_body().at("last_refreshed_at").is_null());
    EXPECT_EQ(find_secret(refreshed.body), "");

    // The user revokes the grant at Google (every grant of the simulated account).
    const json revoked = sim_->admin("POST", "/_admin/tokens/revoke", {{"user", kSimUser}});
    EXPECT_GE(revoked.at("revoked").get<int>(), 1);
    auto refused = post("/api/v1/connectors/" + id + "/refresh", token, nullptr);
    EXPECT_EQ(refused.status, 409) << refused.body;
    EXPECT_EQ(refused.error_code(), "connector_revoked") << refused.body;
    EXPECT_EQ(get("/api/v1/connectors/" + id, token).json_body().at("status"), "revoked");

    // Connecting the account again (confirmed like any connection) brings the same connector
    // back.
    const Connection again = connect(token, "calendar", "google_calendar", "Calendar");
    ASSERT_TRUE(again.ok()) << again.landing << " " << again.confirmed.body;
    EXPECT_EQ(again.id(), id);
    const json list = connectors(token);
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0].at("id"), id);
    EXPECT_EQ(list[0].at("status"), "active");
}

} // namespace
} // namespace switchboard::e2e
