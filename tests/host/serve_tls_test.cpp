// `switchboard serve` with server.tls, as a process: it serves HTTPS, SIGHUP swaps its
// certificate for new connections while open ones go on, a reload from a bad file keeps the
// old certificate, and files that cannot serve are a config error (exit 2) naming the setting.
#include "tests/host/serve_process.hpp"
#include "tests/server/server_fixture.hpp"
#include "tests/server/test_client.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <csignal>
#include <thread>

namespace switchboard::testing {
namespace {

using server::testing::ClientTls;
using server::testing::TestClient;
using server::testing::TestPki;
using server::testing::write_private_file;
using ::testing::HasSubstr;
using ::testing::Not;
namespace http = server::http;

std::string file_text(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

// GET /healthz answers 200 over TLS to a client trusting `tls`; false on any failure.
bool healthy_over(std::uint16_t port, const ClientTls& tls) {
    try {
        TestClient client(port, std::chrono::seconds(2), "127.0.0.1", tls);
        return client.get("/healthz").result() == http::status::ok;
    } catch (const std::exception&) {
        return false;
    }
}

// Waits (bounded) until `done` holds.
template <class Condition>
bool eventually(Condition done) {
    for (int i = 0; i < 200; ++i) {
        if (done()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
}

class ServeTlsTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        first = new TestPki("first");
        second = new TestPki("second");
    }
    static void TearDownTestSuite() {
        delete first;
        delete second;
    }

    // Makes `pki`'s certificate and key the ones the host's config names.
    void install(const TestPki& pki) {
        write_private_file(certificate, file_text(pki.certificate_file));
        write_private_file(key, file_text(pki.key_file));
    }

    nlohmann::json tls_section() const {
        return {{"tls", {{"certificate_file", certificate.string()},
                         {"private_key_file", key.string()}}}};
    }

    static TestPki* first;
    static TestPki* second;
    TempDir dir{"sb-serve-tls-"};
    std::filesystem::path certificate = dir / "server.crt";
    std::filesystem::path key = dir / "server.key";
};

TestPki* ServeTlsTest::first = nullptr;
TestPki* ServeTlsTest::second = nullptr;

TEST_F(ServeTlsTest, SighupSwapsTheCertificateForNewConnectionsAndKeepsOpenOnes) {
    install(*first);
    ServeProcess host(tls_section(), nlohmann::json::object(), [](std::uint16_t port) {
        return healthy_over(port, first->client());
    });
    TestClient open(host.port(), std::chrono::seconds(5), "127.0.0.1", first->client());
    ASSERT_EQ(open.get("/healthz").result(), http::status::ok);
    const auto serial_first = open.peer_certificate_serial();

    // A reload from a broken file: logged, and the first certificate keeps serving.
    write_private_file(certificate, "-----BEGIN CERTIFICATE-----\nnot one\n");
    ASSERT_EQ(::kill(host.pid(), SIGHUP), 0);
    ASSERT_TRUE(eventually([&] {
        return host.log().find("TLS certificate reload failed") != std::string::npos;
    })) << host.log();
    EXPECT_THAT(host.log(), HasSubstr("server.tls.certificate_file"));
    {
        TestClient fresh(host.port(), std::chrono::seconds(5), "127.0.0.1", first->client());
        EXPECT_EQ(fresh.get("/healthz").result(), http::status::ok);
        EXPECT_EQ(fresh.peer_certificate_serial(), serial_first);
    }

    // The second certificate (another CA): new connections get it after SIGHUP.
    install(*second);
    ASSERT_EQ(::kill(host.pid(), SIGHUP), 0);
    ASSERT_TRUE(eventually([&] { return healthy_over(host.port(), second->client()); }))
        << host.log();
    TestClient fresh(host.port(), std::chrono::seconds(5), "127.0.0.1", second->client());
    EXPECT_NE(fresh.peer_certificate_serial(), serial_first);
    EXPECT_FALSE(healthy_over(host.port(), first->client())); // the first CA no longer fits
    // The connection opened before both reloads still works, on its certificate.
    EXPECT_EQ(open.get("/healthz").result(), http::status::ok);
    EXPECT_EQ(open.peer_certificate_serial(), serial_first);
    EXPECT_TRUE(host.running());
    const auto log = host.log();
    EXPECT_THAT(log, Not(HasSubstr("PRIVATE KEY")));
    EXPECT_TRUE(host.stop().exited_with(0));
}

// ---- start-up refusals: exit code 2, a message naming the setting, never the key ----

class ServeTlsConfigTest : public ServeTlsTest {
protected:
    ProcessResult serve() {
        nlohmann::json server = {{"listen", "127.0.0.1"}, {"port", 0}};
        server.update(tls_section());
        const nlohmann::json config = {{"server", server},
                                       {"database", {{"url", "sqlite://host.db"}}}};
        const auto file = dir / "switchboard.json";
        std::ofstream(file) << config.dump(2);
        std::filesystem::create_directories(dir / "plugins");
        ProcessOptions options;
        options.argv = {SB_SWITCHBOARD_EXE, "serve", "--config", file.string(), "--plugins-dir",
                        (dir / "plugins").string()};
        options.working_directory = dir.path();
        return run_process(options);
    }

    void expect_refused(const std::string& setting, const std::string& reason) {
        const auto result = serve();
        EXPECT_TRUE(result.status.exited_with(2)) << result.status.describe() << result.error;
        EXPECT_THAT(result.error, HasSubstr(setting));
        EXPECT_THAT(result.error, HasSubstr(reason));
        EXPECT_THAT(result.error + result.output, Not(HasSubstr("PRIVATE KEY")));
    }
};

TEST_F(ServeTlsConfigTest, AMissingKeyFileIsAConfigError) {
    install(*first);
    std::filesystem::remove(key);
    expect_refused("server.tls.private_key_file", "No such file or directory");
}

TEST_F(ServeTlsConfigTest, AKeyOfAnotherCertificateIsAConfigError) {
    install(*first);
    write_private_file(key, file_text(second->key_file));
    expect_refused("server.tls.private_key_file", "does not match the certificate");
}

TEST_F(ServeTlsConfigTest, AGroupWritableKeyIsAConfigError) {
    install(*first);
    std::filesystem::permissions(key, std::filesystem::perms::group_write,
                                 std::filesystem::perm_options::add);
    expect_refused("server.tls.private_key_file", "chmod 600");
}

} // namespace
} // namespace switchboard::testing
