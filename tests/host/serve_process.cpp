#include "tests/host/serve_process.hpp"

#include "tests/support/free_port.hpp"
#include "tests/support/sha256_hex.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#ifndef SB_SWITCHBOARD_EXE
#error "SB_SWITCHBOARD_EXE must name the built switchboard executable"
#endif

namespace switchboard::testing {
namespace {

using nlohmann::json;

std::string read_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string new_encryption_key() {
    ProcessOptions options;
    options.argv = {SB_SWITCHBOARD_EXE, "keygen"};
    auto result = run_process(options, {}, std::chrono::seconds(30));
    std::string key = result.output;
    while (!key.empty() && (key.back() == '\n' || key.back() == '\r')) {
        key.pop_back();
    }
    if (!result.status.exited_with(0) || key.empty()) {
        throw std::runtime_error("switchboard keygen failed: " + result.error);
    }
    return key;
}

// True once GET /healthz answers 200 on a fresh connection.
bool healthy(std::uint16_t port) {
    const auto answer = raw_exchange(
        port, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        std::chrono::seconds(2));
    return status_of(answer) == 200;
}

std::uint64_t status_kib(const ServeProcess& host, const std::string& key) {
    const std::string line = host.proc_line("status", key + ":");
    std::uint64_t kib = 0;
    std::istringstream(line.substr(key.size() + 1)) >> kib;
    return kib * 1024;
}

} // namespace

std::string raw_exchange(std::uint16_t port, const std::string& request,
                         std::chrono::milliseconds timeout) {
    namespace net = boost::asio;
    net::io_context io;
    net::ip::tcp::socket socket(io);
    std::string answer;
    boost::system::error_code ec;
    socket.connect({net::ip::make_address("127.0.0.1"), port}, ec);
    if (ec) {
        return answer;
    }
    net::async_write(socket, net::buffer(request), [&](boost::system::error_code, std::size_t) {
        net::async_read(socket, net::dynamic_buffer(answer),
                        [](boost::system::error_code, std::size_t) {});
    });
    io.run_for(timeout);
    return answer;
}

int status_of(const std::string& answer) {
    if (answer.rfind("HTTP/1.", 0) != 0 || answer.size() < 12) {
        return 0;
    }
    return std::atoi(answer.substr(9, 3).c_str());
}

ServeProcess::ServeProcess(const json& server, const json& extra,
                           std::function<bool(std::uint16_t)> ready) {
    if (!ready) {
        ready = healthy;
    }
    port_ = free_loopback_port();
    json config = {
        {"server", {{"listen", "127.0.0.1"}, {"port", port_}}},
        {"log", {{"format", "json"}, {"level", "info"}}},
        {"database", {{"url", "sqlite://host.db"}}},
        {"public_urls", {{"api_base_url", "http://127.0.0.1:" + std::to_string(port_)}}},
        {"auth",
         {{"api_keys",
           {{{"key_sha256", sha256_hex(serve_api_key)},
             {"tenant_id", "serve-tenant"},
             {"user_id", "serve-user"}}}}}},
    };
    config["server"].update(server);
    config.update(extra, /*merge_objects=*/true);
    const auto config_file = dir_.path() / "switchboard.json";
    std::ofstream(config_file) << config.dump(2);
    const auto plugins = dir_.path() / "plugins";
    std::filesystem::create_directories(plugins);
    log_file_ = dir_.path() / "switchboard.log";

    ProcessOptions options;
    options.argv = {SB_SWITCHBOARD_EXE, "serve", "--config", config_file.string(),
                    "--plugins-dir", plugins.string()};
    options.environment = {"CONNECTOR_ENCRYPTION_KEY=" + new_encryption_key()};
    // The memory tests measure what the host holds, not ASan's quarantine.
    if (auto asan = asan_small_quarantine_environment()) options.environment.push_back(*asan);
    options.output_file = log_file_;
    process_.emplace(ChildProcess::start(options));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!ready(port_)) {
        if (!process_->running() || std::chrono::steady_clock::now() > deadline) {
            process_->stop(SIGKILL, std::chrono::seconds(1));
            throw std::runtime_error("switchboard serve did not start:\n" + log());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

ServeProcess::~ServeProcess() {
    if (process_ && process_->running()) {
        process_->stop(SIGTERM, std::chrono::seconds(15));
    }
}

std::string ServeProcess::log() const {
    return read_file(log_file_);
}

std::string ServeProcess::proc_line(const std::string& file, const std::string& prefix) const {
    std::ifstream in("/proc/" + std::to_string(process_->pid()) + "/" + file);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(prefix, 0) == 0) {
            return line;
        }
    }
    return {};
}

std::uint64_t ServeProcess::rss_bytes() const {
    return status_kib(*this, "VmRSS");
}

std::uint64_t ServeProcess::peak_rss_bytes() const {
    return status_kib(*this, "VmHWM");
}

ExitStatus ServeProcess::stop() {
    return process_->stop(SIGTERM, std::chrono::seconds(15));
}

std::string body_of(const std::string& answer) {
    const auto end = answer.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : answer.substr(end + 4);
}

} // namespace switchboard::testing
