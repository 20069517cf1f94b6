// `switchboard serve` as a child process: a SQLite database, one API key, no plugins, on a
// free loopback port. For tests that must see the host from outside, as an operator does:
// its resident memory, its /proc entries, its log.
#pragma once

#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace switchboard::testing {

// The key ServeProcess's config accepts, for tenant "serve-tenant", user "serve-user".
inline constexpr const char* serve_api_key = "sb-serve-process-test-key-0123456789";

// Sends `request` (raw bytes; say `Connection: close`) to 127.0.0.1:`port` and returns all the
// server sent until it closed, or what arrived within `timeout`.
std::string raw_exchange(std::uint16_t port, const std::string& request,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

// The body of a raw HTTP/1.1 answer (what follows the blank line after its head).
std::string body_of(const std::string& answer);

// The status code of a raw HTTP/1.1 answer, 0 when it is none.
int status_of(const std::string& answer);

class ServeProcess {
public:
    // `server` is merged into the config's `server` section (listen and port are set here);
    // `extra` into the whole config. Throws std::runtime_error when the host does not answer
    // /healthz within 30 seconds, with the tail of its log. `ready` replaces the plain-HTTP
    // /healthz probe (an HTTPS host needs a TLS client).
    explicit ServeProcess(const nlohmann::json& server = nlohmann::json::object(),
                          const nlohmann::json& extra = nlohmann::json::object(),
                          std::function<bool(std::uint16_t)> ready = nullptr);
    ~ServeProcess();
    ServeProcess(const ServeProcess&) = delete;
    ServeProcess& operator=(const ServeProcess&) = delete;

    std::uint16_t port() const { return port_; }
    pid_t pid() const { return process_->pid(); }
    bool running() { return process_->running(); }
    // What the host wrote on stdout and stderr so far.
    std::string log() const;
    const std::filesystem::path& directory() const { return dir_.path(); }

    // From /proc/<pid>/status: resident set size now, and its peak (VmHWM), in bytes.
    std::uint64_t rss_bytes() const;
    std::uint64_t peak_rss_bytes() const;
    // The line of /proc/<pid>/status or /proc/<pid>/limits that starts with `prefix`.
    std::string proc_line(const std::string& file, const std::string& prefix) const;

    // SIGTERM, then the exit status.
    ExitStatus stop();

private:
    TempDir dir_{"sb-serve-"};
    std::uint16_t port_ = 0;
    std::filesystem::path log_file_;
    std::optional<ChildProcess> process_;
};

} // namespace switchboard::testing
