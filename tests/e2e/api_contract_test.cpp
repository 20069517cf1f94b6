// Issue 6 through the REST API: who may call (JWT HS256, RS256 through the JWKS, API keys),
// how bad requests are refused (400 naming the field, 413, 415), the request id, the
// OpenAPI document (checked by tests/e2e/openapi/validate.mjs under node), and the
// operations endpoints.
#include "tests/e2e/e2e_suite.hpp"

#include <fstream>

#ifndef SB_E2E_OPENAPI_DIR
#error "SB_E2E_OPENAPI_DIR must name the directory where npm installed the OpenAPI validator"
#endif
#ifndef SB_NODE_EXE
#error "SB_NODE_EXE must name node (tests/e2e/CMakeLists.txt)"
#endif

namespace switchboard::e2e {
namespace {

long long now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

json claims(const std::string& tenant) {
    return {{"sub", "user-1"},
            {"app_metadata", {{"tenant_id", tenant}}},
            {"iss", kIssuer},
            {"aud", kAudience},
            {"iat", now()},
            {"exp", now() + 600}};
}

class ApiContract : public E2E {};

TEST_F(ApiContract, OnlyVerifiedCallersGetIn) {
    const std::string keys = (dir_->path() / "keys").string();
    auto expired = claims("auth");
    expired["exp"] = now() - 120;
    expired["iat"] = now() - 720;
    auto wrong_issuer = claims("auth");
    wrong_issuer["iss"] = "https://someone-else.example/";
    auto wrong_audience = claims("auth");
    wrong_audience["aud"] = "another-api";
    auto no_tenant = claims("auth");
    no_tenant.erase("app_metadata");
    const auto tokens = pyjwt_sign({
        {{"alg", "HS256"}, {"secret", kJwtSecret}, {"payload", claims("auth")}},
        {{"alg", "RS256"}, {"key_file", keys + "/rsa_private.pem"}, {"kid", "e2e-rsa"}, {"payload", claims("auth")}},
        {{"alg", "HS256"}, {"secret", kJwtSecret}, {"payload", expired}},
        {{"alg", "HS256"}, {"secret", kJwtSecret}, {"payload", wrong_issuer}},
        {{"alg", "HS256"}, {"secret", kJwtSecret}, {"payload", wrong_audience}},
        {{"alg", "HS256"}, {"secret", "another-secret-that-is-long-enough-0123456"}, {"payload", claims("auth")}},
        // Signed by a key the host does not know, under the kid of one it does.
        {{"alg", "RS256"}, {"key_file", keys + "/other_private.pem"}, {"kid", "e2e-rsa"}, {"payload", claims("auth")}},
        {{"alg", "HS256"}, {"secret", kJwtSecret}, {"payload", no_tenant}},
    });
    const std::string list = "/api/v1/connectors";
    EXPECT_EQ(get(list, tokens[0]).status, 200) << "HS256";
    EXPECT_EQ(get(list, tokens[1]).status, 200) << "RS256 through the JWKS";
    EXPECT_EQ(get(list, kApiKey).status, 200) << "API key";

    const std::vector<std::pair<std::string, std::string>> refused = {
        {"expired", tokens[2]},          {"wrong issuer", tokens[3]},
        {"wrong audience", tokens[4]},   {"bad HS256 signature", tokens[5]},
        {"bad RS256 signature", tokens[6]}, {"no tenant claim", tokens[7]},
        {"unknown API key", "sbk_not_a_key_of_this_host_000000"},
        {"tampered payload", tokens[0].substr(0, tokens[0].find('.') + 1) + "eyJzdWIiOiJ4In0" +
                                 tokens[0].substr(tokens[0].rfind('.'))},
    };
    for (const auto& [what, credential] : refused) {
        auto r = get(list, credential);
        EXPECT_EQ(r.status, 401) << what << ": " << r.body;
        EXPECT_EQ(r.header("WWW-Authenticate").rfind("Bearer", 0), 0u) << what;
        EXPECT_FALSE(r.error_code().empty()) << what << ": " << r.body;
        EXPECT_EQ(r.body.find(credential), std::string::npos) << what << " echoed the credential";
    }
    auto none = client_.get(api(list));
    EXPECT_EQ(none.status, 401) << none.body;
    auto basic = client_.get(api(list), {{"Authorization", "Basic dXNlcjpwYXNz"}});
    EXPECT_EQ(basic.status, 401) << basic.body;

    // The API key's tenant is the key's: what it connects is not the JWT tenant's.
    const Connection keyed = connect(kApiKey, "calendar", "google_calendar", "Key's calendar");
    EXPECT_TRUE(keyed.ok()) << keyed.landing << " " << keyed.confirmed.body;
    const json mine = connectors(kApiKey);
    ASSERT_EQ(mine.size(), 1u);
    EXPECT_EQ(mine[0].at("user_id"), "key-user");
    EXPECT_TRUE(connectors(tokens[0]).empty());
}

TEST_F(ApiContract, BadRequestsAreRefusedNamingWhatIsWrong) {
    const std::string token = token_for("bad-requests");
    const auto authorize = api("/api/v1/connectors/authorize");
    const std::map<std::string, std::string> json_headers = {
        {"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};

    auto malformed = client_.request("POST", authorize, json_headers, "{\"type\": \"calendar\",");
    EXPECT_EQ(malformed.status, 400) << malformed.body;
    EXPECT_FALSE(malformed.error_code().empty());

    auto missing = post("/api/v1/connectors/authorize", token, {{"type", "calendar"}, {"name", "x"}});
    EXPECT_EQ(missing.status, 400) << missing.body;
    EXPECT_EQ(missing.json_body().at("error").value("field", ""), "/provider") << missing.body;

    auto wrong_type = post("/api/v1/connectors/authorize", token,
                           {{"type", "calendar"}, {"provider", "google_calendar"}, {"name", 7}});
    EXPECT_EQ(wrong_type.status, 400) << wrong_type.body;
    EXPECT_EQ(wrong_type.json_body().at("error").value("field", ""), "/name") << wrong_type.body;

    auto mismatch = post("/api/v1/connectors/authorize", token,
                         {{"type", "email"}, {"provider", "google_calendar"}, {"name", "x"}});
    EXPECT_EQ(mismatch.status, 400) << mismatch.body;
    EXPECT_EQ(mismatch.json_body().at("error").value("field", ""), "/type") << mismatch.body;

    auto unknown = post("/api/v1/connectors/authorize", token,
                        {{"type", "calendar"}, {"provider", "outlook"}, {"name", "x"}});
    EXPECT_EQ(unknown.status, 404) << unknown.body;
    EXPECT_EQ(unknown.error_code(), "provider_not_found");

    // An action's params are checked against the category's contract before any plugin runs.
    const std::string tool_token = token_for("bad-requests-tool");
    ASSERT_FALSE(connect_id(tool_token, "calendar", "google_calendar", "Cal").empty());
    const int inserts = sim_->calls("calendar.events.insert");
    auto params = tool(tool_token, "calendar.create_event",
                       {{"summary", 5}, {"start", {{"date_time", "2030-01-01T10:00:00Z"}}},
                        {"end", {{"date_time", "2030-01-01T11:00:00Z"}}}});
    EXPECT_EQ(params.status, 400) << params.body;
    EXPECT_EQ(params.json_body().at("error").value("field", ""), "/params/summary") << params.body;
    EXPECT_EQ(sim_->calls("calendar.events.insert"), inserts);
    auto no_tool = tool(token, "calendar.fly_to_the_moon", json::object());
    EXPECT_EQ(no_tool.status, 404) << no_tool.body;
    EXPECT_EQ(no_tool.error_code(), "unknown_action");

    // 415: a body that is not JSON by its media type.
    auto text = client_.request("POST", authorize,
                                {{"Authorization", "Bearer " + token}, {"Content-Type", "text/plain"}},
                                R"({"type":"calendar","provider":"google_calendar","name":"x"})");
    EXPECT_EQ(text.status, 415) << text.body;
    auto form = client_.request("POST", api("/api/v1/actions/calendar.list_events"),
                                {{"Authorization", "Bearer " + token},
                                 {"Content-Type", "application/x-www-form-urlencoded"}},
                                "params=1");
    EXPECT_EQ(form.status, 415) << form.body;

    // 413: the header announces more than the limit; the host answers without reading it.
    const std::string head = "POST /api/v1/connectors/authorize HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Authorization: Bearer " + token +
                             "\r\nContent-Type: application/json\r\nContent-Length: " +
                             std::to_string(kBodyLimit + 1) + "\r\n\r\n{";
    const std::string answer = raw_exchange(host_->port(), head);
    EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer.substr(0, 300);
    EXPECT_NE(answer.find("body_too_large"), std::string::npos) << answer.substr(0, 600);
    // And an actual body over the limit, sent whole, is refused the same way.
    const std::string big(kBodyLimit + 10, ' ');
    try {
        auto r = client_.request("POST", authorize, json_headers, big);
        EXPECT_EQ(r.status, 413) << r.body.substr(0, 300);
    } catch (const std::exception& e) {
        // The host may close before the client finished writing: nothing was accepted.
        SUCCEED() << e.what();
    }
    EXPECT_TRUE(connectors(token).empty());
}

TEST_F(ApiContract, EveryResponseCarriesARequestId) {
    auto health = client_.get(api("/healthz"));
    EXPECT_EQ(health.header("X-Request-Id").size(), 32u) << "a generated one";
    auto unauthorized = client_.get(api("/api/v1/connectors"), {{"X-Request-Id", "e2e-trace-42"}});
    EXPECT_EQ(unauthorized.status, 401);
    EXPECT_EQ(unauthorized.header("X-Request-Id"), "e2e-trace-42");
    EXPECT_EQ(unauthorized.json_body().value("request_id", ""), "e2e-trace-42");
    auto missing = client_.get(api("/no/such/route"), {{"X-Request-Id", "bad id with spaces"}});
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.header("X-Request-Id").size(), 32u) << "an unacceptable one is replaced";
    auto a = client_.get(api("/healthz"));
    EXPECT_NE(a.header("X-Request-Id"), health.header("X-Request-Id"));
}

TEST_F(ApiContract, TheOpenApiDocumentIsValidAndDescribesTheRoutes) {
    auto r = client_.get(api("/api/v1/openapi.json"));
    ASSERT_EQ(r.status, 200);
    const json document = r.json_body();
    EXPECT_EQ(document.at("openapi").get<std::string>().rfind("3.1", 0), 0u);
    for (const char* path : {"/api/v1/connectors/providers", "/api/v1/connectors",
                             "/api/v1/connectors/authorize", "/api/v1/connectors/callback",
                             "/api/v1/connectors/complete",
                             "/api/v1/connectors/{id}", "/api/v1/connectors/{id}/refresh",
                             "/api/v1/connectors/{id}/actions/{action}",
                             "/api/v1/actions/calendar.create_event", "/healthz", "/readyz",
                             "/metrics"}) {
        EXPECT_TRUE(document.at("paths").contains(path)) << path;
    }
    const auto file = dir_->path() / "openapi.json";
    std::ofstream(file) << r.body;
    testing::ProcessOptions options;
    options.argv = {SB_NODE_EXE, std::string(SB_E2E_OPENAPI_DIR) + "/validate.mjs", file.string()};
    options.working_directory = SB_E2E_OPENAPI_DIR;
    const auto result = testing::run_process(options);
    EXPECT_TRUE(result.status.exited_with(0)) << result.output << result.error;
    EXPECT_EQ(result.output.rfind("valid OpenAPI 3.1", 0), 0u) << result.output << result.error;
}

TEST_F(ApiContract, OperationsEndpointsAnswerAndMetricsCountWithoutSecrets) {
    auto health = client_.get(api("/healthz"));
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.json_body().at("status"), "ok");
    auto ready = client_.get(api("/readyz"));
    EXPECT_EQ(ready.status, 200) << ready.body;
    EXPECT_EQ(ready.json_body().at("status"), "ready");

    // Something to count: a flow, an action, a refused call.
    const std::string token = token_for("metrics");
    ASSERT_FALSE(connect_id(token, "email", "gmail", "Mail").empty());
    auto sent = tool(token, "email.send_email",
                     {{"to", {{{"email", "metrics@example.com"}}}}, {"subject", "m"}, {"text_body", "m"}});
    EXPECT_EQ(sent.status, 200) << sent.body;
    EXPECT_EQ(client_.get(api("/api/v1/connectors")).status, 401);

    auto metrics = client_.get(api("/metrics"));
    ASSERT_EQ(metrics.status, 200);
    EXPECT_EQ(metrics.header("Content-Type").rfind("text/plain", 0), 0u);
    const std::string& text = metrics.body;
    EXPECT_GE(metric_value(text, "switchboard_http_requests_total",
                           {"route=\"/api/v1/connectors\"", "status=\"401\""}), 1);
    EXPECT_GE(metric_value(text, "switchboard_http_requests_total",
                           {"route=\"/api/v1/connectors/callback\"", "status=\"302\""}), 1);
    EXPECT_GE(metric_value(text, "switchboard_http_requests_total", {"status=\"200\""}), 3);
    EXPECT_GE(metric_value(text, "switchboard_oauth_flows_total", {"provider=\"gmail\""}), 2)
        << "started and completed";
    EXPECT_GE(metric_value(text, "switchboard_plugin_calls_total", {"provider=\"gmail\""}), 1);
    EXPECT_GE(metric_value(text, "switchboard_provider_http_requests_total"), 1);
    EXPECT_EQ(find_secret(text), "") << "a secret in /metrics";
    EXPECT_EQ(text.find(encryption_key_), std::string::npos);
    // No per-request value (a connector id, a tenant) becomes a label.
    EXPECT_EQ(text.find("tenant"), std::string::npos);
}

} // namespace
} // namespace switchboard::e2e
