// Where the credentialed proxy may send a request (proxy_target.hpp) and which header fields
// cross it (proxy_headers.hpp): the checks that keep a connector's credentials on its
// provider's allowed base URLs.
#include "core/connectors/proxy_headers.hpp"
#include "core/connectors/proxy_target.hpp"

#include <gtest/gtest.h>

#include <string>

namespace switchboard::connectors {
namespace {

plugin::ProviderDescriptor drive() {
    plugin::ProviderDescriptor d;
    d.id = "google_drive";
    d.api_base_url = "https://www.googleapis.com";
    d.allowed_base_urls = {"https://www.googleapis.com/drive/v3",
                           "https://www.googleapis.com/upload/drive/v3"};
    return d;
}

TEST(ProxyTarget, APathUnderAnAllowedBaseBecomesTheProviderUrl) {
    auto url = proxy_target(drive(), "drive/v3/files/abc", "alt=media");
    ASSERT_TRUE(url) << url.error().message;
    EXPECT_EQ(*url, "https://www.googleapis.com/drive/v3/files/abc?alt=media");
    auto upload = proxy_target(drive(), "upload/drive/v3/files", "uploadType=media");
    ASSERT_TRUE(upload);
    EXPECT_EQ(*upload, "https://www.googleapis.com/upload/drive/v3/files?uploadType=media");
    EXPECT_TRUE(proxy_target(drive(), "drive/v3/files/", ""));
}

TEST(ProxyTarget, PathsThatClimbOutOrNameAnotherHostAreRefused) {
    for (const char* path :
         {"..", "../x", "drive/v3/../../oauth2/v4/token", "drive/v3/%2e%2e/x", "drive/v3/%2E%2e/x",
          "drive/v3/./files", "drive/v3/.%2e/x", "/evil.example/x", "drive/v3//evil.example/x",
          "https://evil.example/drive/v3/files", "https:%2F%2Fevil.example/x",
          "drive/v3/files%2F..%2Fx", "drive\\v3\\..\\x", "drive/v3/%5c..%5cx", "drive/v3/%00x",
          "drive/v3/fi les", "drive/v3/%zz", "//evil.example/drive/v3", ""}) {
        auto url = proxy_target(drive(), path, "");
        ASSERT_FALSE(url) << path << " -> " << *url;
        EXPECT_EQ(url.error().code, "invalid_proxy_path") << path;
    }
}

TEST(ProxyTarget, PathsOutsideTheAllowedBasesAreForbidden) {
    for (const char* path : {"calendar/v3/calendars/primary", "drive/v3x/files", "drive",
                             "oauth2/v4/token", "@evil.example/drive/v3/files"}) {
        auto url = proxy_target(drive(), path, "");
        ASSERT_FALSE(url) << path << " -> " << *url;
        EXPECT_EQ(url.error().code, "proxy_target_not_allowed") << path;
        EXPECT_EQ(url.error().kind, ErrorKind::forbidden);
    }
}

TEST(ProxyTarget, AQueryWithRawControlCharactersIsRefused) {
    auto url = proxy_target(drive(), "drive/v3/files", "q=a\r\nHost: evil");
    ASSERT_FALSE(url);
    EXPECT_EQ(url.error().code, "invalid_proxy_query");
}

TEST(UrlIsUnder, ComparesOriginAndWholeSegments) {
    EXPECT_TRUE(url_is_under("https://api.hubapi.com/crm/v3/x", "https://api.hubapi.com"));
    EXPECT_TRUE(url_is_under("https://API.hubapi.com/crm", "https://api.hubapi.com/crm"));
    EXPECT_FALSE(url_is_under("https://api.hubapi.com/crmx", "https://api.hubapi.com/crm"));
    EXPECT_FALSE(url_is_under("http://api.hubapi.com/crm", "https://api.hubapi.com/crm"));
    EXPECT_FALSE(url_is_under("https://api.hubapi.com:8443/crm", "https://api.hubapi.com/crm"));
    EXPECT_FALSE(url_is_under("https://api.hubapi.com.evil.example/crm", "https://api.hubapi.com"));
    EXPECT_FALSE(url_is_under("https://user@api.hubapi.com/crm", "https://api.hubapi.com"));
}

TEST(ProxyHeaders, CredentialsAndHopByHopFieldsStayOnTheirSide) {
    const http::HttpHeaders from_caller = {{"Authorization", "Bearer caller-jwt"},
                                           {"Cookie", "session=1"},
                                           {"Connection", "keep-alive, X-Secret-Hop"},
                                           {"X-Secret-Hop", "1"},
                                           {"Transfer-Encoding", "chunked"},
                                           {"Host", "switchboard.example"},
                                           {"X-Forwarded-For", "10.0.0.1"},
                                           {"Content-Type", "application/json"},
                                           {"If-None-Match", "\"v1\""}};
    const auto to_provider = headers_to_provider(from_caller);
    EXPECT_EQ(to_provider, (http::HttpHeaders{{"Content-Type", "application/json"},
                                              {"If-None-Match", "\"v1\""}}));

    // A provider's own credential field (its policy's credential_headers) stays too; the core
    // knows no provider's, so another provider's passes.
    const http::HttpHeaders with_key = {{"X-Goog-Api-Key", "caller-key"}, {"Accept", "*/*"}};
    EXPECT_EQ(headers_to_provider(with_key, {"x-goog-api-key"}),
              (http::HttpHeaders{{"Accept", "*/*"}}));
    EXPECT_EQ(headers_to_provider(with_key, {"x-hubspot-api-key"}), with_key);

    const http::HttpHeaders from_provider = {
        {"content-type", "application/json"},
        {"set-cookie", "NID=1"},
        {"www-authenticate", "Bearer realm=\"x\""},
        {"strict-transport-security", "max-age=1"},
        {"access-control-allow-origin", "*"},
        {"content-length", "10"},
        {"etag", "\"v2\""},
        {"location", "https://www.googleapis.com/upload/drive/v3/files?upload_id=u1"}};
    const auto to_caller = headers_to_caller(from_provider, "https://www.googleapis.com",
                                             drive().allowed_base_urls,
                                             "/api/v1/connectors/c1/proxy");
    EXPECT_EQ(to_caller,
              (http::HttpHeaders{{"content-type", "application/json"},
                                 {"etag", "\"v2\""},
                                 {"location", "/api/v1/connectors/c1/proxy/upload/drive/v3/files?"
                                              "upload_id=u1"}}));
    // A Location elsewhere is passed on as it is, not made to look like a proxy path.
    const auto elsewhere = headers_to_caller({{"location", "https://accounts.google.com/x"}},
                                             "https://www.googleapis.com",
                                             drive().allowed_base_urls, "/p");
    EXPECT_EQ(elsewhere, (http::HttpHeaders{{"location", "https://accounts.google.com/x"}}));
}

} // namespace
} // namespace switchboard::connectors
