// How the API's routes are registered with the server's limits: every authenticated route
// authenticates on the request's header (401 without the body being read), the actions routes
// alone take the large body limit once the caller is authenticated, and /readyz runs on the
// operations pool beside the workers.
#include "tests/api/api_fixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace switchboard::api::testing {
namespace {

using ::testing::_;
using ::testing::Return;
using nlohmann::json;

class ApiLimitsTest : public ApiFixture {
protected:
    ApiLimitsTest() {
        options.body_limit_bytes = 4096;
        options.authenticated_body_limit_bytes = 256 * 1024;
    }
    void SetUp() override { start_api(); }

    // Sends only the head of a POST announcing `length` bytes and reads the answer.
    unsigned head_only(const std::string& target, std::size_t length,
                       const std::string& authorization = {}) {
        TestClient client(port);
        std::string head = "POST " + target + " HTTP/1.1\r\nHost: x\r\nContent-Type: "
                           "application/json\r\nContent-Length: " + std::to_string(length) +
                           "\r\n";
        if (!authorization.empty()) {
            head += "Authorization: " + authorization + "\r\n";
        }
        client.write_raw(head + "\r\n");
        return client.read().result_int();
    }
};

TEST_F(ApiLimitsTest, EveryAuthenticatedRouteRefusesOnTheHeader) {
    for (const auto* target : {"/api/v1/connectors/authorize", "/api/v1/connectors/c-1/refresh",
                               "/api/v1/connectors/c-1/actions/create_event",
                               "/api/v1/actions/calendar.create_event"}) {
        EXPECT_EQ(head_only(target, 16 * 1024 * 1024), 401u) << target;
        EXPECT_EQ(head_only(target, 16 * 1024 * 1024, "Bearer sbk_forged_key_0123456789"), 401u)
            << target;
    }
    for (const auto& route : server->router().routes()) {
        const bool documented_authenticated = std::any_of(
            table.routes.begin(), table.routes.end(), [&](const ApiRoute& api) {
                return api.pattern == route->pattern && api.method == route->method &&
                       api.authenticated;
            });
        EXPECT_EQ(static_cast<bool>(route->gate), documented_authenticated) << route->pattern;
    }
}

TEST_F(ApiLimitsTest, OnlyTheActionsRoutesTakeLargeBodiesAndOnlyOnceAuthenticated) {
    const std::string key = "Bearer " + kKeyA;
    // Over the standard limit, within the large one.
    EXPECT_EQ(head_only("/api/v1/connectors/authorize", 100 * 1024, key), 413u);
    EXPECT_EQ(head_only("/api/v1/connectors/c-1/actions/upload_file", 300 * 1024, key), 413u)
        << "over the large limit";

    const std::string params = R"({"name":"a.txt","content_base64":")" +
                               std::string(100 * 1024, 'A') + R"("})";
    EXPECT_CALL(connectors, invoke(kTenantA, std::string_view("c-1"),
                                   std::string_view("upload_file"), std::string_view(params)))
        .WillOnce(Return(json{{"id", "f-1"}}));
    const auto uploaded = as_a(http::verb::post, "/api/v1/connectors/c-1/actions/upload_file",
                               params);
    EXPECT_EQ(uploaded.status, 200u) << uploaded.body.substr(0, 300);

    for (const auto& route : server->router().routes()) {
        const bool actions_route = route->pattern == "/api/v1/connectors/{id}/actions/{action}" ||
                             route->pattern == "/api/v1/actions/{tool}" ||
                             route->pattern == "/api/v1/assistant/{tool}";
        EXPECT_EQ(route->body_limit == server::BodyLimit::large_after_gate, actions_route)
            << route->pattern;
    }
}

TEST_F(ApiLimitsTest, OperatorRoutesRunBesideTheWorkers) {
    const auto readyz = server->router().match(server::http::verb::get, "/readyz");
    ASSERT_EQ(readyz.outcome, server::RouteMatch::Outcome::found);
    EXPECT_EQ(readyz.route->execution, server::Execution::operations);
    const auto healthz = server->router().match(server::http::verb::get, "/healthz");
    EXPECT_EQ(healthz.route->execution, server::Execution::io_thread);
}

} // namespace
} // namespace switchboard::api::testing
