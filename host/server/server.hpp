// The HTTP server the REST API runs on: N I/O threads on one io_context, a bounded worker pool
// for route handlers and a small one for the operator's routes, /healthz and /metrics built in
// (/metrics on a listener of its own when options.metrics_endpoint is set), caps on
// connections, graceful stop on SIGINT/SIGTERM or stop(), HTTPS when options.tls is set (its
// certificate and key reloaded on SIGHUP or reload_tls()).
//
//   Server server(options);
//   server.router().add(http::verb::get, "/api/v1/connectors/{id}", get_connector);
//   if (auto bound = server.listen(); !bound) { ... }  // optional: run() listens if needed
//   auto result = server.run();                        // blocks until stopped
#pragma once

#include "core/common/error.hpp"
#include "host/server/connection_registry.hpp"
#include "host/server/cors_policy.hpp"
#include "host/server/http_metrics.hpp"
#include "host/server/router.hpp"
#include "host/server/server_options.hpp"
#include "host/server/session_context.hpp"
#include "host/server/work_queue.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <prometheus/registry.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

namespace switchboard::server {

class Listener;
class TlsCredentials;

class Server {
public:
    // `registry` is the process's metrics registry, shared with the rest of the application;
    // a new one is made when none is given.
    explicit Server(ServerOptions options,
                    std::shared_ptr<prometheus::Registry> registry = nullptr);
    // Call only once run() has returned (or was never called).
    ~Server();

    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Routes are added before listen()/run(); the router is read-only while serving.
    // GET /healthz and (unless the metrics have an endpoint of their own) GET /metrics are
    // already there.
    Router& router() { return router_; }

    // The registry /metrics serialises; other modules add their families to it.
    const std::shared_ptr<prometheus::Registry>& metrics_registry() const { return registry_; }

    // Binds and listens; the answer is the bound endpoint (the real port when options.port
    // was 0). An address that does not parse is invalid_input; a bind failure is
    // unavailable `listen_failed`; TLS files that cannot be used are invalid_input
    // `invalid_tls_config` (tls_credentials.hpp), checked before the port is taken.
    Result<boost::asio::ip::tcp::endpoint> listen();
    // The bound port, 0 before listen().
    std::uint16_t port() const { return port_; }
    // The bound port of the metrics endpoint, 0 before listen() or when there is none.
    std::uint16_t metrics_port() const { return metrics_port_; }

    // Listens if listen() was not called, serves until stopped, and returns once every
    // connection is closed and every running handler has returned. Call once.
    // A handler that never returns keeps run() from returning: handlers bound their own work.
    Result<void> run();

    // Stops accepting, lets requests in flight finish for up to options.shutdown_grace, closes
    // idle keep-alive connections at once and the rest when the grace period ends. Thread-safe,
    // may be called before run() and more than once.
    void stop();

    // Reads options.tls's certificate and key files again: connections accepted from now on
    // use them, open ones keep theirs. On failure (logged, and returned) the old ones stay.
    // Without options.tls, unsupported `tls_not_configured`. Thread-safe; valid after listen().
    Result<void> reload_tls();

private:
    void wait_for_reload_signal();
    void begin_stop();
    Result<boost::asio::ip::tcp::endpoint> open(Listener& listener, const std::string& address,
                                                std::uint16_t port, std::string_view key);

    ServerOptions options_;
    std::shared_ptr<prometheus::Registry> registry_;
    HttpMetrics metrics_;
    Router router_;
    Router metrics_router_; // served on options_.metrics_endpoint, when set
    CorsPolicy cors_;
    ConnectionRegistry connections_;
    boost::asio::io_context io_context_;
    WorkQueue workers_;
    WorkQueue operations_;
    SessionContext context_;
    SessionContext metrics_context_;
    boost::asio::strand<boost::asio::io_context::executor_type> strand_;
    boost::asio::steady_timer grace_timer_;
    std::optional<boost::asio::signal_set> signals_;
    std::optional<boost::asio::signal_set> reload_signals_; // SIGHUP
    std::shared_ptr<TlsCredentials> tls_;
    std::shared_ptr<Listener> listener_;
    std::shared_ptr<Listener> metrics_listener_; // null without options_.metrics_endpoint
    std::uint16_t port_ = 0;
    std::uint16_t metrics_port_ = 0;
    bool listening_ = false;
    bool stopping_ = false; // on strand_
    std::atomic<bool> ran_{false};
};

} // namespace switchboard::server
