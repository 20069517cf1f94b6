// rediss:// (issue 14, point 4) on a real redis-server with TLS: hiredis 0.14 has no TLS, so
// RedisClient talks through its TlsRelay. Commands and large values go through; the server's
// certificate is checked against the CA and the host name, and a failure says so without the
// password; a server restart costs no more than it does over plain TCP.
#include "core/redis/redis_client.hpp"
#include "tests/http/test_certificates.hpp"
#include "tests/support/redis_server.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace switchboard::redis {
namespace {

using http::test_support::TestCertificates;

class RedisClientTlsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        certificates = new TestCertificates();
        server = new testing::RedisServer(testing::RedisTls{
            certificates->localhost_certificate(), certificates->localhost_key(),
            certificates->ca_certificate()});
    }
    static void TearDownTestSuite() {
        delete server;
        delete certificates;
    }

    static RedisOptions tls_options(std::string host = "127.0.0.1") {
        RedisOptions options;
        options.host = std::move(host);
        options.port = server->tls_port();
        options.tls = RedisTlsOptions{certificates->ca_certificate()};
        options.connect_timeout = std::chrono::milliseconds(2000);
        options.command_timeout = std::chrono::milliseconds(2000);
        return options;
    }

    static TestCertificates* certificates;
    static testing::RedisServer* server;
};

TestCertificates* RedisClientTlsTest::certificates = nullptr;
testing::RedisServer* RedisClientTlsTest::server = nullptr;

TEST_F(RedisClientTlsTest, CommandsAndLargeValuesGoThroughTls) {
    RedisClient client(tls_options());
    const std::string large(300 * 1024, 'x'); // many relay buffers in each direction
    auto set = client.run({"SET", "tls-key", large});
    ASSERT_TRUE(set) << set.error().message;
    EXPECT_EQ(set->text, "OK");
    auto got = client.run({"GET", "tls-key"});
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(got->text, large);
    // Written over TLS, read over the plain port: the same server.
    EXPECT_EQ(server->command("STRLEN tls-key"), ":" + std::to_string(large.size()));
}

TEST_F(RedisClientTlsTest, ConcurrentCallersShareThePoolOverTls) {
    RedisClient client(tls_options());
    std::atomic<int> ok{0};
    std::vector<std::thread> callers;
    for (int t = 0; t < 8; ++t) {
        callers.emplace_back([&client, &ok, t] {
            for (int i = 0; i < 50; ++i) {
                auto r = client.run({"INCR", "tls-counter-" + std::to_string(t)});
                if (r && r->type == RedisReply::Type::integer) ++ok;
            }
        });
    }
    for (auto& caller : callers) caller.join();
    EXPECT_EQ(ok, 400);
    EXPECT_EQ(server->command("GET tls-counter-7"), "$2"); // "50": the bulk header line
}

TEST_F(RedisClientTlsTest, AnUntrustedCertificateIsRefusedWithoutThePassword) {
    RedisOptions options = tls_options();
    options.tls = RedisTlsOptions{}; // the system store only: the test CA is not in it
    options.password = "hunter2-redis-password";
    RedisClient client(options);
    auto refused = client.run({"PING"});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().kind, ErrorKind::unavailable);
    EXPECT_NE(refused.error().message.find("TLS"), std::string::npos) << refused.error().message;
    EXPECT_EQ(refused.error().message.find("hunter2"), std::string::npos);
}

TEST_F(RedisClientTlsTest, AServerNameTheCertificateDoesNotCoverIsRefused) {
    RedisClient by_name(tls_options("localhost")); // in the certificate, as is 127.0.0.1
    auto ping = by_name.run({"PING"});
    ASSERT_TRUE(ping) << ping.error().message;

    // A server whose certificate, signed by the same CA, is for another name.
    testing::RedisServer impostor(testing::RedisTls{certificates->other_host_certificate(),
                                                    certificates->other_host_key(),
                                                    certificates->ca_certificate()});
    RedisOptions options = tls_options();
    options.port = impostor.tls_port();
    RedisClient client(options);
    auto refused = client.run({"PING"});
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("TLS"), std::string::npos) << refused.error().message;
}

TEST_F(RedisClientTlsTest, ABadCaFileIsAClearError) {
    RedisOptions options = tls_options();
    options.tls = RedisTlsOptions{"/nonexistent/redis-ca.pem"};
    RedisClient client(options);
    auto refused = client.run({"PING"});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, "invalid_redis_tls");
    EXPECT_NE(refused.error().message.find("/nonexistent/redis-ca.pem"), std::string::npos);
}

TEST_F(RedisClientTlsTest, AfterAServerRestartTheNextCallReconnects) {
    RedisClient client(tls_options());
    ASSERT_TRUE(client.run({"SET", "before-restart", "1"}));
    server->restart(); // the relayed connections see the server hang up
    auto after = client.run({"PING"});
    ASSERT_TRUE(after) << after.error().message;
    EXPECT_EQ(after->text, "PONG");
}

} // namespace
} // namespace switchboard::redis
