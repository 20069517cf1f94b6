// What only the HTTPS listener does (everything else runs over TLS in the TransportTest
// suites): the handshake's terms, clients it must turn away without harm to others, the
// certificate reloaded from its files, and the files it refuses.
#include "host/server/tls_credentials.hpp"
#include "tests/server/server_fixture.hpp"
#include "tests/server/test_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace switchboard::server::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// A second, unrelated PKI: another CA, another certificate for localhost.
const TestPki& other_pki() {
    static const TestPki pki("other");
    return pki;
}

class TlsTest : public ServerFixture {
protected:
    TlsTest() {
        // The server's files are this test's own copies, so that a test can replace them.
        options.tls = TlsOptions{dir / "server.crt", dir / "server.key"};
        install(shared_pki());
        client_tls = shared_pki().client();
    }

    // Puts `pki`'s certificate and key where the server reads them.
    void install(const TestPki& pki) {
        write_private_file(options.tls->certificate_file, read_file(pki.certificate_file));
        write_private_file(options.tls->private_key_file, read_file(pki.key_file));
    }

    std::string metrics_text() { return connect().get("/metrics").body(); }

    switchboard::testing::TempDir dir{"sb-tls-test-"};
};

TEST_F(TlsTest, NegotiatesHttp11ByAlpnOverTls12OrLater) {
    start();
    TestClient client = connect();
    EXPECT_EQ(client.get("/healthz").result(), http::status::ok);
    EXPECT_EQ(client.alpn(), "http/1.1");
    client.with_stream([](auto& stream) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(stream)>, tcp::socket>) {
            EXPECT_GE(SSL_version(stream.native_handle()), TLS1_2_VERSION);
        }
    });
}

TEST_F(TlsTest, AClientLimitedToTls11IsRefused) {
    start();
    net::io_context io;
    tcp::socket socket(io);
    socket.connect({net::ip::make_address("127.0.0.1"), port});
    net::ssl::context context(net::ssl::context::tls_client);
    SSL_CTX_set_security_level(context.native_handle(), 0);
    SSL_CTX_set_max_proto_version(context.native_handle(), TLS1_1_VERSION);
    net::ssl::stream<tcp::socket&> stream(socket, context);
    beast::error_code ec;
    stream.handshake(net::ssl::stream_base::client, ec);
    EXPECT_TRUE(ec) << "a TLS 1.1 handshake succeeded";
    EXPECT_EQ(connect().get("/healthz").result(), http::status::ok);
}

TEST_F(TlsTest, AClientThatDoesNotTrustTheCaFailsTheHandshakeAndOthersAreServed) {
    start();
    const auto ec = TestClient::try_handshake(port, other_pki().client());
    ASSERT_TRUE(ec);
    EXPECT_EQ(ec.category(), net::error::get_ssl_category()) << ec.message();
    EXPECT_THAT(ec.message(), HasSubstr("certificate verify failed"));
    EXPECT_EQ(connect().get("/healthz").result(), http::status::ok);
    // The client's alert ends the server's handshake: counted, never a secret in the log.
    EXPECT_THAT(metrics_text(),
                HasSubstr("switchboard_http_tls_handshake_failures_total{reason=\"failed\"} 1"));
}

TEST_F(TlsTest, PlainHttpToTheTlsPortGetsNoAnswerAndTheServerKeepsServing) {
    start([](Router& router) {
        router.add(http::verb::get, "/secret", [](const Request&) {
            return Response::text(http::status::ok, "THE-ANSWER-BODY");
        });
    });
    TestClient plain(port); // no TLS
    plain.write_raw(TestClient::serialize(http::verb::get, "/secret"));
    std::string received;
    {
        // Whatever comes back (a TLS alert at most) until the server closes.
        std::array<char, 1024> chunk{};
        beast::error_code ec;
        for (int i = 0; i < 16 && !ec; ++i) {
            const auto got = plain.socket().read_some(net::buffer(chunk), ec);
            received.append(chunk.data(), got);
        }
    }
    EXPECT_THAT(received, Not(HasSubstr("HTTP/1.1")));
    EXPECT_THAT(received, Not(HasSubstr("THE-ANSWER-BODY")));
    TestClient client = connect();
    EXPECT_EQ(client.get("/secret").body(), "THE-ANSWER-BODY");
    EXPECT_THAT(metrics_text(),
                HasSubstr("switchboard_http_tls_handshake_failures_total{reason=\"failed\"} 1"));
}

TEST_F(TlsTest, AHandshakeThatNeverComesTimesOutAlone) {
    options.read_timeout = std::chrono::milliseconds(300);
    start();
    TestClient silent(port); // connects, never says hello
    TestClient client = connect();
    EXPECT_TRUE(silent.closed_by_server());
    EXPECT_EQ(client.get("/healthz").result(), http::status::ok);
    EXPECT_THAT(metrics_text(),
                HasSubstr("switchboard_http_tls_handshake_failures_total{reason=\"timeout\"} 1"));
}

TEST_F(TlsTest, AConnectionPastTheCapGetsIts503OverTls) {
    options.max_connections = 1;
    start();
    TestClient first = connect();
    EXPECT_EQ(first.get("/healthz").result(), http::status::ok);
    TestClient second = connect(); // handshake done, then the 503 and the close
    const auto refused = second.read();
    EXPECT_EQ(refused.result(), http::status::service_unavailable);
    EXPECT_EQ(json_of(refused)["error"]["code"], "too_many_connections");
    EXPECT_TRUE(second.closed_by_server());
    EXPECT_EQ(first.get("/healthz").result(), http::status::ok);
}

TEST_F(TlsTest, AReloadServesTheNewCertificateToNewConnectionsOnly) {
    start();
    TestClient before = connect();
    EXPECT_EQ(before.get("/healthz").result(), http::status::ok);
    const auto serial_a = before.peer_certificate_serial();
    ASSERT_FALSE(serial_a.empty());

    install(other_pki());
    const auto reloaded = server->reload_tls();
    ASSERT_TRUE(reloaded) << reloaded.error().message;

    // A new connection gets the new certificate (from the other CA: the old CA's trust fails).
    EXPECT_TRUE(TestClient::try_handshake(port, shared_pki().client()));
    TestClient after(port, bound, "127.0.0.1", other_pki().client());
    EXPECT_EQ(after.get("/healthz").result(), http::status::ok);
    EXPECT_NE(after.peer_certificate_serial(), serial_a);
    // The connection opened before keeps going, on its own certificate.
    EXPECT_EQ(before.get("/healthz").result(), http::status::ok);
    EXPECT_EQ(before.peer_certificate_serial(), serial_a);
}

TEST_F(TlsTest, SighupReloadsTheCertificate) {
    options.handle_signals = true;
    start();
    install(other_pki());
    ASSERT_EQ(std::raise(SIGHUP), 0);
    bool switched = false;
    for (int i = 0; i < 100 && !switched; ++i) {
        switched = !TestClient::try_handshake(port, other_pki().client());
        if (!switched) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    EXPECT_TRUE(switched);
}

TEST_F(TlsTest, AFailedReloadKeepsTheOldCertificateAndSaysWhy) {
    start();
    TestClient before = connect();
    const auto serial_a = before.peer_certificate_serial();
    write_private_file(options.tls->private_key_file, "-----BEGIN PRIVATE KEY-----\nbroken\n");
    const auto reloaded = server->reload_tls();
    ASSERT_FALSE(reloaded);
    EXPECT_EQ(reloaded.error().code, "invalid_tls_config");
    EXPECT_EQ(reloaded.error().field, "server.tls.private_key_file");
    TestClient after = connect();
    EXPECT_EQ(after.get("/healthz").result(), http::status::ok);
    EXPECT_EQ(after.peer_certificate_serial(), serial_a);
    bool logged = false;
    for (const auto& line : logs->lines()) {
        EXPECT_THAT(line, Not(HasSubstr("broken")));
        logged = logged || line.find("TLS certificate reload failed") != std::string::npos;
    }
    EXPECT_TRUE(logged);
}

// ---- the files load_tls_context refuses ----

class TlsFilesTest : public ::testing::Test {
protected:
    TlsFilesTest() {
        options.certificate_file = dir / "server.crt";
        options.private_key_file = dir / "server.key";
        write_private_file(options.certificate_file, read_file(shared_pki().certificate_file));
        write_private_file(options.private_key_file, read_file(shared_pki().key_file));
    }

    // The error, checked to name `setting` and never to carry the key.
    Error refused(std::string_view setting) {
        auto loaded = load_tls_context(options);
        EXPECT_FALSE(loaded);
        if (loaded) {
            return {};
        }
        EXPECT_EQ(loaded.error().code, "invalid_tls_config");
        EXPECT_EQ(loaded.error().field, setting);
        EXPECT_THAT(loaded.error().message, HasSubstr(std::string(setting)));
        EXPECT_THAT(loaded.error().message, Not(HasSubstr("PRIVATE KEY")));
        return loaded.error();
    }

    TlsOptions options;
    switchboard::testing::TempDir dir{"sb-tls-files-"};
};

TEST_F(TlsFilesTest, GoodFilesLoad) {
    EXPECT_TRUE(load_tls_context(options));
}

TEST_F(TlsFilesTest, AMissingKeyIsRefused) {
    fs::remove(options.private_key_file);
    EXPECT_THAT(refused("server.tls.private_key_file").message,
                HasSubstr("No such file or directory"));
}

TEST_F(TlsFilesTest, AMissingCertificateIsRefused) {
    fs::remove(options.certificate_file);
    refused("server.tls.certificate_file");
}

TEST_F(TlsFilesTest, AKeyThatDoesNotMatchTheCertificateIsRefused) {
    write_private_file(options.private_key_file, read_file(other_pki().key_file));
    EXPECT_THAT(refused("server.tls.private_key_file").message,
                HasSubstr("does not match the certificate"));
}

TEST_F(TlsFilesTest, AKeyWritableByItsGroupIsRefused) {
    fs::permissions(options.private_key_file, fs::perms::group_write, fs::perm_options::add);
    EXPECT_THAT(refused("server.tls.private_key_file").message, HasSubstr("chmod 600"));
}

TEST_F(TlsFilesTest, AReadableKeyIsAccepted) {
    // 0644, as a container mounts secrets: read access is not the danger.
    fs::permissions(options.private_key_file, fs::perms::group_read | fs::perms::others_read,
                    fs::perm_options::add);
    EXPECT_TRUE(load_tls_context(options));
}

TEST_F(TlsFilesTest, SomethingThatIsNotACertificateIsRefused) {
    write_private_file(options.certificate_file, "not a certificate\n");
    refused("server.tls.certificate_file");
}

TEST_F(TlsFilesTest, TheServerDoesNotListenWithBadFiles) {
    fs::remove(options.private_key_file);
    ServerOptions server_options;
    server_options.port = 0;
    server_options.handle_signals = false;
    server_options.tls = options;
    Server server(server_options);
    const auto listening = server.listen();
    ASSERT_FALSE(listening);
    EXPECT_EQ(listening.error().code, "invalid_tls_config");
}

} // namespace
} // namespace switchboard::server::testing
