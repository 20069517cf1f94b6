#include "tests/support/redis_server.hpp"

#include "tests/support/free_port.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace switchboard::testing {
namespace {

// One request/reply over a fresh TCP connection; nullopt if the server is not reachable.
std::optional<std::string> inline_request(const std::string& host, std::uint16_t port,
                                          const std::string& command) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return std::nullopt;
    timeval timeout{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    ::inet_pton(AF_INET, host.c_str(), &address.sin_addr);
    std::optional<std::string> reply;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0) {
        const std::string line = command + "\r\n";
        if (::send(fd, line.data(), line.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(line.size())) {
            std::string received;
            char buffer[512];
            while (received.find("\r\n") == std::string::npos) {
                const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
                if (n <= 0) break;
                received.append(buffer, static_cast<std::size_t>(n));
            }
            if (received.find("\r\n") != std::string::npos) {
                reply = received.substr(0, received.find("\r\n"));
            }
        }
    }
    ::close(fd);
    return reply;
}

} // namespace

RedisServer::RedisServer(std::optional<RedisTls> tls) : tls_(std::move(tls)) {
    port_ = free_loopback_port();
    while (tls_ && (tls_port_ == 0 || tls_port_ == port_)) tls_port_ = free_loopback_port();
    start();
}

RedisServer::~RedisServer() {
    try {
        if (process_) {
            process_->send_signal(SIGCONT);
            process_->stop(SIGTERM, std::chrono::seconds(10));
        }
    } catch (...) {
    }
}

void RedisServer::start() {
    if (running()) return;
    const char* binary = std::getenv("SB_REDIS_SERVER");
    ProcessOptions options;
    options.argv = {binary != nullptr ? binary : "redis-server",
                    "--port",
                    std::to_string(port_),
                    "--bind",
                    host_,
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    dir_.path().string(),
                    "--logfile",
                    (dir_ / "redis.log").string()};
    if (tls_) {
        options.argv.insert(options.argv.end(),
                            {"--tls-port", std::to_string(tls_port_), "--tls-cert-file",
                             tls_->certificate_file, "--tls-key-file", tls_->private_key_file,
                             "--tls-ca-cert-file", tls_->ca_file, "--tls-auth-clients", "no"});
    }
    options.working_directory = dir_.path();
    process_ = ChildProcess::start(options);

    // Readiness: poll PING until PONG (the server needs a few milliseconds).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        if (!process_->running()) {
            throw std::runtime_error("redis-server exited at start-up: " + log_tail());
        }
        if (inline_request(host_, port_, "PING") == std::optional<std::string>("+PONG")) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    throw std::runtime_error("redis-server did not answer PING on port " + std::to_string(port_) +
                             ": " + log_tail());
}

void RedisServer::stop() {
    if (!process_) return;
    process_->send_signal(SIGCONT);
    process_->stop(SIGTERM, std::chrono::seconds(10));
    process_.reset();
}

void RedisServer::pause() {
    if (process_) process_->send_signal(SIGSTOP);
}

void RedisServer::resume() {
    if (process_) process_->send_signal(SIGCONT);
}

bool RedisServer::running() {
    return process_ && process_->running();
}

std::string RedisServer::command(const std::string& inline_command) {
    auto reply = inline_request(host_, port_, inline_command);
    if (!reply)
        throw std::runtime_error("redis-server on port " + std::to_string(port_) +
                                 " did not answer " + inline_command);
    return *reply;
}

std::string RedisServer::log_tail() const {
    std::ifstream log(dir_ / "redis.log");
    std::stringstream text;
    text << log.rdbuf();
    std::string all = text.str();
    return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
}

} // namespace switchboard::testing
