#include "host/server/server.hpp"

#include "host/server/builtin_routes.hpp"
#include "host/server/listener.hpp"
#include "host/server/tls_credentials.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <thread>
#include <vector>

namespace switchboard::server {

namespace net = boost::asio;

namespace {

std::shared_ptr<prometheus::Registry> or_new(std::shared_ptr<prometheus::Registry> registry) {
    return registry ? std::move(registry) : std::make_shared<prometheus::Registry>();
}

} // namespace

// The operator's routes (/readyz, /metrics) are few and quick; one thread and a short queue
// keep them answering beside a saturated worker pool, and cannot be flooded into memory.
constexpr unsigned operations_threads = 1;
constexpr std::size_t operations_queue_limit = 16;

Server::Server(ServerOptions options, std::shared_ptr<prometheus::Registry> registry)
    : options_(std::move(options)), registry_(or_new(std::move(registry))), metrics_(*registry_),
      cors_(options_.cors),
      connections_(std::max<std::size_t>(1, options_.max_connections),
                   options_.max_connections_per_address),
      io_context_(static_cast<int>(std::max(1u, options_.io_threads))),
      workers_(options_.worker_threads, options_.worker_queue_limit),
      operations_(operations_threads, operations_queue_limit),
      context_{options_, router_, cors_, metrics_, workers_, operations_, connections_,
               /*capped=*/true, /*tls=*/nullptr},
      metrics_context_{options_, metrics_router_, cors_, metrics_, workers_, operations_,
                       connections_, /*capped=*/false, /*tls=*/nullptr},
      strand_(net::make_strand(io_context_)), grace_timer_(strand_),
      listener_(std::make_shared<Listener>(io_context_, context_)) {
    options_.pipeline_limit = std::max<std::size_t>(1, options_.pipeline_limit);
    add_health_route(router_);
    if (options_.metrics_endpoint) {
        add_metrics_route(metrics_router_, registry_);
        metrics_listener_ = std::make_shared<Listener>(io_context_, metrics_context_);
    } else {
        add_metrics_route(router_, registry_);
    }
    // Sessions leave from their destructors, on any thread; the last one ends the grace wait.
    connections_.set_on_empty([this] {
        net::post(strand_, [this] {
            if (stopping_) {
                grace_timer_.cancel();
            }
        });
    });
}

Server::~Server() {
    connections_.set_on_empty(nullptr);
    workers_.join();
    operations_.join();
}

Result<net::ip::tcp::endpoint> Server::open(Listener& listener, const std::string& address,
                                            std::uint16_t port, std::string_view key) {
    boost::system::error_code ec;
    const auto ip = net::ip::make_address(address, ec);
    if (ec) {
        return Error(ErrorKind::invalid_input, "invalid_listen_address",
                     "listen address '" + address + "' is not an IP address", std::string(key));
    }
    return listener.open({ip, port});
}

Result<net::ip::tcp::endpoint> Server::listen() {
    if (listening_) {
        return net::ip::tcp::endpoint(net::ip::make_address(options_.address), port_);
    }
    if (options_.tls && !tls_) {
        auto credentials = TlsCredentials::load(*options_.tls);
        if (!credentials) {
            return credentials.error();
        }
        tls_ = *credentials;
        context_.tls = tls_;
    }
    auto bound = open(*listener_, options_.address, options_.port, "address");
    if (!bound) {
        return bound.error();
    }
    if (metrics_listener_) {
        auto metrics_bound = open(*metrics_listener_, options_.metrics_endpoint->address,
                                  options_.metrics_endpoint->port, "metrics_endpoint");
        if (!metrics_bound) {
            listener_->stop();
            return metrics_bound.error();
        }
        metrics_port_ = metrics_bound->port();
    }
    listening_ = true;
    port_ = bound->port();
    if (options_.handle_signals) {
        // Registered here rather than in run(): from the moment the port is taken, a SIGTERM
        // means "stop serving", never the default "die".
        signals_.emplace(io_context_, SIGINT, SIGTERM);
        signals_->async_wait([this](const boost::system::error_code& wait_ec, int signal) {
            if (!wait_ec) {
                spdlog::info("signal {} received, stopping", signal);
                stop();
            }
        });
        // On strand_, as begin_stop (which cancels it) is: the two never race.
        reload_signals_.emplace(strand_, SIGHUP);
        wait_for_reload_signal();
    }
    return *bound;
}

Result<void> Server::run() {
    if (ran_.exchange(true)) {
        return Error(ErrorKind::internal, "server_already_ran", "server run() called twice");
    }
    auto bound = listen();
    if (!bound) {
        return bound.error();
    }
    listener_->run();
    spdlog::info("listening on {}:{}", bound->address().to_string(), bound->port());
    if (metrics_listener_) {
        metrics_listener_->run();
        spdlog::info("serving /metrics on {}:{}", options_.metrics_endpoint->address,
                     metrics_port_);
    }

    const unsigned threads = std::max(1u, options_.io_threads);
    std::vector<std::thread> io_threads;
    io_threads.reserve(threads - 1);
    for (unsigned i = 1; i < threads; ++i) {
        io_threads.emplace_back([this] { io_context_.run(); });
    }
    io_context_.run();
    for (auto& thread : io_threads) {
        thread.join();
    }
    // Handlers still running hold resources the caller is about to destroy: wait for them.
    workers_.join();
    operations_.join();
    spdlog::info("server stopped");
    return {};
}

void Server::wait_for_reload_signal() {
    reload_signals_->async_wait([this](const boost::system::error_code& ec, int) {
        if (ec) {
            return; // stopping
        }
        if (!tls_) {
            spdlog::info("SIGHUP received: nothing to reload (server.tls is not set)");
        } else {
            spdlog::info("SIGHUP received, reloading the TLS certificate and key");
            (void)reload_tls(); // logged either way
        }
        wait_for_reload_signal();
    });
}

Result<void> Server::reload_tls() {
    if (!tls_) {
        return Error(ErrorKind::unsupported, "tls_not_configured",
                     "the server has no TLS certificate to reload (server.tls is not set)");
    }
    auto reloaded = tls_->reload();
    if (!reloaded) {
        spdlog::error("TLS certificate reload failed, still serving the previous certificate: "
                      "{}",
                      reloaded.error().message);
        return reloaded;
    }
    spdlog::info("TLS certificate and key reloaded from {}",
                 options_.tls->certificate_file.string());
    return {};
}

void Server::stop() {
    net::post(strand_, [this] { begin_stop(); });
}

void Server::begin_stop() {
    if (stopping_) {
        return;
    }
    stopping_ = true;
    if (signals_) {
        boost::system::error_code ec;
        signals_->cancel(ec);
    }
    if (reload_signals_) {
        boost::system::error_code ec;
        reload_signals_->cancel(ec);
    }
    listener_->stop();
    if (metrics_listener_) {
        metrics_listener_->stop();
    }
    connections_.shutdown_all();
    if (connections_.size() == 0) {
        return;
    }
    grace_timer_.expires_after(options_.shutdown_grace);
    grace_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (ec) {
            return; // every connection finished in time
        }
        spdlog::warn("shutdown grace period over, closing {} connection(s)", connections_.size());
        connections_.close_all();
    });
}

} // namespace switchboard::server
