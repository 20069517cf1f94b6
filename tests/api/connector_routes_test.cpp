// The /api/v1/connectors routes over real sockets, with GoogleMock services: what each
// route passes to its service (the tenant from the verified key only), what it answers, and
// how every failure maps to a status and a stable code without calling the service.
#include "host/api/connector_routes.hpp"
#include "tests/api/api_fixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace switchboard::api::testing {
namespace {

using ::testing::_;
using ::testing::AllOf;
using ::testing::Field;
using ::testing::Return;
using nlohmann::json;

class ConnectorRoutesTest : public ApiFixture {
protected:
    void SetUp() override { start_api(); }
};

TEST_F(ConnectorRoutesTest, ProvidersNeedNoCredentialAndListWhatTheServiceSays) {
    ProviderInfo hubspot{"hubspot", "crm", "HubSpot", "HubSpot CRM", true, false,
                         {"create_contact", "find_contact_by_email"}, ""};
    EXPECT_CALL(connectors, providers()).WillOnce(Return(std::vector<ProviderInfo>{hubspot}));
    auto r = call(http::verb::get, "/api/v1/connectors/providers");
    ASSERT_EQ(r.status, 200u) << r.body;
    // The seed's documented shape: a bare array (extra fields beside its five are allowed).
    EXPECT_EQ(r.json(), json::parse(R"([{"provider":"hubspot","type":"crm",
        "name":"HubSpot","description":"HubSpot CRM","requires_oauth":true,"configured":false,
        "actions":["create_contact","find_contact_by_email"],"access_token_label":null}])"));
}

TEST_F(ConnectorRoutesTest, ProvidersComeWrappedInAnObjectOnRequest) {
    ProviderInfo hubspot{"hubspot", "crm", "HubSpot", "HubSpot CRM", true, true, {"create_contact"},
                         ""};
    // Asked once: the list is fixed at start-up, both answers are serialised from it.
    EXPECT_CALL(connectors, providers()).WillOnce(Return(std::vector<ProviderInfo>{hubspot}));
    auto wrapped = call(http::verb::get, "/api/v1/connectors/providers?format=object");
    ASSERT_EQ(wrapped.status, 200u) << wrapped.body;
    EXPECT_EQ(wrapped.json(), json::parse(R"({"providers":[{"provider":"hubspot","type":"crm",
        "name":"HubSpot","description":"HubSpot CRM","requires_oauth":true,"configured":true,
        "actions":["create_contact"],"access_token_label":null}]})"));
    auto bare = call(http::verb::get, "/api/v1/connectors/providers?format=array");
    ASSERT_EQ(bare.status, 200u) << bare.body;
    EXPECT_TRUE(bare.json().is_array());
}

TEST_F(ConnectorRoutesTest, ProvidersRefuseAnUnknownFormat) {
    auto r = call(http::verb::get, "/api/v1/connectors/providers?format=xml");
    EXPECT_EQ(r.status, 400u) << r.body;
    EXPECT_EQ(r.error_code(), "invalid_query_parameter");
    EXPECT_EQ(r.json().at("error").at("field"), "format");
}

TEST_F(ConnectorRoutesTest, EveryAuthenticatedRouteRefusesAMissingOrUnknownCredential) {
    // StrictMock: any service call fails the test.
    const std::vector<std::pair<http::verb, std::string>> routes = {
        {http::verb::get, "/api/v1/connectors"},
        {http::verb::get, "/api/v1/connectors/c-1"},
        {http::verb::post, "/api/v1/connectors/authorize"},
        {http::verb::post, "/api/v1/connectors/complete"},
        {http::verb::post, "/api/v1/connectors/access-token"},
        {http::verb::delete_, "/api/v1/connectors/c-1"},
        {http::verb::post, "/api/v1/connectors/c-1/refresh"},
        {http::verb::post, "/api/v1/connectors/c-1/actions/create_event"},
        {http::verb::post, "/api/v1/actions/calendar.create_event"},
    };
    for (const auto& [method, target] : routes) {
        auto none = call(method, target, {{"Content-Type", "application/json"}}, "{}");
        EXPECT_EQ(none.status, 401u) << target;
        EXPECT_EQ(none.error_code(), "missing_token") << target;
        EXPECT_EQ(none.header("WWW-Authenticate"), "Bearer") << target;

        auto wrong = call(method, target,
                          {{"Authorization", "Bearer sbk_not_a_configured_key_000"},
                           {"Content-Type", "application/json"}},
                          "{}");
        EXPECT_EQ(wrong.status, 401u) << target;
        EXPECT_EQ(wrong.error_code(), "invalid_api_key") << target;
        EXPECT_EQ(wrong.body.find("sbk_not_a"), std::string::npos) << "never echo a credential";

        auto basic = call(method, target, {{"Authorization", "Basic dXNlcjpwYXNz"}});
        EXPECT_EQ(basic.status, 401u) << target;
        EXPECT_EQ(basic.error_code(), "unsupported_auth_scheme") << target;
    }
}

TEST_F(ConnectorRoutesTest, ListUsesTheTenantOfTheKeyAndShowsNoSecrets) {
    EXPECT_CALL(connectors, list(kTenantB))
        .WillOnce(Return(std::vector<ConnectorSummary>{summary("c-1", "tenant-b")}));
    // A tenant named anywhere but in the credential is ignored.
    auto r = call(http::verb::get, "/api/v1/connectors?tenant_id=tenant-a",
                  {{"Authorization", "Bearer " + kKeyB}, {"X-Tenant-Id", "tenant-a"}});
    ASSERT_EQ(r.status, 200u) << r.body;
    const json c = r.json().at("connectors").at(0);
    EXPECT_EQ(c, json::parse(R"({"id":"c-1","type":"calendar","provider":"google_calendar",
        "name":"Work calendar","status":"active","account_identity":"jane@example.com",
        "account_id":null,"auth_method":"oauth",
        "scopes":["openid","https://www.googleapis.com/auth/calendar.events"],
        "user_id":"user-a","has_refresh_token":true,"token_expires_at":"2024-05-01T10:00:00Z",
        "created_at":"2024-05-01T09:00:00Z","updated_at":"2024-05-01T09:01:00Z",
        "last_refreshed_at":null,"last_error":null})"));
}

TEST_F(ConnectorRoutesTest, GetPassesTheIdAndMapsNotFound) {
    EXPECT_CALL(connectors, get(kTenantA, std::string_view("c 1/x")))
        .WillOnce(Return(summary("c 1/x")));
    EXPECT_CALL(connectors, get(kTenantA, std::string_view("other-tenants-id")))
        .WillOnce(Return(Error(ErrorKind::not_found, "connector_not_found",
                               "no connector other-tenants-id")));
    auto found = as_a(http::verb::get, "/api/v1/connectors/c%201%2Fx");
    ASSERT_EQ(found.status, 200u) << found.body;
    EXPECT_EQ(found.json().at("id"), "c 1/x");

    auto missing = as_a(http::verb::get, "/api/v1/connectors/other-tenants-id");
    EXPECT_EQ(missing.status, 404u);
    EXPECT_EQ(missing.error_code(), "connector_not_found");
    EXPECT_EQ(missing.json().at("request_id"), missing.header("X-Request-Id"));
}

TEST_F(ConnectorRoutesTest, AuthorizeStartsTheFlowForTheCaller) {
    EXPECT_CALL(connectors,
                start_authorization(kTenantA, AllOf(Field(&AuthorizationRequest::type, "crm"),
                                                    Field(&AuthorizationRequest::provider, "hubspot"),
                                                    Field(&AuthorizationRequest::name, "Sales"))))
        .WillOnce(Return(AuthorizationStart{"https://app.hubspot.com/oauth/authorize?state=s1",
                                            "s1"}));
    auto r = as_a(http::verb::post, "/api/v1/connectors/authorize",
                  R"({"type":"crm","provider":"hubspot","name":"Sales"})");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json(), json::parse(R"({"authorization_url":
        "https://app.hubspot.com/oauth/authorize?state=s1","state":"s1"})"));
}

TEST_F(ConnectorRoutesTest, AuthorizeRefusesBadBodiesWithTheFieldAndNeverCallsTheService) {
    struct Case {
        std::string body;
        std::string content_type;
        unsigned status;
        std::string code;
        std::string field;
    };
    const std::vector<Case> cases = {
        {R"({"type":"crm","provider":"hubspot",)", "application/json", 400, "malformed_json", ""},
        {"", "application/json", 400, "malformed_json", ""},
        {R"(["crm"])", "application/json", 400, "invalid_body", ""},
        {R"({"type":"crm","provider":"hubspot"})", "application/json", 400, "missing_field", "/name"},
        {R"({"type":"crm","provider":"hubspot","name":null})", "application/json", 400, "missing_field", "/name"},
        {R"({"type":"crm","provider":7,"name":"x"})", "application/json", 400, "invalid_field", "/provider"},
        {R"({"type":"","provider":"hubspot","name":"x"})", "application/json", 400, "invalid_field", "/type"},
        {R"({"type":"crm","provider":"hubspot","name":")" + std::string(201, 'n') + R"("})",
         "application/json", 400, "invalid_field", "/name"},
        {R"({"type":"crm","provider":"hubspot","name":"x","tenant_id":"tenant-b"})",
         "application/json", 400, "unknown_field", "/tenant_id"},
        {R"({"type":"crm","provider":"hubspot","name":"x"})", "text/plain", 415,
         "unsupported_media_type", ""},
        {R"({"type":"crm","provider":"hubspot","name":"x"})", "application/json; charset=utf-8",
         0, "", ""},
    };
    for (const auto& c : cases) {
        if (c.status == 0) {
            EXPECT_CALL(connectors, start_authorization(kTenantA, _))
                .WillOnce(Return(AuthorizationStart{"https://p.example/a", "s"}));
        }
        auto r = call(http::verb::post, "/api/v1/connectors/authorize",
                      {{"Authorization", "Bearer " + kKeyA}, {"Content-Type", c.content_type}},
                      c.body);
        if (c.status == 0) {
            EXPECT_EQ(r.status, 200u) << "a charset parameter is fine: " << r.body;
            continue;
        }
        EXPECT_EQ(r.status, c.status) << c.body;
        EXPECT_EQ(r.error_code(), c.code) << c.body;
        const json error = r.json().at("error");
        if (c.field.empty()) {
            EXPECT_FALSE(error.contains("field")) << r.body;
        } else {
            EXPECT_EQ(error.value("field", ""), c.field) << r.body;
        }
    }
}

TEST_F(ConnectorRoutesTest, AuthorizeBodyOverTheServerLimitIs413) {
    stop_and_join();
    options.body_limit_bytes = 1024;
    start_api();
    const std::string big =
        R"({"type":"crm","provider":"hubspot","name":")" + std::string(2000, 'x') + R"("})";
    auto r = as_a(http::verb::post, "/api/v1/connectors/authorize", big);
    EXPECT_EQ(r.status, 413u);
    EXPECT_EQ(r.error_code(), "body_too_large");
}

TEST_F(ConnectorRoutesTest, AuthorizeMapsServiceFailures) {
    EXPECT_CALL(connectors, start_authorization(kTenantA, _))
        .WillOnce(Return(Error(ErrorKind::unavailable, "state_store_unavailable",
                               "the OAuth state store does not answer")))
        .WillOnce(Return(Error(ErrorKind::not_found, "provider_not_found",
                               "no enabled provider 'outlook'", "provider")));
    const std::string body = R"({"type":"calendar","provider":"outlook","name":"x"})";
    auto down = as_a(http::verb::post, "/api/v1/connectors/authorize", body);
    EXPECT_EQ(down.status, 503u);
    EXPECT_EQ(down.error_code(), "state_store_unavailable");
    auto unknown = as_a(http::verb::post, "/api/v1/connectors/authorize", body);
    EXPECT_EQ(unknown.status, 404u);
    EXPECT_EQ(unknown.json().at("error").at("field"), "/provider")
        << "a field the service names is answered as a pointer into the body";
}

TEST_F(ConnectorRoutesTest, CallbackNeedsNoCredentialAndRedirectsWhereTheServiceSays) {
    CallbackOutcome ok;
    ok.success = true;
    ok.redirect_url = kFrontend + "/settings/integrations?success=true&provider=hubspot";
    EXPECT_CALL(connectors,
                complete_authorization(AllOf(
                    Field(&CallbackQuery::code, std::optional<std::string>("4/a b+c")),
                    Field(&CallbackQuery::state, std::optional<std::string>("s1")),
                    Field(&CallbackQuery::error, std::optional<std::string>()),
                    Field(&CallbackQuery::error_description, std::optional<std::string>()))))
        .WillOnce(Return(ok));
    auto r = call(http::verb::get, "/api/v1/connectors/callback?code=4%2Fa+b%2Bc&state=s1&scope=x");
    EXPECT_EQ(r.status, 302u);
    EXPECT_EQ(r.header("Location"), ok.redirect_url);
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    EXPECT_EQ(r.header("Referrer-Policy"), "no-referrer");
    EXPECT_TRUE(r.body.empty());
}

TEST_F(ConnectorRoutesTest, CallbackFailureIsARedirectToo) {
    CallbackOutcome denied;
    denied.redirect_url = kFrontend + "/settings/integrations?success=false&error=access_denied";
    denied.error_code = "access_denied";
    EXPECT_CALL(connectors, complete_authorization(
                                Field(&CallbackQuery::error, std::optional<std::string>("access_denied"))))
        .WillOnce(Return(denied));
    auto r = call(http::verb::get, "/api/v1/connectors/callback?error=access_denied&state=s1");
    EXPECT_EQ(r.status, 302u);
    EXPECT_EQ(r.header("Location"), denied.redirect_url);
}

TEST_F(ConnectorRoutesTest, CallbackNeverRedirectsOutsideTheFrontEnd) {
    CallbackOutcome evil;
    evil.success = true;
    evil.redirect_url = "https://app.example.com.evil.test/settings/integrations?success=true";
    EXPECT_CALL(connectors, complete_authorization(_)).WillOnce(Return(evil));
    auto r = call(http::verb::get, "/api/v1/connectors/callback?code=c&state=s");
    EXPECT_EQ(r.status, 302u);
    EXPECT_EQ(r.header("Location"),
              kFrontend + "/settings/integrations?success=false&error=internal_error");
}

TEST(CallbackLocation, AcceptsOnlyUrlsUnderTheFrontEnd) {
    auto at = [](std::string url, std::string frontend) {
        CallbackOutcome outcome;
        outcome.redirect_url = std::move(url);
        return callback_location(outcome, frontend);
    };
    const std::string fallback = "https://app.example.com/settings/integrations?success=false&error=internal_error";
    EXPECT_EQ(at("https://app.example.com/x?y", "https://app.example.com"), "https://app.example.com/x?y");
    EXPECT_EQ(at("https://app.example.com/x?y", "https://app.example.com/"), "https://app.example.com/x?y");
    EXPECT_EQ(at("https://app.example.com?y", "https://app.example.com"), "https://app.example.com?y");
    EXPECT_EQ(at("https://app.example.com.evil.test/x", "https://app.example.com"), fallback);
    EXPECT_EQ(at("https://app.example.com@evil.test/x", "https://app.example.com"), fallback);
    EXPECT_EQ(at("http://app.example.com/x", "https://app.example.com"), fallback);
    EXPECT_EQ(at("", "https://app.example.com"), fallback);
    EXPECT_EQ(at("https://app.example.com/app/settings", "https://app.example.com/app"),
              "https://app.example.com/app/settings");
    EXPECT_EQ(at("https://app.example.com/application", "https://app.example.com/app"),
              "https://app.example.com/app/settings/integrations?success=false&error=internal_error");
}

TEST_F(ConnectorRoutesTest, DeleteAnswers204AndMapsFailures) {
    DisconnectOutcome revoked;
    revoked.revoked_at_provider = true;
    EXPECT_CALL(connectors, disconnect(kTenantA, std::string_view("c-1"),
                                       Field(&DisconnectOptions::force, false)))
        .WillOnce(Return(revoked));
    EXPECT_CALL(connectors, disconnect(kTenantA, std::string_view("c-2"), _))
        .WillOnce(Return(Error(ErrorKind::not_found, "connector_not_found", "no connector c-2")));
    auto done = as_a(http::verb::delete_, "/api/v1/connectors/c-1");
    EXPECT_EQ(done.status, 204u);
    EXPECT_TRUE(done.body.empty());
    auto missing = as_a(http::verb::delete_, "/api/v1/connectors/c-2");
    EXPECT_EQ(missing.status, 404u);
}

TEST_F(ConnectorRoutesTest, ForcedDeleteSaysWhetherTheProviderRevoked) {
    DisconnectOutcome unrevoked;
    unrevoked.revocation_error = "provider_unavailable";
    DisconnectOutcome revoked;
    revoked.revoked_at_provider = true;
    EXPECT_CALL(connectors, disconnect(kTenantA, std::string_view("c-1"),
                                       Field(&DisconnectOptions::force, true)))
        .WillOnce(Return(unrevoked))
        .WillOnce(Return(revoked));
    auto forced = as_a(http::verb::delete_, "/api/v1/connectors/c-1?force=true");
    ASSERT_EQ(forced.status, 200u) << forced.body;
    EXPECT_EQ(forced.json(),
              json::parse(R"({"revoked_at_provider":false,"revocation_error":"provider_unavailable"})"));
    auto clean = as_a(http::verb::delete_, "/api/v1/connectors/c-1?force=true");
    ASSERT_EQ(clean.status, 200u) << clean.body;
    EXPECT_EQ(clean.json(), json::parse(R"({"revoked_at_provider":true,"revocation_error":null})"));

    // Anything but true or false is refused before the service is called.
    auto bad = as_a(http::verb::delete_, "/api/v1/connectors/c-1?force=yes");
    EXPECT_EQ(bad.status, 400u) << bad.body;
    EXPECT_EQ(bad.error_code(), "invalid_query");
    EXPECT_EQ(bad.json().at("error").at("field"), "force");
}

TEST_F(ConnectorRoutesTest, CompleteConfirmsForTheCallerAndAnswers201) {
    const std::string code = std::string(43, 'c');
    EXPECT_CALL(connectors, confirm_connection(kTenantA, std::string_view(code)))
        .WillOnce(Return(summary("c-1")));
    auto done = as_a(http::verb::post, "/api/v1/connectors/complete",
                     json{{"completion", code}}.dump());
    ASSERT_EQ(done.status, 201u) << done.body;
    EXPECT_EQ(done.json().at("id"), "c-1");
    EXPECT_EQ(done.json().at("status"), "active");
    EXPECT_EQ(done.body.find(code), std::string::npos) << "the code is not echoed";
}

TEST_F(ConnectorRoutesTest, CompleteMapsTheServicesRefusals) {
    EXPECT_CALL(connectors, confirm_connection(kTenantA, _))
        .WillOnce(Return(Error(ErrorKind::not_found, "completion_not_found", "unknown")))
        .WillOnce(Return(Error(ErrorKind::forbidden, "completion_forbidden", "another user's")))
        .WillOnce(Return(Error(ErrorKind::conflict, "already_connected", "already")));
    const std::string body = json{{"completion", "x"}}.dump();
    auto missing = as_a(http::verb::post, "/api/v1/connectors/complete", body);
    EXPECT_EQ(missing.status, 404u);
    EXPECT_EQ(missing.error_code(), "completion_not_found");
    auto forbidden = as_a(http::verb::post, "/api/v1/connectors/complete", body);
    EXPECT_EQ(forbidden.status, 403u);
    EXPECT_EQ(forbidden.error_code(), "completion_forbidden");
    auto twice = as_a(http::verb::post, "/api/v1/connectors/complete", body);
    EXPECT_EQ(twice.status, 409u);
    EXPECT_EQ(twice.error_code(), "already_connected");
}

TEST_F(ConnectorRoutesTest, CompleteRefusesBadBodiesWithoutCallingTheService) {
    for (const auto& [body, code, field] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {"{}", "missing_field", "/completion"},
             {R"({"completion":""})", "invalid_field", "/completion"},
             {R"({"completion":5})", "invalid_field", "/completion"},
             {json{{"completion", std::string(257, 'x')}}.dump(), "invalid_field", "/completion"},
             {R"({"completion":"x","tenant_id":"tenant-b"})", "unknown_field", "/tenant_id"},
         }) {
        auto r = as_a(http::verb::post, "/api/v1/connectors/complete", body);
        EXPECT_EQ(r.status, 400u) << body << ": " << r.body;
        EXPECT_EQ(r.error_code(), code) << body;
        EXPECT_EQ(r.json().at("error").value("field", ""), field) << body;
    }
}

TEST_F(ConnectorRoutesTest, RefreshAnswersTheConnectorOrSaysItWasRevoked) {
    EXPECT_CALL(connectors, refresh(kTenantA, std::string_view("c-1")))
        .WillOnce(Return(summary("c-1")))
        .WillOnce(Return(Error(ErrorKind::conflict, "connector_revoked",
                               "the provider refused the refresh token (invalid_grant); "
                               "reconnect the account")))
        .WillOnce(Return(Error(ErrorKind::upstream_failed, "provider_error", "bad answer")));
    auto ok = as_a(http::verb::post, "/api/v1/connectors/c-1/refresh");
    ASSERT_EQ(ok.status, 200u) << ok.body;
    EXPECT_EQ(ok.json().at("status"), "active");
    auto revoked = as_a(http::verb::post, "/api/v1/connectors/c-1/refresh");
    EXPECT_EQ(revoked.status, 409u);
    EXPECT_EQ(revoked.error_code(), "connector_revoked");
    auto bad = as_a(http::verb::post, "/api/v1/connectors/c-1/refresh");
    EXPECT_EQ(bad.status, 502u);
}

TEST_F(ConnectorRoutesTest, LiteralRoutesWinOverTheIdAndOtherMethodsFallBackToIt) {
    // DELETE /providers is DELETE /{id} with id "providers": a missing connector.
    EXPECT_CALL(connectors, disconnect(kTenantA, std::string_view("providers"), _))
        .WillOnce(Return(Error(ErrorKind::not_found, "connector_not_found", "no such connector")));
    EXPECT_EQ(as_a(http::verb::delete_, "/api/v1/connectors/providers").status, 404u);
    // PUT is no route's method here.
    auto put = as_a(http::verb::put, "/api/v1/connectors/c-1", "{}");
    EXPECT_EQ(put.status, 405u);
}

TEST_F(ConnectorRoutesTest, MetricsLabelRequestsByRoutePattern) {
    EXPECT_CALL(connectors, get(kTenantA, _))
        .WillRepeatedly(Return(Error(ErrorKind::not_found, "connector_not_found", "missing")));
    as_a(http::verb::get, "/api/v1/connectors/abc");
    as_a(http::verb::get, "/api/v1/connectors/def");
    auto metrics = call(http::verb::get, "/metrics");
    ASSERT_EQ(metrics.status, 200u);
    EXPECT_NE(metrics.body.find(R"(route="/api/v1/connectors/{id}")"), std::string::npos)
        << metrics.body;
    EXPECT_EQ(metrics.body.find("abc"), std::string::npos) << "raw paths never become labels";
}

TEST_F(ConnectorRoutesTest, ReadyzFollowsTheRuntimeCheck) {
    EXPECT_CALL(ready, Call())
        .WillOnce(Return(Result<void>()))
        .WillOnce(Return(Error(ErrorKind::unavailable, "database_unavailable",
                               "the database does not answer")))
        .WillOnce(Return(Error(ErrorKind::internal, "database_error", "odd")));
    auto ok = call(http::verb::get, "/readyz");
    EXPECT_EQ(ok.status, 200u);
    EXPECT_EQ(ok.json(), json({{"status", "ready"}}));
    auto down = call(http::verb::get, "/readyz");
    EXPECT_EQ(down.status, 503u);
    // Anyone may ask: the answer says "not ready" and nothing of why.
    EXPECT_EQ(down.json(), json({{"status", "not_ready"}}));
    EXPECT_EQ(down.body.find("database"), std::string::npos) << down.body;
    EXPECT_EQ(call(http::verb::get, "/readyz").status, 503u) << "any failure is not ready";
    EXPECT_EQ(call(http::verb::get, "/healthz").status, 200u);
    // The reason is in the operator's log.
    ASSERT_TRUE(stop_and_join());
    bool logged = false;
    for (const auto& line : logs->lines()) {
        logged = logged || line.find("the database does not answer") != std::string::npos;
    }
    EXPECT_TRUE(logged);
}

TEST_F(ConnectorRoutesTest, ProvidersNameTheAccessTokenTheyTake) {
    ProviderInfo hubspot{"hubspot", "crm", "HubSpot", "HubSpot CRM", true, false,
                         {"create_contact"}, "Private app access token"};
    EXPECT_CALL(connectors, providers()).WillOnce(Return(std::vector<ProviderInfo>{hubspot}));
    auto r = call(http::verb::get, "/api/v1/connectors/providers");
    ASSERT_EQ(r.status, 200u) << r.body;
    EXPECT_EQ(r.json().at(0).at("access_token_label"), "Private app access token");
}

TEST_F(ConnectorRoutesTest, AccessTokenConnectsForTheCallerAndAnswers201) {
    const std::string token = "pat-na1-11111111-2222-3333-4444-555555555555";
    auto connected = summary("c-9");
    connected.category = "crm";
    connected.provider = "hubspot";
    connected.account_identity = "62515";
    connected.account_id = "62515";
    connected.auth_method = store::AuthMethod::access_token;
    connected.has_refresh_token = false;
    connected.token_expires_at.reset();
    connected.scopes.clear();
    using connectors::AccessTokenConnection;
    EXPECT_CALL(connectors,
                connect_with_access_token(
                    kTenantA, AllOf(Field(&AccessTokenConnection::provider, "hubspot"),
                                    Field(&AccessTokenConnection::access_token, token),
                                    Field(&AccessTokenConnection::name, ""))))
        .WillOnce(Return(connected));
    EXPECT_CALL(connectors,
                connect_with_access_token(kTenantA, Field(&AccessTokenConnection::name, "Sales")))
        .WillOnce(Return(connected));
    auto r = as_a(http::verb::post, "/api/v1/connectors/access-token",
                  json{{"provider", "hubspot"}, {"access_token", token}}.dump());
    ASSERT_EQ(r.status, 201u) << r.body;
    EXPECT_EQ(r.json().at("id"), "c-9");
    EXPECT_EQ(r.json().at("auth_method"), "access_token");
    EXPECT_EQ(r.json().at("has_refresh_token"), false);
    EXPECT_TRUE(r.json().at("token_expires_at").is_null());
    EXPECT_EQ(r.body.find(token), std::string::npos) << "the token is never answered";
    auto named = as_a(http::verb::post, "/api/v1/connectors/access-token",
                      json{{"provider", "hubspot"}, {"access_token", token}, {"name", "Sales"}}.dump());
    EXPECT_EQ(named.status, 201u) << named.body;
}

TEST_F(ConnectorRoutesTest, AccessTokenMapsTheServicesRefusals) {
    EXPECT_CALL(connectors, connect_with_access_token(kTenantA, _))
        .WillOnce(Return(Error(ErrorKind::invalid_input, "access_token_unsupported",
                               "gmail connects through OAuth only", "provider")))
        .WillOnce(Return(Error(ErrorKind::invalid_input, "access_token_rejected",
                               "hubspot refused the token (HTTP 401)", "access_token")))
        .WillOnce(Return(Error(ErrorKind::upstream_failed, "provider_unavailable", "down")))
        .WillOnce(Return(Error(ErrorKind::not_found, "provider_not_found", "not enabled",
                               "provider")))
        .WillOnce(Return(Error(ErrorKind::conflict, "already_connected", "already")));
    const std::string body = json{{"provider", "hubspot"}, {"access_token", "pat-x"}}.dump();
    const auto post = [&] { return as_a(http::verb::post, "/api/v1/connectors/access-token", body); };
    auto unsupported = post();
    EXPECT_EQ(unsupported.status, 400u);
    EXPECT_EQ(unsupported.error_code(), "access_token_unsupported");
    EXPECT_EQ(unsupported.json().at("error").at("field"), "/provider");
    auto rejected = post();
    EXPECT_EQ(rejected.status, 400u);
    EXPECT_EQ(rejected.error_code(), "access_token_rejected");
    EXPECT_EQ(rejected.json().at("error").at("field"), "/access_token");
    auto down = post();
    EXPECT_EQ(down.status, 502u);
    EXPECT_EQ(down.error_code(), "provider_unavailable");
    auto missing = post();
    EXPECT_EQ(missing.status, 404u);
    EXPECT_EQ(missing.error_code(), "provider_not_found");
    auto twice = post();
    EXPECT_EQ(twice.status, 409u);
    EXPECT_EQ(twice.error_code(), "already_connected");
}

TEST_F(ConnectorRoutesTest, AccessTokenRefusesBadBodiesWithoutCallingTheService) {
    for (const auto& [body, code, field] :
         std::vector<std::tuple<std::string, std::string, std::string>>{
             {R"({"access_token":"pat-x"})", "missing_field", "/provider"},
             {R"({"provider":"hubspot"})", "missing_field", "/access_token"},
             {R"({"provider":"hubspot","access_token":""})", "invalid_field", "/access_token"},
             {R"({"provider":"hubspot","access_token":7})", "invalid_field", "/access_token"},
             {json{{"provider", "hubspot"}, {"access_token", std::string(4097, 'x')}}.dump(),
              "invalid_field", "/access_token"},
             {json{{"provider", std::string(65, 'x')}, {"access_token", "pat-x"}}.dump(),
              "invalid_field", "/provider"},
             {R"({"provider":"hubspot","access_token":"pat-x","name":""})", "invalid_field",
              "/name"},
             {json{{"provider", "hubspot"}, {"access_token", "pat-x"}, {"name", std::string(201, 'n')}}
                  .dump(),
              "invalid_field", "/name"},
             {R"({"provider":"hubspot","access_token":"pat-x","tenant_id":"tenant-b"})",
              "unknown_field", "/tenant_id"},
         }) {
        auto r = as_a(http::verb::post, "/api/v1/connectors/access-token", body);
        EXPECT_EQ(r.status, 400u) << body << ": " << r.body;
        EXPECT_EQ(r.error_code(), code) << body;
        EXPECT_EQ(r.json().at("error").value("field", ""), field) << body;
        EXPECT_EQ(r.body.find("pat-x"), std::string::npos) << "the token is not echoed";
    }
}

} // namespace
} // namespace switchboard::api::testing
