// HubSpot's OAuth v1: install (authorize), the token endpoint's grants and v1 error bodies,
// access- and refresh-token metadata, and deleting a refresh token. Every answer is checked
// against the HubSpot description's definitions.
#include "tests/provider_sim/tests/sim_fixture.hpp"

#include "tests/provider_sim/validation/hubspot_catalog.hpp"

namespace switchboard::sim::testing {
namespace {

using nlohmann::json;

constexpr const char* kHubSpotRedirect = "https://app.example.com/hubspot/callback";

class HubSpotOAuthTest : public SimTest {
protected:
    void SetUp() override {
        SimSettings s = sim().settings();
        s.auto_approve = true;
        sim().set_settings(s);
    }

    static void expect_valid(const std::string& definition, const json& instance) {
        const auto violations = sim().hubspot_catalog().validate_definition(definition, instance);
        EXPECT_TRUE(violations.empty()) << definition << ": " << (violations.empty() ? "" : violations[0].description)
                                        << " in " << instance.dump();
    }

    static std::string code(const std::string& scope = "oauth%20crm.objects.contacts.read") {
        const auto r = client().get("/app.hubspot.com/oauth/authorize?client_id=sim-hubspot-client-id&redirect_uri=" +
                                    std::string("https%3A%2F%2Fapp.example.com%2Fhubspot%2Fcallback") + "&scope=" + scope +
                                    "&optional_scope=crm.objects.deals.read&state=s1");
        EXPECT_EQ(r.status, 302) << r.body;
        auto q = query_of(r.header("Location"));
        EXPECT_EQ(q["state"], "s1");
        return q["code"];
    }

    static HttpResult token(std::vector<std::pair<std::string, std::string>> form) {
        return client().post_form("/api.hubapi.com/oauth/v1/token", form);
    }

    static HttpResult exchange(const std::string& c) {
        return token({{"grant_type", "authorization_code"}, {"client_id", "sim-hubspot-client-id"},
                      {"client_secret", "sim-hubspot-client-secret"}, {"redirect_uri", kHubSpotRedirect}, {"code", c}});
    }

    static void expect_v1_error(const HttpResult& r, const std::string& status) {
        EXPECT_EQ(r.status, 400) << r.body;
        EXPECT_EQ(r.json().at("status"), status) << r.body;
        expect_valid("OAuthV1Error", r.json());
    }
};

TEST_F(HubSpotOAuthTest, CodeRefreshInfoAndDelete) {
    const auto tokens = exchange(code());
    ASSERT_EQ(tokens.status, 200) << tokens.body;
    const json t = tokens.json();
    expect_valid("OAuthTokenResponse", t);
    EXPECT_EQ(t.at("expires_in"), 1800);
    EXPECT_EQ(t.at("hub_id"), SimState::hub_id_for(kUser));
    EXPECT_EQ(t.at("scopes"), json::array({"oauth", "crm.objects.contacts.read", "crm.objects.deals.read"}));

    const auto info = client().get("/api.hubapi.com/oauth/v1/access-tokens/" + t.at("access_token").get<std::string>());
    ASSERT_EQ(info.status, 200) << info.body;
    expect_valid("OAuthAccessTokenInfo", info.json());
    EXPECT_EQ(info.json().at("user"), kUser);
    EXPECT_EQ(info.json().at("hub_id"), t.at("hub_id"));

    const std::string refresh_token = t.at("refresh_token");
    const auto refreshed = token({{"grant_type", "refresh_token"}, {"client_id", "sim-hubspot-client-id"},
                                  {"client_secret", "sim-hubspot-client-secret"}, {"refresh_token", refresh_token}});
    ASSERT_EQ(refreshed.status, 200) << refreshed.body;
    expect_valid("OAuthTokenResponse", refreshed.json());
    EXPECT_EQ(refreshed.json().at("refresh_token"), refresh_token);

    const auto refresh_info = client().get("/api.hubapi.com/oauth/v1/refresh-tokens/" + refresh_token);
    ASSERT_EQ(refresh_info.status, 200);
    expect_valid("OAuthRefreshTokenInfo", refresh_info.json());

    EXPECT_EQ(client().del("/api.hubapi.com/oauth/v1/refresh-tokens/" + refresh_token).status, 204);
    expect_v1_error(token({{"grant_type", "refresh_token"}, {"client_id", "sim-hubspot-client-id"},
                           {"client_secret", "sim-hubspot-client-secret"}, {"refresh_token", refresh_token}}),
                    "BAD_REFRESH_TOKEN");
    // Deleting the refresh token leaves issued access tokens working.
    EXPECT_EQ(client().get("/api.hubapi.com/crm/v3/objects/contacts", refreshed.json().at("access_token")).status, 200);
    EXPECT_EQ(client().del("/api.hubapi.com/oauth/v1/refresh-tokens/" + refresh_token).status, 404);
    EXPECT_TRUE(sim().validation_failures().empty());
    // Tokens never reach the request log.
    for (const auto& r : sim().requests()) {
        EXPECT_EQ(r.path.find(refresh_token), std::string::npos);
        EXPECT_EQ(r.body.find("sim-hubspot-client-secret"), std::string::npos);
    }
}

TEST_F(HubSpotOAuthTest, RotationReplacesTheRefreshToken) {
    SimSettings s = sim().settings();
    s.rotate_refresh_tokens = true;
    sim().set_settings(s);
    const std::string first = exchange(code()).json().at("refresh_token");
    const auto refresh = [](const std::string& t) {
        return token({{"grant_type", "refresh_token"}, {"client_id", "sim-hubspot-client-id"},
                      {"client_secret", "sim-hubspot-client-secret"}, {"refresh_token", t}});
    };
    const auto rotated = refresh(first);
    ASSERT_EQ(rotated.status, 200);
    const std::string second = rotated.json().at("refresh_token");
    EXPECT_NE(second, first);
    expect_v1_error(refresh(first), "BAD_REFRESH_TOKEN");
    EXPECT_EQ(refresh(second).status, 200);
}

TEST_F(HubSpotOAuthTest, TokenEndpointErrors) {
    const std::string c = code();
    expect_v1_error(token({{"grant_type", "client_credentials"}, {"client_id", "sim-hubspot-client-id"},
                           {"client_secret", "sim-hubspot-client-secret"}}),
                    "BAD_GRANT_TYPE");
    expect_v1_error(token({{"grant_type", "authorization_code"}, {"client_id", "nope"}, {"client_secret", "s"},
                           {"redirect_uri", kHubSpotRedirect}, {"code", c}}),
                    "BAD_CLIENT_ID");
    expect_v1_error(token({{"grant_type", "authorization_code"}, {"client_id", "sim-hubspot-client-id"},
                           {"client_secret", "wrong"}, {"redirect_uri", kHubSpotRedirect}, {"code", c}}),
                    "BAD_CLIENT_SECRET");
    expect_v1_error(token({{"grant_type", "authorization_code"}, {"client_id", "sim-hubspot-client-id"},
                           {"client_secret", "sim-hubspot-client-secret"}, {"redirect_uri", "https://evil.example.com/"},
                           {"code", c}}),
                    "BAD_REDIRECT_URI");
    expect_v1_error(exchange("na1-0000-0000-0000-0000-000000000000"), "BAD_AUTH_CODE");
    ASSERT_EQ(exchange(code()).status, 200);
    const std::string late = code();
    sim().advance_clock(std::chrono::minutes(11));
    expect_v1_error(exchange(late), "EXPIRED_AUTH_CODE");
    // A field the description does not allow is refused and logged.
    expect_v1_error(token({{"grant_type", "authorization_code"}, {"client_id", "sim-hubspot-client-id"},
                           {"client_secret", "sim-hubspot-client-secret"}, {"redirect_uri", kHubSpotRedirect},
                           {"code", code()}, {"scope", "oauth"}}),
                    "BAD_REQUEST");
    EXPECT_EQ(sim().validation_failures().size(), 2u); // client_credentials and the extra field
}

TEST_F(HubSpotOAuthTest, AuthorizeChecksTheInstallUrl) {
    const std::string base = "/app.hubspot.com/oauth/authorize?client_id=sim-hubspot-client-id&redirect_uri=" +
                             std::string("https%3A%2F%2Fapp.example.com%2Fhubspot%2Fcallback");
    EXPECT_EQ(client().get(base + "&scope=oauth%2Ccrm.objects.contacts.read").status, 400); // comma-separated
    EXPECT_EQ(client().get(base + "&scope=crm.objects.everything").status, 400);
    EXPECT_EQ(client().get(base).status, 400); // no scope
    EXPECT_EQ(client().get(base + "&scope=oauth&code_challenge=abc").status, 400); // malformed challenge
    EXPECT_EQ(client().get(base + "&scope=oauth&response_type=token").status, 400);
    EXPECT_EQ(client().get("/app.hubspot.com/oauth/authorize?client_id=x&redirect_uri=https%3A%2F%2Fa.example%2F&scope=oauth")
                  .status,
              400);
}

// What an RFC 6749/7636 client adds to the install URL (response_type, an S256 challenge) is
// accepted, and the exchange then needs the matching code_verifier.
TEST_F(HubSpotOAuthTest, AuthorizeTakesPkceAndTheExchangeChecksTheVerifier) {
    const std::string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"; // RFC 7636 Appendix B
    const std::string url = "/app.hubspot.com/oauth/authorize?response_type=code&client_id=sim-hubspot-client-id"
                            "&redirect_uri=https%3A%2F%2Fapp.example.com%2Fhubspot%2Fcallback&scope=oauth&state=p"
                            "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256";
    auto with = [&](const std::string& code, const std::string& v) {
        return token({{"grant_type", "authorization_code"}, {"client_id", "sim-hubspot-client-id"},
                      {"client_secret", "sim-hubspot-client-secret"}, {"redirect_uri", kHubSpotRedirect},
                      {"code", code}, {"code_verifier", v}});
    };
    auto first = client().get(url);
    ASSERT_EQ(first.status, 302) << first.body;
    expect_v1_error(with(query_of(first.header("Location"))["code"], verifier + "x"), "BAD_AUTH_CODE");
    auto second = client().get(url);
    ASSERT_EQ(second.status, 302) << second.body;
    EXPECT_EQ(with(query_of(second.header("Location"))["code"], verifier).status, 200);
    EXPECT_TRUE(sim().validation_failures().empty());
}

TEST_F(HubSpotOAuthTest, ConsentPageCanDeny) {
    SimSettings s = sim().settings();
    s.auto_approve = false;
    sim().set_settings(s);
    const auto page = client().get("/app.hubspot.com/oauth/authorize?client_id=sim-hubspot-client-id&redirect_uri=" +
                                   std::string("https%3A%2F%2Fapp.example.com%2Fhubspot%2Fcallback") +
                                   "&scope=oauth&state=abc");
    ASSERT_EQ(page.status, 200);
    const auto at = page.body.find("name=\"request\" value=\"");
    ASSERT_NE(at, std::string::npos);
    const auto start = at + std::string("name=\"request\" value=\"").size();
    const std::string id = page.body.substr(start, page.body.find('"', start) - start);
    const auto denied = client().post_form("/app.hubspot.com/oauth/authorize/consent", {{"request", id}, {"decision", "deny"}});
    ASSERT_EQ(denied.status, 302);
    EXPECT_EQ(query_of(denied.header("Location"))["error"], "access_denied");
    EXPECT_EQ(query_of(denied.header("Location"))["state"], "abc");
}

} // namespace
} // namespace switchboard::sim::testing
