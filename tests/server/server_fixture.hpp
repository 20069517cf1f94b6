// A real Server on 127.0.0.1, port 0, running on a thread of its own, with the process's
// default logger capturing JSON lines so that tests can read what the server logged.
// use_tls() makes it an HTTPS server with a throw-away certificate (for localhost and
// 127.0.0.1, from a CA made at test time), and connect() a client that trusts it; suites
// deriving from TransportTest run every test over plain HTTP and over TLS.
#pragma once

#include "core/logging/logging.hpp"
#include "host/server/server.hpp"
#include "tests/http/test_certificates.hpp"
#include "tests/server/test_client.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <future>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace switchboard::server::testing {

// Keeps every formatted line; safe to read while other threads log.
class CaptureSink final : public spdlog::sinks::base_sink<std::mutex> {
public:
    std::vector<std::string> lines() {
        const std::lock_guard lock(mutex_);
        return lines_;
    }

    // The captured lines parsed as JSON; a line that does not parse fails the test.
    std::vector<nlohmann::json> json_lines() {
        std::vector<nlohmann::json> parsed;
        for (const auto& line : lines()) {
            auto value = nlohmann::json::parse(line, nullptr, false);
            EXPECT_FALSE(value.is_discarded()) << "log line is not JSON: " << line;
            parsed.push_back(std::move(value));
        }
        return parsed;
    }

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        spdlog::memory_buf_t formatted;
        formatter_->format(msg, formatted);
        std::string line(formatted.data(), formatted.size());
        if (!line.empty() && line.back() == '\n') {
            line.pop_back();
        }
        lines_.push_back(std::move(line));
    }
    void flush_() override {}

private:
    std::vector<std::string> lines_;
};

// Writes `content` to `path` with mode 0600 (a private key's).
inline void write_private_file(const std::filesystem::path& path, const std::string& content) {
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << content;
        if (!out) {
            throw std::runtime_error("cannot write " + path.string());
        }
    }
    std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                           std::filesystem::perms::owner_write);
}

// A CA and a server certificate for localhost signed by it, as files a server can load.
class TestPki {
public:
    explicit TestPki(std::string_view name = "pki") {
        certificate_file = dir_ / (std::string(name) + ".crt");
        key_file = dir_ / (std::string(name) + ".key");
        write_private_file(certificate_file, file_content(certificates_.localhost_certificate()));
        write_private_file(key_file, file_content(certificates_.localhost_key()));
        ca_pem_ = file_content(certificates_.ca_certificate());
    }

    ClientTls client() const { return ClientTls{ca_pem_}; }
    TlsOptions server() const { return TlsOptions{certificate_file, key_file}; }

    std::filesystem::path certificate_file;
    std::filesystem::path key_file;

private:
    static std::string file_content(const std::filesystem::path& path) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream out;
        out << in.rdbuf();
        return out.str();
    }

    ::switchboard::http::test_support::TestCertificates certificates_;
    std::string ca_pem_;
    switchboard::testing::TempDir dir_{"sb-server-tls-"};
};

// One PKI for the whole test program: making one takes a few openssl runs.
inline const TestPki& shared_pki() {
    static const TestPki pki;
    return pki;
}

enum class Transport { plain, tls };

inline std::string transport_name(const ::testing::TestParamInfo<Transport>& info) {
    return info.param == Transport::tls ? "Tls" : "Plain";
}

class ServerFixture : public ::testing::Test {
protected:
    ServerFixture() {
        options.port = 0;
        options.io_threads = 1;
        options.worker_threads = 2;
        options.handle_signals = false;
        options.read_timeout = std::chrono::seconds(5);
        options.idle_timeout = std::chrono::seconds(5);
        options.shutdown_grace = std::chrono::seconds(5);
        logging::setup_logging({logging::Format::json, spdlog::level::debug}, logs);
    }

    ~ServerFixture() override {
        stop_and_join();
        if (logs && (::testing::Test::HasFailure() || std::getenv("SB_SHOW_SERVER_LOGS"))) {
            for (const auto& line : logs->lines()) {
                std::cerr << "  log: " << line << '\n';
            }
        }
        spdlog::set_default_logger(previous_logger_);
    }

    // Builds the server from `options`, lets `add_routes` register routes, and runs it.
    template <class AddRoutes>
    void start(AddRoutes&& add_routes) {
        server = std::make_unique<Server>(options, registry);
        add_routes(server->router());
        auto listening = server->listen();
        ASSERT_TRUE(listening) << listening.error().message;
        port = listening->port();
        ASSERT_NE(port, 0);
        // With one I/O thread, the thread calling run() is the I/O thread.
        std::promise<std::thread::id> id_promise;
        auto id_future = id_promise.get_future();
        run_result = std::async(std::launch::async, [this, id = std::move(id_promise)]() mutable {
            id.set_value(std::this_thread::get_id());
            return server->run();
        });
        io_thread = id_future.get();
    }

    void start() {
        start([](Router&) {});
    }

    // Serve HTTPS with the shared test certificate; connect() then speaks TLS.
    void use_tls() {
        options.tls = shared_pki().server();
        client_tls = shared_pki().client();
    }

    // A client of the server started, over TLS when use_tls() was called.
    TestClient connect(std::chrono::milliseconds timeout = std::chrono::seconds(5),
                       const std::string& source = "127.0.0.1") {
        return TestClient(port, timeout, source, client_tls);
    }

    // Stops the server and waits (bounded) for run() to return; true if it did.
    bool stop_and_join(std::chrono::seconds within = std::chrono::seconds(10)) {
        if (!server || !run_result.valid()) {
            return true;
        }
        server->stop();
        if (run_result.wait_for(within) != std::future_status::ready) {
            ADD_FAILURE() << "server run() did not return within the bound";
            return false;
        }
        const auto result = run_result.get();
        EXPECT_TRUE(result) << (result ? "" : result.error().message);
        return true;
    }

    ServerOptions options;
    std::shared_ptr<prometheus::Registry> registry = std::make_shared<prometheus::Registry>();
    std::unique_ptr<Server> server;
    std::uint16_t port = 0;
    std::thread::id io_thread;
    std::future<Result<void>> run_result;
    std::shared_ptr<CaptureSink> logs = std::make_shared<CaptureSink>();
    std::optional<ClientTls> client_tls;

private:
    std::shared_ptr<spdlog::logger> previous_logger_ = spdlog::default_logger();
};

// A suite whose tests run twice: over plain HTTP and over TLS (INSTANTIATE_TRANSPORTS).
class TransportTest : public ServerFixture, public ::testing::WithParamInterface<Transport> {
protected:
    TransportTest() {
        if (GetParam() == Transport::tls) {
            use_tls();
        }
    }
    bool tls() const { return GetParam() == Transport::tls; }
};

#define INSTANTIATE_TRANSPORTS(suite)                                                          \
    INSTANTIATE_TEST_SUITE_P(Transports, suite,                                                \
                             ::testing::Values(::switchboard::server::testing::Transport::plain, \
                                               ::switchboard::server::testing::Transport::tls),  \
                             ::switchboard::server::testing::transport_name)

} // namespace switchboard::server::testing
