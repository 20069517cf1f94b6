// OAuthClient against a mock HttpClient: what each call sends (form fields, client
// authentication, placeholders), how answers are read (RFC 6749 §5.1, HubSpot's v1), and
// that no secret reaches an error message.
#include "core/http/form_encoding.hpp"
#include "core/oauth/authorization_url.hpp"
#include "core/oauth/oauth_client.hpp"
#include "tests/http/mock_http_client.hpp"

#include <boost/url/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace switchboard::oauth {
namespace {

using ::testing::_;
using ::testing::Return;
using ::testing::SaveArg;

constexpr std::string_view client_secret = "s3cret-client-secret";

plugin::ProviderDescriptor google() {
    plugin::ProviderDescriptor d;
    d.id = "google_calendar";
    d.category = "calendar";
    d.oauth.authorize_url = "https://accounts.google.com/o/oauth2/v2/auth";
    d.oauth.token_url = "https://oauth2.googleapis.com/token";
    d.oauth.revoke_url = "https://oauth2.googleapis.com/revoke";
    d.oauth.revoke_style = plugin::RevokeStyle::post_form;
    d.oauth.default_scopes = {"https://www.googleapis.com/auth/calendar.events"};
    d.oauth.identity_scopes = {"openid", "email"};
    d.oauth.extra_authorize_params = {{"access_type", "offline"}, {"prompt", "consent"}};
    d.oauth.pkce = true;
    d.oauth.client_auth = plugin::ClientAuth::post;
    d.oauth.identity_url = "https://openidconnect.googleapis.com/v1/userinfo";
    d.oauth.identity_field = "/email";
    return d;
}

plugin::ProviderDescriptor hubspot() {
    plugin::ProviderDescriptor d;
    d.id = "hubspot";
    d.category = "crm";
    d.oauth.authorize_url = "https://app.hubspot.com/oauth/authorize";
    d.oauth.token_url = "https://api.hubapi.com/oauth/v1/token";
    d.oauth.revoke_url = "https://api.hubapi.com/oauth/v1/refresh-tokens/{token}";
    d.oauth.revoke_style = plugin::RevokeStyle::delete_path;
    d.oauth.default_scopes = {"crm.objects.contacts.read", "oauth"};
    d.oauth.pkce = true;
    d.oauth.client_auth = plugin::ClientAuth::post;
    d.oauth.identity_url = "https://api.hubapi.com/oauth/v1/access-tokens/{access_token}";
    d.oauth.identity_field = "/user";
    return d;
}

ClientCredentials credentials() { return {"client-id", std::string(client_secret)}; }

http::HttpResponse respond(int status, std::string body, http::HttpHeaders headers = {}) {
    http::HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.headers = std::move(headers);
    r.attempts = 1;
    return r;
}

std::multimap<std::string, std::string> form_of(const std::string& body) {
    // A form body reads like a query (with '+' for a space).
    std::multimap<std::string, std::string> out;
    // parse_uri answers a view: the string it reads must outlive it.
    const std::string url = "http://form.test/?" + body;
    auto parsed = boost::urls::parse_uri(url);
    EXPECT_TRUE(parsed) << body;
    if (!parsed) return out;
    for (auto param : parsed->params()) out.emplace(param.key, param.value);
    return out;
}

std::multimap<std::string, std::string> query_of(const std::string& url) {
    auto parsed = boost::urls::parse_uri(url);
    EXPECT_TRUE(parsed) << url;
    std::multimap<std::string, std::string> out;
    if (!parsed) return out;
    for (auto param : parsed->params()) out.emplace(param.key, param.value);
    return out;
}

std::optional<std::string> header(const http::HttpRequest& request, std::string_view name) {
    for (const auto& [n, v] : request.headers) {
        if (n == name) return v;
    }
    return std::nullopt;
}

class OAuthClientTest : public ::testing::Test {
protected:
    std::shared_ptr<http::test_support::MockHttpClient> http =
        std::make_shared<http::test_support::MockHttpClient>();
    OAuthClient client{http};
    http::HttpRequest sent;
    http::RequestOptions sent_options;

    void expect_one(http::HttpResponse response) {
        EXPECT_CALL(*http, send(_, _))
            .WillOnce(::testing::DoAll(SaveArg<0>(&sent), SaveArg<1>(&sent_options),
                                       Return(Result<http::HttpResponse>(std::move(response)))));
    }
};

TEST(AuthorizationUrl, GoogleCarriesPkceScopesAndExtraParams) {
    auto url = build_authorization_url(
        google().oauth, {"client-id", "https://api.example.com/api/v1/connectors/callback",
                         "the-state", "the-challenge"});
    ASSERT_TRUE(url) << url.error().message;
    EXPECT_TRUE(url->starts_with("https://accounts.google.com/o/oauth2/v2/auth?")) << *url;
    auto q = query_of(*url);
    EXPECT_EQ(q.find("response_type")->second, "code");
    EXPECT_EQ(q.find("client_id")->second, "client-id");
    EXPECT_EQ(q.find("redirect_uri")->second, "https://api.example.com/api/v1/connectors/callback");
    EXPECT_EQ(q.find("scope")->second,
              "https://www.googleapis.com/auth/calendar.events openid email");
    EXPECT_EQ(q.find("state")->second, "the-state");
    EXPECT_EQ(q.find("code_challenge")->second, "the-challenge");
    EXPECT_EQ(q.find("code_challenge_method")->second, "S256");
    EXPECT_EQ(q.find("access_type")->second, "offline");
    EXPECT_EQ(q.find("prompt")->second, "consent");
    EXPECT_EQ(q.size(), 9u);
    // Spaces are %20 in the query, never '+'.
    EXPECT_NE(url->find("calendar.events%20openid%20email"), std::string::npos) << *url;
}

TEST(AuthorizationUrl, WithoutPkceNoChallengeAndExtraParamsCannotReplaceTheFlowsOwn) {
    plugin::OAuthDescriptor oauth = hubspot().oauth;
    oauth.pkce = false;
    oauth.authorize_url = "https://app.hubspot.com/oauth/authorize?optional_scope=x";
    oauth.extra_authorize_params = {{"state", "forged"}, {"redirect_uri", "https://evil"}};
    auto url = build_authorization_url(oauth, {"id", "https://cb", "s", ""});
    ASSERT_TRUE(url);
    auto q = query_of(*url);
    EXPECT_EQ(q.count("code_challenge"), 0u);
    EXPECT_EQ(q.count("state"), 1u);
    EXPECT_EQ(q.find("state")->second, "s");
    EXPECT_EQ(q.find("redirect_uri")->second, "https://cb");
    EXPECT_EQ(q.find("optional_scope")->second, "x");
    EXPECT_EQ(q.find("scope")->second, "crm.objects.contacts.read oauth");
}

TEST(AuthorizationUrl, RefusesAMissingChallengeWhenThePkceIsOn) {
    auto url = build_authorization_url(google().oauth, {"id", "https://cb", "s", ""});
    ASSERT_FALSE(url);
    EXPECT_EQ(url.error().code, "invalid_authorization_request");
    EXPECT_EQ(url.error().field, "code_challenge");
}

TEST_F(OAuthClientTest, ExchangeSendsTheCodeVerifierAndPostCredentials) {
    expect_one(respond(200, R"({"access_token":"ya29.a","expires_in":3599,"refresh_token":"1//r",
        "scope":"openid https://www.googleapis.com/auth/calendar.events","token_type":"Bearer"})"));
    auto tokens = client.exchange_code(google(), credentials(),
                                       {"4/code", "https://cb", "verifier-verifier-verifier"});
    ASSERT_TRUE(tokens) << tokens.error().message;
    EXPECT_EQ(sent.method, "POST");
    EXPECT_EQ(sent.url, "https://oauth2.googleapis.com/token");
    EXPECT_EQ(header(sent, "Content-Type"), "application/x-www-form-urlencoded");
    EXPECT_FALSE(header(sent, "Authorization"));
    auto form = form_of(sent.body);
    EXPECT_EQ(form.find("grant_type")->second, "authorization_code");
    EXPECT_EQ(form.find("code")->second, "4/code");
    EXPECT_EQ(form.find("redirect_uri")->second, "https://cb");
    EXPECT_EQ(form.find("code_verifier")->second, "verifier-verifier-verifier");
    EXPECT_EQ(form.find("client_id")->second, "client-id");
    EXPECT_EQ(form.find("client_secret")->second, client_secret);
    EXPECT_EQ(sent_options.metrics_label, "google_calendar");
    EXPECT_FALSE(sent_options.retry_non_idempotent);

    EXPECT_EQ(tokens->access_token, "ya29.a");
    EXPECT_EQ(tokens->refresh_token, "1//r");
    EXPECT_EQ(tokens->expires_in, std::chrono::seconds(3599));
    ASSERT_TRUE(tokens->scopes);
    EXPECT_EQ(*tokens->scopes, (std::vector<std::string>{
                                   "openid", "https://www.googleapis.com/auth/calendar.events"}));
}

TEST_F(OAuthClientTest, BasicClientAuthenticationEncodesTheCredentials) {
    plugin::ProviderDescriptor d = google();
    d.oauth.client_auth = plugin::ClientAuth::basic;
    d.oauth.pkce = false;
    expect_one(respond(200, R"({"access_token":"a","token_type":"bearer"})"));
    ClientCredentials c{"id:with colon", "p@ss"};
    ASSERT_TRUE(client.exchange_code(d, c, {"code", "https://cb", "unused"}));
    // base64("id%3Awith%20colon:p%40ss")
    EXPECT_EQ(header(sent, "Authorization"), "Basic aWQlM0F3aXRoJTIwY29sb246cCU0MHNz");
    auto form = form_of(sent.body);
    EXPECT_EQ(form.count("client_secret"), 0u);
    EXPECT_EQ(form.count("client_id"), 0u);
    EXPECT_EQ(form.count("code_verifier"), 0u);
}

// The account comes from the identity request (identity_account_field); hub_id is ignored here.
TEST_F(OAuthClientTest, HubSpotTokenAnswerWithScopesArray) {
    expect_one(respond(200, R"({"token_type":"bearer","refresh_token":"na1-r","hub_id":62515,
        "scopes":["oauth","crm.objects.contacts.read"],"access_token":"AAA","expires_in":1800})"));
    auto tokens = client.refresh(hubspot(), credentials(), "na1-r");
    ASSERT_TRUE(tokens);
    auto form = form_of(sent.body);
    EXPECT_EQ(form.find("grant_type")->second, "refresh_token");
    EXPECT_EQ(form.find("refresh_token")->second, "na1-r");
    EXPECT_EQ(tokens->refresh_token, "na1-r");
    ASSERT_TRUE(tokens->scopes);
    EXPECT_EQ(tokens->scopes->size(), 2u);
}

TEST_F(OAuthClientTest, RefreshWithoutANewRefreshTokenLeavesItEmpty) {
    expect_one(respond(200, R"({"access_token":"new","expires_in":"3600","token_type":"Bearer"})"));
    auto tokens = client.refresh(google(), credentials(), "old-refresh");
    ASSERT_TRUE(tokens);
    EXPECT_FALSE(tokens->refresh_token);
    EXPECT_FALSE(tokens->scopes);
    EXPECT_EQ(tokens->expires_in, std::chrono::seconds(3600)); // quoted numbers are accepted
}

TEST_F(OAuthClientTest, MalformedTokenAnswersAreProviderErrors) {
    for (const char* body :
         {"not json", "[]", R"({"token_type":"Bearer"})", R"({"access_token":""})",
          R"({"access_token":"a","token_type":"mac"})", R"({"access_token":"a","expires_in":-5})",
          R"({"access_token":"a","expires_in":"soon"})", R"({"access_token":"a","scope":7})"}) {
        SCOPED_TRACE(body);
        expect_one(respond(200, body));
        auto tokens = client.refresh(google(), credentials(), "r");
        ASSERT_FALSE(tokens);
        EXPECT_EQ(tokens.error().code, "provider_error");
        EXPECT_EQ(tokens.error().kind, ErrorKind::upstream_failed);
    }
}

TEST_F(OAuthClientTest, A200CarryingAnErrorIsAnError) {
    expect_one(respond(200, R"({"error":"invalid_grant","error_description":"Bad Request"})"));
    auto tokens = client.refresh(google(), credentials(), "r");
    ASSERT_FALSE(tokens);
    EXPECT_EQ(tokens.error().code, "invalid_grant");
}

TEST_F(OAuthClientTest, NetworkFailureIsUnavailable) {
    EXPECT_CALL(*http, send(_, _))
        .WillOnce(Return(Result<http::HttpResponse>(
            Error(ErrorKind::unavailable, "upstream_connect_failed", "cannot connect"))));
    auto tokens = client.refresh(google(), credentials(), "r");
    ASSERT_FALSE(tokens);
    EXPECT_EQ(tokens.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(tokens.error().code, "provider_unavailable");
}

TEST_F(OAuthClientTest, NoSecretReachesTheErrorMessage) {
    const std::string code = "4/0AeaYSHDsecretcode";
    const std::string verifier = "verifierverifierverifierverifierverifierverifier";
    expect_one(respond(400, R"({"error":"invalid_grant","error_description":"code )" + code +
                                " with verifier " + verifier + " and secret " +
                                std::string(client_secret) + R"( refused"})"));
    auto tokens = client.exchange_code(google(), credentials(), {code, "https://cb", verifier});
    ASSERT_FALSE(tokens);
    EXPECT_EQ(tokens.error().code, "invalid_grant");
    const std::string& message = tokens.error().message;
    EXPECT_EQ(message.find(code), std::string::npos) << message;
    EXPECT_EQ(message.find(verifier), std::string::npos) << message;
    EXPECT_EQ(message.find(client_secret), std::string::npos) << message;
    EXPECT_NE(message.find("invalid_grant"), std::string::npos) << message;
}

TEST_F(OAuthClientTest, RevokePostsTheTokenAsAForm) {
    expect_one(respond(200, "{}"));
    ASSERT_TRUE(client.revoke(google(), "1//refresh token"));
    EXPECT_EQ(sent.method, "POST");
    EXPECT_EQ(sent.url, "https://oauth2.googleapis.com/revoke");
    EXPECT_EQ(sent.body, "token=1%2F%2Frefresh+token");
}

TEST_F(OAuthClientTest, GoogleInvalidTokenOnRevokeMeansAlreadyRevoked) {
    expect_one(respond(400, R"({"error":"invalid_token","error_description":"Token expired or revoked"})"));
    EXPECT_TRUE(client.revoke(google(), "gone"));
}

TEST_F(OAuthClientTest, RevokeByDeleteSubstitutesTheEncodedToken) {
    expect_one(respond(204, ""));
    ASSERT_TRUE(client.revoke(hubspot(), "na1-ab/cd"));
    EXPECT_EQ(sent.method, "DELETE");
    EXPECT_EQ(sent.url, "https://api.hubapi.com/oauth/v1/refresh-tokens/na1-ab%2Fcd");
    EXPECT_TRUE(sent.body.empty());
}

TEST_F(OAuthClientTest, HubSpotNotFoundOnRevokeMeansAlreadyGone) {
    expect_one(respond(404, R"({"status":"NOT_FOUND","message":"refresh token not found"})"));
    EXPECT_TRUE(client.revoke(hubspot(), "na1-x"));
}

TEST_F(OAuthClientTest, RevokeWhenTheProviderIsDownFails) {
    expect_one(respond(503, "", {{"retry-after", "7"}}));
    auto revoked = client.revoke(google(), "t");
    ASSERT_FALSE(revoked);
    EXPECT_EQ(revoked.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(revoked.error().code, "provider_unavailable");
    EXPECT_EQ(revoked.error().retry_after_seconds, 7);
}

TEST_F(OAuthClientTest, RevokeWithoutAnEndpointIsUnsupported) {
    plugin::ProviderDescriptor d = google();
    d.oauth.revoke_style = plugin::RevokeStyle::none;
    EXPECT_CALL(*http, send(_, _)).Times(0);
    auto revoked = client.revoke(d, "t");
    ASSERT_FALSE(revoked);
    EXPECT_EQ(revoked.error().code, "revocation_unsupported");
}

TEST_F(OAuthClientTest, IdentityWithTheBearerToken) {
    expect_one(respond(200, R"({"sub":"1","email":"a@example.com"})"));
    auto identity = client.fetch_identity(google(), "ya29.token");
    ASSERT_TRUE(identity);
    EXPECT_EQ(*identity, "a@example.com");
    EXPECT_EQ(sent.method, "GET");
    EXPECT_EQ(sent.url, "https://openidconnect.googleapis.com/v1/userinfo");
    EXPECT_EQ(header(sent, "Authorization"), "Bearer ya29.token");
}

TEST_F(OAuthClientTest, IdentityWithTheTokenInThePath) {
    expect_one(respond(200, R"({"token":"CKD","user":"u@example.com","hub_id":62515})"));
    auto identity = client.fetch_identity(hubspot(), "CKD");
    ASSERT_TRUE(identity);
    EXPECT_EQ(*identity, "u@example.com");
    EXPECT_EQ(sent.url, "https://api.hubapi.com/oauth/v1/access-tokens/CKD");
    EXPECT_FALSE(header(sent, "Authorization"));
}

TEST_F(OAuthClientTest, IdentityFieldMissingOrRefused) {
    expect_one(respond(200, R"({"sub":"1"})"));
    auto missing = client.fetch_identity(google(), "t");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "provider_error");

    expect_one(respond(401, R"({"error":"invalid_request","error_description":"Invalid Credentials"})"));
    auto refused = client.fetch_identity(google(), "t");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::upstream_failed);
}

TEST_F(OAuthClientTest, IdentityFieldMayBeANumber) {
    plugin::ProviderDescriptor d = hubspot();
    d.oauth.identity_field = "/hub_id";
    expect_one(respond(200, R"({"user":"u@example.com","hub_id":62515})"));
    auto identity = client.fetch_identity(d, "t");
    ASSERT_TRUE(identity);
    EXPECT_EQ(*identity, "62515");
}

// HubSpot: one login may be a user of several portals; the portal is part of the account.
TEST_F(OAuthClientTest, TheAccountFieldComesFromTheSameAnswer) {
    plugin::ProviderDescriptor d = hubspot();
    d.oauth.identity_account_field = "/hub_id";
    expect_one(respond(200, R"({"token":"CKD","user":"u@example.com","hub_id":62515})"));
    auto account = client.fetch_account(d, "CKD");
    ASSERT_TRUE(account) << account.error().message;
    EXPECT_EQ(account->identity, "u@example.com");
    EXPECT_EQ(account->account_id, "62515");

    expect_one(respond(200, R"({"token":"CKD","user":"u@example.com"})"));
    auto missing = client.fetch_account(d, "CKD");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, "provider_error");
    EXPECT_NE(missing.error().message.find("/hub_id"), std::string::npos);

    // Without an account field there is none.
    expect_one(respond(200, R"({"user":"u@example.com","hub_id":62515})"));
    auto plain = client.fetch_account(hubspot(), "CKD");
    ASSERT_TRUE(plain);
    EXPECT_TRUE(plain->account_id.empty());
}

} // namespace
} // namespace switchboard::oauth

namespace switchboard::oauth {
namespace {

// The provider's policy (its plugin's provider-policy extension) reaches the OAuth client: its
// error dialect classifies the token endpoint's answer, and its rate-limit rules ride along
// with the request for the HTTP client's retries.
TEST_F(OAuthClientTest, TheProvidersPolicyClassifiesItsErrorsAndCarriesItsRateLimitRules) {
    plugin::ProviderDescriptor with_policy = hubspot();
    with_policy.policy.oauth_errors = {
        "status", "message", {{"BAD_REFRESH_TOKEN", plugin::OAuthErrorMeaning::invalid_grant}}};
    with_policy.policy.rate_limit_headers = {
        {"x-hubspot-ratelimit-daily-remaining", "", std::chrono::milliseconds{0}, std::nullopt,
         true}};
    const std::string body = R"({"status":"BAD_REFRESH_TOKEN","message":"missing or invalid"})";

    expect_one(respond(400, body));
    auto refused = client.refresh(with_policy, credentials(), "na1-r");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "invalid_grant");
    ASSERT_NE(sent_options.rate_limit_rules, nullptr);
    EXPECT_EQ(*sent_options.rate_limit_rules, with_policy.policy.rate_limit_headers);

    expect_one(respond(400, body)); // the same answer from a provider without that policy
    refused = client.refresh(hubspot(), credentials(), "na1-r");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "provider_error");
    EXPECT_EQ(sent_options.rate_limit_rules, nullptr);
}

} // namespace
} // namespace switchboard::oauth
