// The access log: one line per request with method, path (never the query), route, status,
// duration, bytes, request id and tenant (never a credential), in both formats.
#include "core/logging/logging.hpp"
#include "server_fixture.hpp"
#include "test_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace switchboard::server::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::string_view token = "tok-SECRET-4242";

Gate token_gate() {
    return [](const Request& head) -> Result<Caller> {
        if (head.header("Authorization") == "Bearer " + std::string(token)) {
            return Caller{"tenant-7", "user-7"};
        }
        return Error(ErrorKind::unauthenticated, "invalid_token", "the token is not valid");
    };
}

class AccessLogTest : public ServerFixture {
protected:
    void start_routes() {
        start([](Router& router) {
            router.add(http::verb::get, "/api/v1/callback", [](const Request&) {
                // A handler that learns the tenant otherwise (from the OAuth state) says so.
                Response response = Response::json({{"ok", true}});
                response.tenant = "tenant-from-state";
                return response;
            });
            router.add(
                http::verb::post, "/api/v1/things",
                [](const Request&) { return Response::json(http::status::created, {{"ok", 1}}); },
                RouteOptions{Execution::worker_pool, token_gate(), BodyLimit::standard});
        });
    }

    void send_requests() {
        TestClient client(port);
        client.write_raw("GET /api/v1/callback?code=SECRETCODE&state=SECRETSTATE HTTP/1.1\r\n"
                         "Host: x\r\nX-Request-Id: cb-1\r\n\r\n");
        ASSERT_EQ(client.read().result(), http::status::ok);
        client.write_raw("POST /api/v1/things?code=SECRETCODE HTTP/1.1\r\nHost: x\r\n"
                         "Authorization: Bearer " + std::string(token) +
                         "\r\nX-Request-Id: post-1\r\nContent-Type: application/json\r\n"
                         "Content-Length: 2\r\n\r\n{}");
        ASSERT_EQ(client.read().result(), http::status::created);
        client.write_raw("POST /api/v1/things HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                         "tok-SECRET-wrong\r\nX-Request-Id: anon-1\r\nContent-Length: 0\r\n\r\n");
        ASSERT_EQ(client.read().result(), http::status::unauthorized);
        ASSERT_TRUE(stop_and_join());
    }

    void expect_no_secret() {
        for (const auto& raw : logs->lines()) {
            EXPECT_THAT(raw, Not(HasSubstr("SECRET"))) << "a query or a credential was logged";
        }
    }
};

TEST_F(AccessLogTest, JsonLinesCarryEveryFieldAndTheTenant) {
    start_routes();
    send_requests();
    std::map<std::string, nlohmann::json> by_id;
    for (const auto& line : logs->json_lines()) {
        if (line.value("message", "") == "http request") {
            by_id[line.value("request_id", "")] = line;
        }
    }
    ASSERT_EQ(by_id.size(), 3u);
    const auto& post = by_id["post-1"];
    EXPECT_EQ(post["method"], "POST");
    EXPECT_EQ(post["path"], "/api/v1/things");
    EXPECT_EQ(post["route"], "/api/v1/things");
    EXPECT_EQ(post["status"], 201);
    EXPECT_TRUE(post["duration_ms"].is_number());
    EXPECT_EQ(post["bytes_in"], 2);
    EXPECT_GT(post["bytes_out"].get<int>(), 0);
    EXPECT_EQ(post["tenant"], "tenant-7");
    EXPECT_EQ(post["remote"], "127.0.0.1");

    EXPECT_EQ(by_id["cb-1"]["path"], "/api/v1/callback");
    EXPECT_EQ(by_id["cb-1"]["tenant"], "tenant-from-state");
    EXPECT_EQ(by_id["anon-1"]["status"], 401);
    EXPECT_TRUE(by_id["anon-1"]["tenant"].is_null());
    expect_no_secret();
}

TEST_F(AccessLogTest, TextLinesCarryTheSameFields) {
    logging::setup_logging({logging::Format::text, spdlog::level::info}, logs);
    start_routes();
    send_requests();
    std::vector<std::string> access;
    for (const auto& line : logs->lines()) {
        if (line.find("http request") != std::string::npos) {
            access.push_back(line);
        }
    }
    ASSERT_EQ(access.size(), 3u);
    const auto post = std::find_if(access.begin(), access.end(), [](const std::string& line) {
        return line.find("request_id=post-1") != std::string::npos;
    });
    ASSERT_NE(post, access.end());
    for (const auto* part : {" method=POST", " path=/api/v1/things", " status=201",
                             " duration_ms=", " bytes_in=2", " bytes_out=", " tenant=tenant-7"}) {
        EXPECT_THAT(*post, HasSubstr(part));
    }
    expect_no_secret();
}

} // namespace
} // namespace switchboard::server::testing
