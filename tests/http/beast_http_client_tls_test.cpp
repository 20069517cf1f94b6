#include "core/http/beast_http_client.hpp"

#include "test_certificates.hpp"
#include "test_http_server.hpp"

#include <gtest/gtest.h>

namespace switchboard::http {
namespace {

using std::chrono::milliseconds;
using namespace switchboard::http::test_support;

class BeastHttpClientTlsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { pki = new TestCertificates(); }
    static void TearDownTestSuite() {
        delete pki;
        pki = nullptr;
    }

    static BeastHttpClientOptions options(bool trust_test_ca) {
        BeastHttpClientOptions o;
        o.connect_timeout = milliseconds{3000};
        o.read_timeout = milliseconds{3000};
        o.max_attempts = 2;
        o.sleep = [](milliseconds) {};
        if (trust_test_ca) {
            o.extra_ca_file = pki->ca_certificate();
        }
        return o;
    }

    static std::unique_ptr<BeastHttpClient> client(BeastHttpClientOptions o) {
        auto c = BeastHttpClient::create(std::move(o));
        EXPECT_TRUE(c) << c.error().message;
        return std::move(*c);
    }

    static ScriptedResponse ok(const ReceivedRequest&) {
        ScriptedResponse r;
        r.body = "secure";
        return r;
    }

    static TestCertificates* pki;
};

TestCertificates* BeastHttpClientTlsTest::pki = nullptr;

TEST_F(BeastHttpClientTlsTest, TrustedCaAndMatchingNameSucceedsWithSniAndReuse) {
    TestHttpServer server(ok, TlsFiles{pki->localhost_certificate(), pki->localhost_key()});
    auto c = client(options(true));
    for (int i = 0; i < 3; ++i) {
        auto response = c->send({"GET", server.url("/s", "localhost"), {}, {}}, {});
        ASSERT_TRUE(response) << response.error().message;
        EXPECT_EQ(response->status, 200);
        EXPECT_EQ(response->body, "secure");
    }
    EXPECT_EQ(server.connections_accepted(), 1u);
    auto received = server.requests();
    ASSERT_FALSE(received.empty());
    EXPECT_EQ(received[0].tls_server_name, "localhost");
}

TEST_F(BeastHttpClientTlsTest, IpAddressIsCheckedAgainstTheIpSubjectAltNameWithoutSni) {
    TestHttpServer server(ok, TlsFiles{pki->localhost_certificate(), pki->localhost_key()});
    auto c = client(options(true));
    auto response = c->send({"GET", server.url("/s", "127.0.0.1"), {}, {}}, {});
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(server.requests().at(0).tls_server_name, "");
}

TEST_F(BeastHttpClientTlsTest, UntrustedCaFailsWithoutRetry) {
    TestHttpServer server(ok, TlsFiles{pki->localhost_certificate(), pki->localhost_key()});
    auto c = client(options(false)); // the system store only
    auto response = c->send({"GET", server.url("/s", "localhost"), {}, {}}, {});
    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, "upstream_tls_failed");
    EXPECT_EQ(response.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(server.requests_received(), 0u);
    EXPECT_EQ(server.connections_accepted(), 1u); // a certificate does not fix itself
}

TEST_F(BeastHttpClientTlsTest, HostNameMismatchFails) {
    TestHttpServer server(ok, TlsFiles{pki->other_host_certificate(), pki->other_host_key()});
    auto c = client(options(true));
    auto response = c->send({"GET", server.url("/s", "localhost"), {}, {}}, {});
    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, "upstream_tls_failed");
    EXPECT_EQ(server.requests_received(), 0u);
}

TEST_F(BeastHttpClientTlsTest, PlainHttpClientOptionDoesNotAffectHttps) {
    TestHttpServer server(ok, TlsFiles{pki->localhost_certificate(), pki->localhost_key()});
    auto o = options(true);
    o.allow_plain_http_loopback = false;
    auto c = client(o);
    auto response = c->send({"POST", server.url("/s", "localhost"), {}, "{}"}, {});
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200);
}

} // namespace
} // namespace switchboard::http
