// The HttpClient on Boost.Beast, Asio and OpenSSL: TLS with certificate and host-name
// verification, keep-alive connections pooled per host, timeouts, bounded retries with
// backoff, and metrics through an observer.
#pragma once

#include "core/common/error.hpp"
#include "core/http/http_client.hpp"
#include "core/http/http_metrics_observer.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace switchboard::http {

struct BeastHttpClientOptions {
    // Resolving, connecting and the TLS handshake together.
    std::chrono::milliseconds connect_timeout{5000};
    // Writing the request and reading the whole response, per attempt.
    std::chrono::milliseconds read_timeout{30000};
    // Every attempt and every wait of one send() together.
    std::chrono::milliseconds total_deadline{60000};

    int max_attempts = 4; // 1 disables retries
    std::chrono::milliseconds base_backoff{250};
    std::chrono::milliseconds max_backoff{8000};

    // Idle keep-alive connections kept per (scheme, host, port); 0 disables reuse.
    std::size_t max_idle_connections_per_host = 8;
    std::chrono::milliseconds idle_expiry{30000};

    std::size_t max_response_body_bytes = 16 * 1024 * 1024;
    std::size_t max_response_header_bytes = 64 * 1024;

    // Trust anchors: the system store, plus this PEM file if not empty (for tests and
    // private CAs). A missing or unreadable file fails create().
    bool use_system_ca_store = true;
    std::string extra_ca_file;

    // Plain http:// is refused except to loopback hosts, and to those only when this is on
    // (the provider simulator). Never on for a real provider.
    bool allow_plain_http_loopback = false;

    int io_threads = 1;
    std::string user_agent = "switchboard/0.1";

    std::shared_ptr<HttpMetricsObserver> metrics; // may be null

    // Injectable for tests: how to wait between attempts (default: sleep the thread), and
    // the uniform [0, 1) draw for the backoff jitter (default: a per-thread PRNG).
    std::function<void(std::chrono::milliseconds)> sleep;
    std::function<double()> unit_random;
};

// Counters for tests and diagnostics.
struct HttpPoolStats {
    std::size_t connections_opened = 0;
    std::size_t connections_reused = 0;
    std::size_t idle_connections = 0;
};

class BeastHttpClient final : public HttpClient {
public:
    // Builds the TLS context and starts the I/O threads. Errors: invalid_input when an
    // option is out of range or the extra CA file cannot be loaded.
    static Result<std::unique_ptr<BeastHttpClient>> create(BeastHttpClientOptions options);

    ~BeastHttpClient() override;
    BeastHttpClient(const BeastHttpClient&) = delete;
    BeastHttpClient& operator=(const BeastHttpClient&) = delete;

    // [thread-safe] See HttpClient::send. Blocks the calling thread, which must not be one
    // of this client's I/O threads.
    Result<HttpResponse> send(const HttpRequest& request, const RequestOptions& options) override;

    // [thread-safe] See HttpClient::open. The returned stream must be destroyed before this
    // client.
    Result<std::unique_ptr<ResponseStream>> open(const StreamedRequest& request,
                                                 const RequestOptions& options) override;

    HttpPoolStats pool_stats() const;

private:
    struct Impl;
    explicit BeastHttpClient(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace switchboard::http
