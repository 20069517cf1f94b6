// CORS over raw HTTP: preflights (OPTIONS with Origin and Access-Control-Request-Method),
// the headers of ordinary answers, and what a disallowed or unconfigured origin gets: nothing.
#include "server_fixture.hpp"
#include "test_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace switchboard::server::testing {
namespace {

using ::testing::HasSubstr;

constexpr std::string_view app = "https://app.example.com";

bool has(const TestClient::Response& response, std::string_view name) {
    return response.find(name) != response.end();
}

std::string preflight(std::string_view path, std::string_view origin,
                      std::string_view method = "POST") {
    return "OPTIONS " + std::string(path) + " HTTP/1.1\r\nHost: x\r\nOrigin: " +
           std::string(origin) + "\r\nAccess-Control-Request-Method: " + std::string(method) +
           "\r\nAccess-Control-Request-Headers: authorization, content-type\r\n\r\n";
}

std::string get_from(std::string_view path, std::string_view origin) {
    return "GET " + std::string(path) + " HTTP/1.1\r\nHost: x\r\nOrigin: " + std::string(origin) +
           "\r\n\r\n";
}

class CorsTest : public ServerFixture {
protected:
    void start_routes() {
        start([](Router& router) {
            const auto ok = [](const Request&) { return Response::json({{"ok", true}}); };
            router.add(http::verb::get, "/api/v1/connectors", ok);
            router.add(http::verb::post, "/api/v1/connectors", ok);
            router.add(http::verb::get, "/private", ok,
                       RouteOptions{Execution::worker_pool,
                                    [](const Request&) -> Result<Caller> {
                                        return Error(ErrorKind::unauthenticated, "missing_token",
                                                     "no token");
                                    },
                                    BodyLimit::standard});
        });
    }
};

TEST_F(CorsTest, WithoutConfigurationThereIsNoCorsHeaderAndOptionsIsAnswered) {
    start_routes();
    TestClient client(port);
    client.write_raw(preflight("/api/v1/connectors", app));
    const auto answer = client.read();
    EXPECT_EQ(answer.result(), http::status::no_content) << "not 405 any more";
    EXPECT_EQ(header(answer, "Allow"), "GET, HEAD, POST, OPTIONS");
    EXPECT_FALSE(has(answer, "Access-Control-Allow-Origin"));
    EXPECT_FALSE(has(answer, "Access-Control-Allow-Methods"));
    EXPECT_FALSE(has(answer, "Vary")) << "nothing depends on Origin";

    client.write_raw(get_from("/api/v1/connectors", app));
    const auto get = client.read();
    EXPECT_EQ(get.result(), http::status::ok);
    EXPECT_FALSE(has(get, "Access-Control-Allow-Origin"));
    EXPECT_FALSE(has(get, "Vary"));
}

TEST_F(CorsTest, PreflightFromAnAllowedOriginForAnExistingRoute) {
    options.cors.allowed_origins = {std::string(app)};
    start_routes();
    TestClient client(port);
    client.write_raw(preflight("/api/v1/connectors", app));
    const auto answer = client.read();
    EXPECT_EQ(answer.result(), http::status::no_content);
    EXPECT_EQ(header(answer, "Access-Control-Allow-Origin"), app);
    EXPECT_EQ(header(answer, "Access-Control-Allow-Methods"), "GET, HEAD, POST, OPTIONS");
    EXPECT_EQ(header(answer, "Access-Control-Allow-Headers"),
              "Authorization, Content-Type, Idempotency-Key, X-Request-Id");
    EXPECT_EQ(header(answer, "Access-Control-Max-Age"), "600");
    EXPECT_EQ(header(answer, "Vary"), "Origin");
    EXPECT_FALSE(has(answer, "Access-Control-Allow-Credentials"));
    EXPECT_TRUE(answer.keep_alive());
    // With the trailing slash too, and for a path whose route has a gate: a preflight never
    // carries credentials, and is answered before any gate.
    client.write_raw(preflight("/api/v1/connectors/", app));
    EXPECT_EQ(header(client.read(), "Access-Control-Allow-Origin"), app);
    client.write_raw(preflight("/private", app, "GET"));
    const auto gated = client.read();
    EXPECT_EQ(gated.result(), http::status::no_content);
    EXPECT_EQ(header(gated, "Access-Control-Allow-Methods"), "GET, HEAD, OPTIONS");
}

TEST_F(CorsTest, PreflightFromAnotherOriginGetsNoCorsHeaders) {
    options.cors.allowed_origins = {std::string(app)};
    start_routes();
    TestClient client(port);
    for (const std::string origin :
         {"https://evil.example", "https://app.example.com.evil.example",
          "http://app.example.com", "https://app.example.com:8443", "null"}) {
        client.write_raw(preflight("/api/v1/connectors", origin));
        const auto answer = client.read();
        EXPECT_EQ(answer.result(), http::status::no_content) << origin;
        EXPECT_FALSE(has(answer, "Access-Control-Allow-Origin")) << origin;
        EXPECT_FALSE(has(answer, "Access-Control-Allow-Methods")) << origin;
        EXPECT_FALSE(has(answer, "Access-Control-Allow-Headers")) << origin;
        EXPECT_FALSE(has(answer, "Access-Control-Max-Age")) << origin;
        EXPECT_EQ(header(answer, "Vary"), "Origin") << origin;
    }
}

TEST_F(CorsTest, PreflightForAPathWithoutRoutesIs404) {
    options.cors.allowed_origins = {std::string(app)};
    start_routes();
    TestClient client(port);
    client.write_raw(preflight("/api/v1/nothing", app));
    const auto answer = client.read();
    EXPECT_EQ(answer.result(), http::status::not_found);
    EXPECT_FALSE(has(answer, "Access-Control-Allow-Methods"));
}

TEST_F(CorsTest, AnswersToAnAllowedOriginLetTheBrowserReadWhatItNeeds) {
    options.cors.allowed_origins = {"https://other.example", std::string(app)};
    start_routes();
    TestClient client(port);
    client.write_raw(get_from("/api/v1/connectors", app));
    const auto ok = client.read();
    EXPECT_EQ(ok.result(), http::status::ok);
    EXPECT_EQ(header(ok, "Access-Control-Allow-Origin"), app);
    EXPECT_THAT(header(ok, "Access-Control-Expose-Headers"), HasSubstr("X-Request-Id"));
    EXPECT_THAT(header(ok, "Access-Control-Expose-Headers"), HasSubstr("Retry-After"));
    EXPECT_EQ(header(ok, "Vary"), "Origin");
    EXPECT_FALSE(has(ok, "Access-Control-Allow-Credentials"));

    // Errors too, including those the server answers on the header alone: the page can
    // read why it failed.
    client.write_raw(get_from("/private", app));
    const auto refused = client.read();
    EXPECT_EQ(refused.result(), http::status::unauthorized);
    EXPECT_EQ(header(refused, "Access-Control-Allow-Origin"), app);

    // No Origin: no CORS header, but Vary, since the answer would differ with one.
    const auto plain = client.get("/api/v1/connectors");
    EXPECT_FALSE(has(plain, "Access-Control-Allow-Origin"));
    EXPECT_EQ(header(plain, "Vary"), "Origin");

    client.write_raw(get_from("/api/v1/connectors", "https://evil.example"));
    const auto other = client.read();
    EXPECT_EQ(other.result(), http::status::ok)
        << "CORS is the browser's check, not access control";
    EXPECT_FALSE(has(other, "Access-Control-Allow-Origin"));
    EXPECT_FALSE(has(other, "Access-Control-Expose-Headers"));
}

TEST_F(CorsTest, CredentialsAreAllowedOnlyWhenConfigured) {
    options.cors.allowed_origins = {std::string(app)};
    options.cors.allow_credentials = true;
    options.cors.max_age_seconds = 30;
    start_routes();
    TestClient client(port);
    client.write_raw(preflight("/api/v1/connectors", app));
    const auto answer = client.read();
    EXPECT_EQ(header(answer, "Access-Control-Allow-Credentials"), "true");
    EXPECT_EQ(header(answer, "Access-Control-Max-Age"), "30");
    client.write_raw(get_from("/api/v1/connectors", app));
    EXPECT_EQ(header(client.read(), "Access-Control-Allow-Credentials"), "true");
    client.write_raw(get_from("/api/v1/connectors", "https://evil.example"));
    EXPECT_FALSE(has(client.read(), "Access-Control-Allow-Credentials"));
}

} // namespace
} // namespace switchboard::server::testing
