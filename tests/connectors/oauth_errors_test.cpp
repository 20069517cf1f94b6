// How provider answers become stable Error codes, driven by the shared summary of RFC 6749
// §4.1.2.1 / §5.2 and RFC 7009 (specs/oauth/rfc6749_errors.json) and by HubSpot's v1 shapes.
#include "core/oauth/oauth_errors.hpp"
#include "tests/support/specs.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

namespace switchboard::oauth {
namespace {

nlohmann::json rfc6749() {
    return nlohmann::json::parse(testing::read_spec("oauth/rfc6749_errors.json"));
}

http::HttpResponse respond(int status, const nlohmann::json& body) {
    http::HttpResponse r;
    r.status = status;
    r.body = body.dump();
    return r;
}

// Every status the summary allows for a code ("400 or 401" gives both).
std::vector<int> statuses_of(const nlohmann::json& status) {
    if (status.is_number_integer()) return {status.get<int>()};
    std::vector<int> out;
    const std::string text = status.get<std::string>();
    for (int candidate : {400, 401, 403}) {
        if (text.find(std::to_string(candidate)) != std::string::npos) out.push_back(candidate);
    }
    return out;
}

TEST(TokenEndpointErrors, EveryRfc6749CodeMapsToAStableCode) {
    const auto spec = rfc6749();
    const auto& codes = spec.at("token_endpoint_errors").at("codes");
    ASSERT_GE(codes.size(), 6u);
    for (const auto& [code, entry] : codes.items()) {
        for (int status : statuses_of(entry.at("http_status"))) {
            SCOPED_TRACE(code + " " + std::to_string(status));
            Error error = token_endpoint_error(
                "google_calendar", "token refresh",
                respond(status, {{"error", code}, {"error_description", "described"}}), {});
            if (code == "invalid_grant") {
                EXPECT_EQ(error.code, "invalid_grant");
                EXPECT_EQ(error.kind, ErrorKind::conflict);
            } else if (code == "invalid_client") {
                EXPECT_EQ(error.code, "invalid_client");
                EXPECT_EQ(error.kind, ErrorKind::upstream_failed);
            } else {
                EXPECT_EQ(error.code, "provider_error");
                EXPECT_EQ(error.kind, ErrorKind::upstream_failed);
            }
            EXPECT_NE(error.message.find(code), std::string::npos) << error.message;
            EXPECT_NE(error.message.find("google_calendar"), std::string::npos);
            EXPECT_NE(error.message.find(std::to_string(status)), std::string::npos);
        }
    }
}

TEST(TokenEndpointErrors, TheSpecExampleBodyIsAnInvalidGrant) {
    const auto spec = rfc6749();
    Error error = token_endpoint_error("x", "token exchange",
                                       respond(400, spec.at("token_endpoint_errors").at("example_body")),
                                       {});
    EXPECT_EQ(error.code, "invalid_grant");
    EXPECT_NE(error.message.find("authorization code expired"), std::string::npos) << error.message;
}

// What HubSpot's plugin says in its policy (plugins/hubspot/provider_policy.cpp).
plugin::OAuthErrorDialect hubspot_dialect() {
    return {"status",
            "message",
            {{"BAD_REFRESH_TOKEN", plugin::OAuthErrorMeaning::invalid_grant},
             {"BAD_AUTH_CODE", plugin::OAuthErrorMeaning::invalid_grant},
             {"EXPIRED_AUTH_CODE", plugin::OAuthErrorMeaning::invalid_grant},
             {"BAD_CLIENT_ID", plugin::OAuthErrorMeaning::invalid_client},
             {"BAD_CLIENT_SECRET", plugin::OAuthErrorMeaning::invalid_client}}};
}

TEST(TokenEndpointErrors, HubSpotV1Codes) {
    const std::pair<const char*, const char*> table[] = {
        {"BAD_REFRESH_TOKEN", "invalid_grant"}, {"BAD_AUTH_CODE", "invalid_grant"},
        {"EXPIRED_AUTH_CODE", "invalid_grant"}, {"BAD_CLIENT_ID", "invalid_client"},
        {"BAD_CLIENT_SECRET", "invalid_client"}, {"BAD_REDIRECT_URI", "provider_error"},
        {"BAD_GRANT_TYPE", "provider_error"},
    };
    for (const auto& [status, expected] : table) {
        SCOPED_TRACE(status);
        Error error = token_endpoint_error(
            "hubspot", "token refresh",
            respond(400, {{"status", status}, {"message", "missing or invalid refresh token"},
                          {"correlationId", "2dea5219-07f2-40ce-82ec-9c2e302317a4"}}),
            {}, hubspot_dialect());
        EXPECT_EQ(error.code, expected);
        EXPECT_NE(error.message.find(status), std::string::npos) << error.message;
        EXPECT_NE(error.message.find("missing or invalid refresh token"), std::string::npos)
            << error.message;
    }
}

// The core knows no provider's codes: without the dialect, a HubSpot body is a generic refusal.
TEST(TokenEndpointErrors, ProviderCodesNeedTheProvidersDialect) {
    const auto body = respond(400, {{"status", "BAD_REFRESH_TOKEN"}, {"message", "gone"}});
    EXPECT_EQ(token_endpoint_error("p", "token refresh", body, {}).code, "provider_error");
    EXPECT_EQ(token_endpoint_error("p", "token refresh", body, {}, hubspot_dialect()).code,
              "invalid_grant");
    // RFC 6749's member wins over the dialect's when both are there.
    const auto both = respond(400, {{"error", "invalid_client"}, {"status", "BAD_REFRESH_TOKEN"}});
    EXPECT_EQ(token_endpoint_error("p", "w", both, {}, hubspot_dialect()).code, "invalid_client");
}

TEST(TokenEndpointErrors, BareStatuses) {
    http::HttpResponse r;
    r.status = 401;
    EXPECT_EQ(token_endpoint_error("p", "w", r, {}).code, "invalid_client");
    r.status = 400;
    r.body = "<html>Bad Request</html>";
    EXPECT_EQ(token_endpoint_error("p", "w", r, {}).code, "provider_error");
    for (int status : {429, 500, 502, 503}) {
        r.status = status;
        Error error = token_endpoint_error("p", "w", r, {});
        EXPECT_EQ(error.code, "provider_unavailable") << status;
        EXPECT_EQ(error.kind, ErrorKind::unavailable);
    }
    r.status = 503;
    r.headers = {{"retry-after", "12"}};
    EXPECT_EQ(token_endpoint_error("p", "w", r, {}).retry_after_seconds, 12);
}

TEST(TokenEndpointErrors, DescriptionsAreRedactedAndCleaned) {
    Error error = token_endpoint_error(
        "p", "token refresh",
        respond(400, {{"error", "invalid_grant"},
                      {"error_description", "token tok-123456 is bad\nforged line"}}),
        {"tok-123456"});
    EXPECT_EQ(error.message.find("tok-123456"), std::string::npos) << error.message;
    EXPECT_EQ(error.message.find('\n'), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("***"), std::string::npos) << error.message;
    // An error code that is not a code is left out rather than quoted.
    Error odd = token_endpoint_error("p", "w", respond(400, {{"error", "<script>x</script>"}}), {});
    EXPECT_EQ(odd.message.find("<script>"), std::string::npos) << odd.message;
}

TEST(AuthorizationErrors, EveryRfc6749RedirectCodeMapsToAStableCode) {
    const auto spec = rfc6749();
    const std::set<std::string> stable = {"access_denied", "invalid_scope", "provider_error",
                                          "provider_unavailable"};
    const auto& codes = spec.at("authorization_endpoint_errors").at("codes");
    ASSERT_GE(codes.size(), 7u);
    for (const auto& [code, meaning] : codes.items()) {
        (void)meaning;
        const std::string mapped(authorization_error_code(code));
        EXPECT_TRUE(stable.contains(mapped)) << code << " -> " << mapped;
        if (code == "access_denied") {
            EXPECT_EQ(mapped, "access_denied");
        }
        if (code == "server_error" || code == "temporarily_unavailable") {
            EXPECT_EQ(mapped, "provider_unavailable");
        }
    }
    EXPECT_EQ(authorization_error_code("interaction_required"), "provider_error");
    EXPECT_EQ(authorization_error_code("x\r\nLocation: https://evil"), "provider_error");
}

TEST(Revocation, Rfc7009Outcomes) {
    const auto spec = rfc6749();
    const auto& responses = spec.at("revocation").at("responses");
    http::HttpResponse r;
    r.status = responses.at("success").at("http_status").get<int>();
    EXPECT_TRUE(revocation_outcome("p", r, {}));
    r.status = responses.at("invalid_or_unknown_token").at("http_status").get<int>();
    EXPECT_TRUE(revocation_outcome("p", r, {}));
    r.status = responses.at("service_unavailable").at("http_status").get<int>();
    auto down = revocation_outcome("p", r, {});
    ASSERT_FALSE(down);
    EXPECT_EQ(down.error().code, "provider_unavailable");
    for (const auto& [code, meaning] : responses.at("errors").at("codes").items()) {
        (void)meaning;
        auto refused = revocation_outcome("p", respond(400, {{"error", code}}), {});
        ASSERT_FALSE(refused) << code;
        EXPECT_EQ(refused.error().code, code == "invalid_client" ? "invalid_client" : "provider_error")
            << code;
    }
}

TEST(Revocation, GoogleInvalidTokenAndHubSpotNotFoundMeanAlreadyRevoked) {
    EXPECT_TRUE(revocation_outcome("google_calendar", respond(400, {{"error", "invalid_token"}}), {}));
    EXPECT_TRUE(revocation_outcome("hubspot", respond(404, {{"status", "NOT_FOUND"}}), {}));
    EXPECT_FALSE(revocation_outcome("p", respond(400, {{"error", "invalid_request"}}), {}));
}

} // namespace
} // namespace switchboard::oauth
