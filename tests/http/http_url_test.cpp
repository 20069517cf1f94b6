#include "core/http/http_url.hpp"

#include <gtest/gtest.h>

namespace switchboard::http {
namespace {

TEST(HttpUrlTest, SplitsAnHttpsUrl) {
    auto target = parse_http_url("https://api.hubapi.com/crm/v3/objects/contacts?limit=10&a=b%20c");
    ASSERT_TRUE(target) << target.error().message;
    EXPECT_TRUE(target->tls);
    EXPECT_EQ(target->host, "api.hubapi.com");
    EXPECT_EQ(target->port, 443);
    EXPECT_EQ(target->host_header, "api.hubapi.com");
    EXPECT_EQ(target->target, "/crm/v3/objects/contacts?limit=10&a=b%20c");
    EXPECT_EQ(target->pool_key, "https://api.hubapi.com:443");
}

TEST(HttpUrlTest, ExplicitPortEmptyPathAndFragment) {
    auto target = parse_http_url("http://127.0.0.1:8080#frag");
    ASSERT_TRUE(target);
    EXPECT_FALSE(target->tls);
    EXPECT_EQ(target->port, 8080);
    EXPECT_EQ(target->host_header, "127.0.0.1:8080");
    EXPECT_EQ(target->target, "/");
    EXPECT_EQ(target->pool_key, "http://127.0.0.1:8080");
}

TEST(HttpUrlTest, Ipv6LiteralKeepsBracketsOnlyInTheHostHeader) {
    auto target = parse_http_url("http://[::1]:9000/x");
    ASSERT_TRUE(target);
    EXPECT_EQ(target->host, "::1");
    EXPECT_EQ(target->host_header, "[::1]:9000");
    EXPECT_EQ(target->target, "/x");
}

TEST(HttpUrlTest, RefusesWhatIsNotAnAbsoluteHttpUrl) {
    for (const char* url : {"ftp://example.com/", "/relative", "https://user:pw@example.com/",
                            "https:///nohost", "https://example.com:0/", "not a url",
                            "https://example.com:/"}) {
        auto target = parse_http_url(url);
        ASSERT_FALSE(target) << url;
        EXPECT_EQ(target.error().code, "invalid_url") << url;
        EXPECT_EQ(target.error().kind, ErrorKind::invalid_input);
        EXPECT_EQ(target.error().message.find(url), std::string::npos) << "message repeats url";
    }
}

TEST(HttpUrlTest, LoopbackHosts) {
    for (const char* host : {"localhost", "LocalHost", "127.0.0.1", "127.8.9.10", "::1",
                             "::ffff:127.0.0.1"}) {
        EXPECT_TRUE(is_loopback_host(host)) << host;
    }
    for (const char* host : {"example.com", "localhost.example.com", "10.0.0.1", "0.0.0.0",
                             "::", "128.0.0.1", "::ffff:10.0.0.1"}) {
        EXPECT_FALSE(is_loopback_host(host)) << host;
    }
}

} // namespace
} // namespace switchboard::http
