// The page's routes on a real server: the page at / and /settings/integrations (the OAuth
// callback's destination, query and all), its files under /assets/, the security headers on
// every one of those answers, and revalidation with If-None-Match.
#include "host/web/web_routes.hpp"

#include "host/web/asset_catalog.hpp"
#include "host/web/page_headers.hpp"
#include "tests/server/server_fixture.hpp"
#include "tests/server/test_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

namespace switchboard::web {
namespace {

using server::testing::ServerFixture;
using server::testing::TestClient;
using server::testing::header;
using ::testing::HasSubstr;
using ::testing::Not;
namespace http = server::http;

class WebRoutesTest : public ServerFixture {
protected:
    void SetUp() override {
        start([](server::Router& router) { add_web_routes(router); });
    }

    TestClient::Response get_with(std::string_view target, std::string_view extra_header) {
        TestClient client(port);
        client.write_raw("GET " + std::string(target) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" +
                         std::string(extra_header) + "\r\n\r\n");
        return client.read();
    }

    static void expect_page_headers(const TestClient::Response& r) {
        EXPECT_EQ(header(r, "Content-Security-Policy"), content_security_policy);
        EXPECT_EQ(header(r, "X-Frame-Options"), "DENY");
        EXPECT_EQ(header(r, "Referrer-Policy"), "no-referrer");
        EXPECT_EQ(header(r, "X-Content-Type-Options"), "nosniff");
        EXPECT_EQ(header(r, "Cross-Origin-Opener-Policy"), "same-origin");
        EXPECT_FALSE(header(r, "Permissions-Policy").empty());
    }
};

TEST_F(WebRoutesTest, ThePageIsServedAtTheRootAndAtTheCallbacksDestination) {
    const AssetCatalog catalog(embedded_assets());
    for (const char* target : {"/", "/settings/integrations",
                               "/settings/integrations?success=true&provider=gmail&completion=c1"}) {
        TestClient client(port);
        const auto r = client.get(target);
        EXPECT_EQ(r.result(), http::status::ok) << target;
        EXPECT_EQ(header(r, "Content-Type"), "text/html; charset=utf-8") << target;
        EXPECT_EQ(r.body(), catalog.find("index.html")->body) << target;
        // The URL may carry a one-time completion code: nothing keeps a copy.
        EXPECT_EQ(header(r, "Cache-Control"), "no-store") << target;
        expect_page_headers(r);
    }
}

TEST_F(WebRoutesTest, ThePolicyAllowsOnlyThePagesOwnScriptsAndNoFraming) {
    const std::string csp(content_security_policy);
    EXPECT_THAT(csp, HasSubstr("default-src 'none'"));
    EXPECT_THAT(csp, HasSubstr("script-src 'self';"));
    EXPECT_THAT(csp, HasSubstr("frame-ancestors 'none'"));
    EXPECT_THAT(csp, HasSubstr("connect-src 'self'"));
    EXPECT_THAT(csp, Not(HasSubstr("unsafe-inline")));
    EXPECT_THAT(csp, Not(HasSubstr("unsafe-eval")));
    // The page loads no script inline: every <script> has a src on this host.
    const AssetCatalog catalog(embedded_assets());
    const std::string html(catalog.find("index.html")->body);
    EXPECT_THAT(html, Not(HasSubstr("<script>")));
    EXPECT_THAT(html, Not(HasSubstr(" style=")));
    EXPECT_THAT(html, Not(HasSubstr("onclick")));
}

TEST_F(WebRoutesTest, FilesHaveTheirMediaTypesAndAreRevalidatedByEtag) {
    TestClient client(port);
    const auto script = client.get("/assets/main.js");
    ASSERT_EQ(script.result(), http::status::ok);
    EXPECT_EQ(header(script, "Content-Type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(header(script, "Cache-Control"), "no-cache");
    expect_page_headers(script);
    const std::string etag = header(script, "ETag");
    ASSERT_FALSE(etag.empty());

    const auto same = get_with("/assets/main.js", "If-None-Match: " + etag);
    EXPECT_EQ(same.result(), http::status::not_modified);
    EXPECT_TRUE(same.body().empty());
    EXPECT_EQ(header(same, "ETag"), etag);

    const auto listed = get_with("/assets/main.js", "If-None-Match: \"0000\", W/" + etag);
    EXPECT_EQ(listed.result(), http::status::not_modified);

    const auto changed = get_with("/assets/main.js", "If-None-Match: \"0000000000000000\"");
    EXPECT_EQ(changed.result(), http::status::ok);
    EXPECT_FALSE(changed.body().empty());

    TestClient other(port);
    EXPECT_EQ(header(other.get("/assets/app.css"), "Content-Type"), "text/css; charset=utf-8");
    EXPECT_EQ(header(other.get("/assets/calendar.schema.json"), "Content-Type"), "application/json");
    EXPECT_EQ(header(other.get("/assets/favicon.svg"), "Content-Type"), "image/svg+xml");
}

TEST_F(WebRoutesTest, TheCategoryContractsAreServedAsTheyAre) {
    TestClient client(port);
    const auto r = client.get("/assets/calendar.schema.json");
    ASSERT_EQ(r.result(), http::status::ok);
    const auto contract = nlohmann::json::parse(r.body());
    EXPECT_EQ(contract.at("x-category"), "calendar");
    EXPECT_TRUE(contract.at("x-actions").contains("create_event"));
}

TEST_F(WebRoutesTest, AnUnknownFileIsAJson404AndNoPathEscapesTheAssets) {
    for (const char* target : {"/assets/nope.js", "/assets/..%2Fweb_routes.cpp", "/assets/%2e%2e"}) {
        TestClient client(port);
        const auto r = client.get(target);
        EXPECT_EQ(r.result(), http::status::not_found) << target;
        EXPECT_EQ(nlohmann::json::parse(r.body()).at("error").at("code"), "asset_not_found") << target;
        expect_page_headers(r);
    }
    TestClient client(port);
    EXPECT_EQ(client.get("/assets/sub/main.js").result(), http::status::not_found);
}

TEST_F(WebRoutesTest, HeadAnswersTheHeadersOnly) {
    TestClient client(port);
    const auto r = client.request(http::verb::head, "/");
    EXPECT_EQ(r.result(), http::status::ok);
    EXPECT_TRUE(r.body().empty());
    EXPECT_NE(header(r, "Content-Length"), "0");
}

} // namespace
} // namespace switchboard::web
