// Google's OAuth 2.0 endpoints: authorize (auto-approve, consent page, deny), the token
// endpoint (authorization_code with PKCE, refresh_token, client authentication, RFC 6749
// §5.2 errors), revoke and userinfo.
#include "tests/provider_sim/tests/sim_fixture.hpp"

#include "tests/provider_sim/common/base64.hpp"

namespace switchboard::sim::testing {
namespace {

using nlohmann::json;

constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
constexpr const char* kChallenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
constexpr const char* kGoogleRedirect = "http://localhost:8080/callback";

class GoogleOAuthTest : public SimTest {
protected:
    void auto_approve(bool on) {
        SimSettings s = sim().settings();
        s.auto_approve = on;
        sim().set_settings(s);
    }

    static std::string authorize_target(const std::string& extra = {}) {
        return "/accounts.google.com/o/oauth2/v2/auth?client_id=sim-google-client-id&redirect_uri=" +
               std::string("http%3A%2F%2Flocalhost%3A8080%2Fcallback") +
               "&response_type=code&scope=openid%20email%20https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcalendar.events"
               "&access_type=offline&state=st-1&code_challenge=" +
               kChallenge + "&code_challenge_method=S256" + extra;
    }

    // Authorizes (auto-approve) and returns the code.
    std::string code(const std::string& extra = {}) {
        auto_approve(true);
        const auto r = client().get(authorize_target(extra));
        EXPECT_EQ(r.status, 302);
        return query_of(r.header("Location"))["code"];
    }

    static HttpResult exchange(const std::string& code, const std::string& verifier = kVerifier) {
        std::vector<std::pair<std::string, std::string>> form = {
            {"grant_type", "authorization_code"}, {"code", code}, {"client_id", "sim-google-client-id"},
            {"client_secret", "sim-google-client-secret"}, {"redirect_uri", kGoogleRedirect}};
        if (!verifier.empty()) {
            form.emplace_back("code_verifier", verifier);
        }
        return client().post_form("/oauth2.googleapis.com/token", form);
    }

    static HttpResult refresh(const std::string& refresh_token) {
        return client().post_form("/oauth2.googleapis.com/token",
                                  {{"grant_type", "refresh_token"}, {"refresh_token", refresh_token},
                                   {"client_id", "sim-google-client-id"},
                                   {"client_secret", "sim-google-client-secret"}});
    }

    static void expect_oauth_error(const HttpResult& r, int status, const std::string& error,
                                   const std::string& description = {}) {
        EXPECT_EQ(r.status, status) << r.body;
        const json body = r.json();
        EXPECT_EQ(body.at("error"), error) << r.body;
        if (!description.empty()) {
            EXPECT_EQ(body.at("error_description"), description);
        }
        EXPECT_EQ(r.header("Cache-Control"), "no-store");
    }
};

TEST_F(GoogleOAuthTest, AutoApproveRedirectsWithCodeStateAndGrantedScopes) {
    auto_approve(true);
    const auto r = client().get(authorize_target());
    ASSERT_EQ(r.status, 302);
    const std::string location = r.header("Location");
    EXPECT_EQ(location.rfind(std::string(kGoogleRedirect) + "?", 0), 0u) << location;
    auto q = query_of(location);
    EXPECT_EQ(q["state"], "st-1");
    EXPECT_FALSE(q["code"].empty());
    // Google grants "email" under its long name.
    EXPECT_EQ(q["scope"], "openid https://www.googleapis.com/auth/userinfo.email " + std::string(kEventsScope));
}

TEST_F(GoogleOAuthTest, FullFlowCodeTokenApiRefreshRevoke) {
    const auto tokens = exchange(code());
    ASSERT_EQ(tokens.status, 200) << tokens.body;
    const json t = tokens.json();
    EXPECT_EQ(t.at("token_type"), "Bearer");
    EXPECT_GT(t.at("expires_in").get<int>(), 0);
    ASSERT_TRUE(t.contains("refresh_token"));
    const std::string access = t.at("access_token");
    const std::string refresh_token = t.at("refresh_token");

    const std::string events = "/www.googleapis.com/calendar/v3/calendars/primary/events";
    EXPECT_EQ(client().get(events, access).status, 200);

    const auto refreshed = refresh(refresh_token);
    ASSERT_EQ(refreshed.status, 200) << refreshed.body;
    EXPECT_FALSE(refreshed.json().contains("refresh_token")); // Google keeps the old one
    const std::string access2 = refreshed.json().at("access_token");
    EXPECT_NE(access2, access);
    EXPECT_EQ(client().get(events, access2).status, 200);

    const auto revoked = client().post_form("/oauth2.googleapis.com/revoke", {{"token", refresh_token}});
    EXPECT_EQ(revoked.status, 200);
    // Revoking the refresh token ends the whole grant.
    EXPECT_EQ(client().get(events, access2).status, 401);
    expect_oauth_error(refresh(refresh_token), 400, "invalid_grant", "Token has been expired or revoked.");
    expect_oauth_error(client().post_form("/oauth2.googleapis.com/revoke", {{"token", refresh_token}}), 400,
                       "invalid_token");
    EXPECT_TRUE(sim().validation_failures().empty());
}

TEST_F(GoogleOAuthTest, ConsentPageApprovesAsTheTypedAccount) {
    auto_approve(false);
    const auto page = client().get(authorize_target("&login_hint=someone%40example.com"));
    ASSERT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("someone@example.com"), std::string::npos);
    const auto at = page.body.find("name=\"request\" value=\"");
    ASSERT_NE(at, std::string::npos);
    const auto start = at + std::string("name=\"request\" value=\"").size();
    const std::string id = page.body.substr(start, page.body.find('"', start) - start);

    const auto approved = client().post_form("/accounts.google.com/o/oauth2/v2/auth/consent",
                                             {{"request", id}, {"email", "typed@example.com"}, {"decision", "approve"}});
    ASSERT_EQ(approved.status, 302);
    const auto tokens = exchange(query_of(approved.header("Location"))["code"]);
    ASSERT_EQ(tokens.status, 200) << tokens.body;
    const auto info = client().get("/openidconnect.googleapis.com/v1/userinfo", tokens.json().at("access_token"));
    ASSERT_EQ(info.status, 200);
    EXPECT_EQ(info.json().at("email"), "typed@example.com");
    EXPECT_EQ(info.json().at("email_verified"), true);
    EXPECT_FALSE(info.json().at("sub").get<std::string>().empty());
    // The form works once.
    EXPECT_EQ(client().post_form("/accounts.google.com/o/oauth2/v2/auth/consent",
                                 {{"request", id}, {"email", "typed@example.com"}, {"decision", "approve"}})
                  .status,
              400);
}

TEST_F(GoogleOAuthTest, DenyRedirectsWithAccessDenied) {
    auto_approve(false);
    const auto page = client().get(authorize_target());
    const auto at = page.body.find("name=\"request\" value=\"");
    ASSERT_NE(at, std::string::npos);
    const auto start = at + std::string("name=\"request\" value=\"").size();
    const std::string id = page.body.substr(start, page.body.find('"', start) - start);
    const auto denied = client().post_form("/accounts.google.com/o/oauth2/v2/auth/consent",
                                           {{"request", id}, {"decision", "deny"}});
    ASSERT_EQ(denied.status, 302);
    auto q = query_of(denied.header("Location"));
    EXPECT_EQ(q["error"], "access_denied");
    EXPECT_EQ(q["state"], "st-1");
    EXPECT_EQ(q.count("code"), 0u);
}

TEST_F(GoogleOAuthTest, BadAuthorizeRequestsShowAPageInsteadOfRedirecting) {
    auto_approve(true);
    const auto unknown_client = client().get(
        "/accounts.google.com/o/oauth2/v2/auth?client_id=nope&redirect_uri=http%3A%2F%2Flocalhost%2Fcb"
        "&response_type=code&scope=openid");
    EXPECT_EQ(unknown_client.status, 401);
    EXPECT_NE(unknown_client.body.find("invalid_client"), std::string::npos);
    const auto no_scope = client().get(
        "/accounts.google.com/o/oauth2/v2/auth?client_id=sim-google-client-id&redirect_uri=http%3A%2F%2Flocalhost%2Fcb"
        "&response_type=code");
    EXPECT_EQ(no_scope.status, 400);
    const auto bad_scope = client().get(
        "/accounts.google.com/o/oauth2/v2/auth?client_id=sim-google-client-id&redirect_uri=http%3A%2F%2Flocalhost%2Fcb"
        "&response_type=code&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fcalendar.everything");
    EXPECT_EQ(bad_scope.status, 400);
    EXPECT_NE(bad_scope.body.find("invalid_scope"), std::string::npos);
    const auto bad_redirect = client().get(
        "/accounts.google.com/o/oauth2/v2/auth?client_id=sim-google-client-id&redirect_uri=ftp%3A%2F%2Fhost%2Fcb"
        "&response_type=code&scope=openid");
    EXPECT_EQ(bad_redirect.status, 400);
    EXPECT_NE(bad_redirect.body.find("redirect_uri_mismatch"), std::string::npos);
    EXPECT_EQ(sim().validation_failures().size(), 4u);
}

TEST_F(GoogleOAuthTest, RegisteredRedirectUrisMatchExactly) {
    SimOptions options;
    options.google_client.redirect_uris = {"https://app.example.com/oauth/callback"};
    options.auto_approve = true;
    auto own = ProviderSim::start(options);
    ASSERT_TRUE(own) << own.error().message;
    const HttpClient c((*own)->port());
    const std::string base =
        "/accounts.google.com/o/oauth2/v2/auth?client_id=sim-google-client-id&response_type=code&scope=openid"
        "&redirect_uri=";
    EXPECT_EQ(c.get(base + "https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback").status, 302);
    EXPECT_EQ(c.get(base + "https%3A%2F%2Fapp.example.com%2Foauth%2Fcallback%2F").status, 400); // trailing slash
    EXPECT_EQ(c.get(base + "http%3A%2F%2Fapp.example.com%2Foauth%2Fcallback").status, 400);       // scheme
}

TEST_F(GoogleOAuthTest, PkceIsVerified) {
    expect_oauth_error(exchange(code(), "A" + std::string(kVerifier).substr(1)), 400, "invalid_grant",
                       "Invalid code verifier.");
    expect_oauth_error(exchange(code(), ""), 400, "invalid_grant", "Missing code verifier.");
}

TEST_F(GoogleOAuthTest, ACodeWorksOnceAndItsReuseRevokesItsTokens) {
    const std::string c = code();
    const auto first = exchange(c);
    ASSERT_EQ(first.status, 200);
    expect_oauth_error(exchange(c), 400, "invalid_grant");
    EXPECT_EQ(client().get("/www.googleapis.com/calendar/v3/calendars/primary/events",
                           first.json().at("access_token"))
                  .status,
              401);
}

TEST_F(GoogleOAuthTest, CodesExpire) {
    const std::string c = code();
    sim().advance_clock(std::chrono::minutes(11));
    expect_oauth_error(exchange(c), 400, "invalid_grant");
}

TEST_F(GoogleOAuthTest, ClientAuthenticationFailures) {
    const std::string c = code();
    const auto wrong_secret = client().post_form(
        "/oauth2.googleapis.com/token", {{"grant_type", "authorization_code"}, {"code", c}, {"client_id", "sim-google-client-id"},
                                         {"client_secret", "wrong"}, {"redirect_uri", kGoogleRedirect}, {"code_verifier", kVerifier}});
    expect_oauth_error(wrong_secret, 401, "invalid_client", "Unauthorized");
    const auto unknown = client().post_form("/oauth2.googleapis.com/token",
                                            {{"grant_type", "refresh_token"}, {"refresh_token", "x"}, {"client_id", "other"},
                                             {"client_secret", "s"}});
    expect_oauth_error(unknown, 401, "invalid_client", "The OAuth client was not found.");
    const auto missing = client().post_form("/oauth2.googleapis.com/token", {{"grant_type", "refresh_token"}});
    expect_oauth_error(missing, 400, "invalid_request", "Could not determine client ID from request.");
    // client_secret_basic works, and a failure through it says which scheme to use.
    const auto basic = client().post_form(
        "/oauth2.googleapis.com/token",
        {{"grant_type", "authorization_code"}, {"code", c}, {"redirect_uri", kGoogleRedirect}, {"code_verifier", kVerifier}},
        {{"Authorization", "Basic " + base64_encode("sim-google-client-id:sim-google-client-secret")}});
    EXPECT_EQ(basic.status, 200) << basic.body;
    const auto bad_basic = client().post_form("/oauth2.googleapis.com/token", {{"grant_type", "refresh_token"}},
                                              {{"Authorization", "Basic " + base64_encode("sim-google-client-id:no")}});
    expect_oauth_error(bad_basic, 401, "invalid_client");
    EXPECT_NE(bad_basic.header("WWW-Authenticate").find("Basic"), std::string::npos);
}

TEST_F(GoogleOAuthTest, MalformedTokenRequests) {
    const auto base = std::vector<std::pair<std::string, std::string>>{{"client_id", "sim-google-client-id"},
                                                                       {"client_secret", "sim-google-client-secret"}};
    auto form = base;
    expect_oauth_error(client().post_form("/oauth2.googleapis.com/token", form), 400, "invalid_request");
    form.emplace_back("grant_type", "password");
    expect_oauth_error(client().post_form("/oauth2.googleapis.com/token", form), 400, "unsupported_grant_type");
    form = base;
    form.emplace_back("grant_type", "authorization_code");
    form.emplace_back("code", code());
    form.emplace_back("redirect_uri", "http://localhost:8080/other");
    form.emplace_back("code_verifier", kVerifier);
    expect_oauth_error(client().post_form("/oauth2.googleapis.com/token", form), 400, "redirect_uri_mismatch");
    const auto json_body = client().post_json("/oauth2.googleapis.com/token", {{"grant_type", "refresh_token"}});
    expect_oauth_error(json_body, 400, "invalid_request");
}

TEST_F(GoogleOAuthTest, RefreshTokensComeOnFirstOfflineConsentOrWithPromptConsent) {
    ASSERT_TRUE(exchange(code()).json().contains("refresh_token"));
    EXPECT_FALSE(exchange(code()).json().contains("refresh_token"));
    EXPECT_TRUE(exchange(code("&prompt=consent")).json().contains("refresh_token"));
}

TEST_F(GoogleOAuthTest, RotationIssuesANewRefreshTokenAndRetiresTheOld) {
    SimSettings s = sim().settings();
    s.rotate_refresh_tokens = true;
    sim().set_settings(s);
    const std::string first = exchange(code()).json().at("refresh_token");
    const auto r = refresh(first);
    ASSERT_EQ(r.status, 200);
    const std::string second = r.json().at("refresh_token");
    EXPECT_NE(second, first);
    expect_oauth_error(refresh(first), 400, "invalid_grant");
    EXPECT_EQ(refresh(second).status, 200);
}

TEST_F(GoogleOAuthTest, AccessTokensExpireWithTheirLifetime) {
    SimSettings s = sim().settings();
    s.google_access_token_lifetime = std::chrono::seconds(60);
    sim().set_settings(s);
    const json t = exchange(code()).json();
    EXPECT_EQ(t.at("expires_in"), 60);
    const std::string events = "/www.googleapis.com/calendar/v3/calendars/primary/events";
    EXPECT_EQ(client().get(events, t.at("access_token")).status, 200);
    sim().advance_clock(std::chrono::seconds(61));
    const auto expired = client().get(events, t.at("access_token"));
    EXPECT_EQ(expired.status, 401);
    EXPECT_EQ(expired.json().at("error").at("status"), "UNAUTHENTICATED");
    EXPECT_EQ(refresh(t.at("refresh_token")).status, 200);
}

TEST_F(GoogleOAuthTest, UserinfoNeedsAnIdentityScope) {
    EXPECT_EQ(client().get("/openidconnect.googleapis.com/v1/userinfo").status, 401);
    EXPECT_EQ(client().get("/openidconnect.googleapis.com/v1/userinfo", "ya29.unknown").status, 401);
    EXPECT_EQ(client().get("/openidconnect.googleapis.com/v1/userinfo", google_token({kCalendarScope})).status, 403);
    const auto only_openid = client().get("/openidconnect.googleapis.com/v1/userinfo", google_token({"openid"}));
    ASSERT_EQ(only_openid.status, 200);
    EXPECT_FALSE(only_openid.json().contains("email")); // email needs the email scope
}

} // namespace
} // namespace switchboard::sim::testing
