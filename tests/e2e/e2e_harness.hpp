// What the end-to-end tests drive: the real `switchboard` and `provider-sim` executables as
// child processes on free loopback ports, a real HTTP client (core/http's Beast client with
// retries off, so every request the test makes is exactly one request on the wire), and
// JWTs signed by PyJWT.
#pragma once

#include "core/http/beast_http_client.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <csignal>
#include <functional>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::e2e {

using nlohmann::json;

struct HttpResult {
    int status = 0;
    http::HttpHeaders headers;
    std::string body;

    json json_body() const;
    std::string header(std::string_view name) const; // case-insensitive; empty when absent
    std::string error_code() const;                  // error.code of an error body, or ""
};

// One request per call, no retries, no redirects followed. A fresh connection per request
// unless `keep_alive` (for tests that make thousands of requests).
class Client {
public:
    explicit Client(bool keep_alive = false);
    HttpResult request(const std::string& method, const std::string& url,
                       std::map<std::string, std::string> headers = {}, std::string body = {});
    HttpResult get(const std::string& url, std::map<std::string, std::string> headers = {}) {
        return request("GET", url, std::move(headers));
    }
    // The client itself, for what request() cannot do (bodies streamed with open()).
    http::BeastHttpClient& raw() { return *client_; }

private:
    std::unique_ptr<http::BeastHttpClient> client_;
};

// Writes `request` (raw bytes) to 127.0.0.1:`port`, half-closes nothing, and reads until the
// server closes or `timeout` passes; returns what came back. For what the HTTP client cannot
// send: a header announcing a body over the limit without sending it.
std::string raw_exchange(std::uint16_t port, const std::string& request,
                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

// The sum of the samples of metric `name` whose label set contains every `labels` entry
// (`key="value"`), in Prometheus text `exposition`; -1 when no sample matches.
double metric_value(const std::string& exposition, const std::string& name,
                    const std::vector<std::string>& labels = {});

// The query parameter `name` of `url`, percent-decoded; nullopt when absent.
std::optional<std::string> query_param(const std::string& url, const std::string& name);

// Waits until GET `url` answers 200, for at most `timeout`, while `alive` says the server
// process still runs. False on timeout or death.
bool wait_until_healthy(Client& client, const std::string& url,
                        const std::function<bool()>& alive,
                        std::chrono::milliseconds timeout = std::chrono::seconds(30));

// build-dev/bin/provider-sim on a free port, approving at once (--auto-approve).
class ProviderSim {
public:
    explicit ProviderSim(const std::filesystem::path& log_file);
    ~ProviderSim();

    std::string base_url() const { return base_url_; }                    // http://127.0.0.1:P
    std::string url(const std::string& path) const { return base_url_ + path; }
    std::uint16_t port() const { return port_; }

    json admin(const std::string& method, const std::string& path, const json& body = nullptr);
    // GET /_admin/counters .calls[method_id], 0 when absent.
    int calls(const std::string& method_id);
    void set_auto_approve(bool on);

private:
    std::uint16_t port_ = 0;
    std::string base_url_;
    std::optional<testing::ChildProcess> process_;
    Client client_;
};

// `switchboard serve` with `config` (written to <dir>/switchboard.json) and `environment`.
class Host {
public:
    // Starts the host on `port` (0: a free one); it is healthy when this returns (throws,
    // with its log, if it exits or does not answer /healthz within 30 s).
    Host(const std::filesystem::path& dir, const json& config, std::vector<std::string> environment,
         std::uint16_t port = 0);
    ~Host();

    std::string url(const std::string& path) const { return base_url_ + path; }
    std::uint16_t port() const { return port_; }
    pid_t pid() const { return process_->pid(); }
    std::string log() const;
    testing::ExitStatus stop(int signal = SIGTERM);

    // Runs `switchboard serve` to its end (a start-up failure): exit status and log.
    static std::pair<testing::ExitStatus, std::string> run_to_exit(
        const std::filesystem::path& dir, const json& config, std::vector<std::string> environment);

private:
    std::filesystem::path log_file_;
    std::uint16_t port_ = 0;
    std::string base_url_;
    std::optional<testing::ChildProcess> process_;
};

// The four shipped providers, each pointed at `sim` through the config's overrides.
json provider_overrides(const ProviderSim& sim);

// A fresh Fernet key (CONNECTOR_ENCRYPTION_KEY's value).
std::string new_encryption_key();

// The simulator's OAuth clients, as the environment gives them to the host.
std::vector<std::string> sim_client_credentials();

// Tokens from tests/e2e/jwt_tool.py (PyJWT). `requests` are its JSON lines.
std::vector<std::string> pyjwt_sign(const std::vector<json>& requests);
void pyjwt_keygen(const std::filesystem::path& dir);

std::string read_file(const std::filesystem::path& path);

} // namespace switchboard::e2e
