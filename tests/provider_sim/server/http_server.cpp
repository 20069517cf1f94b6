#include "tests/provider_sim/server/http_server.hpp"

#include "tests/provider_sim/server/listener.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include <thread>
#include <vector>

namespace switchboard::sim {

struct HttpServer::Impl {
    // Declared before the io_context: sessions destroyed with the io_context still refer
    // to them.
    Config config;
    Handler handler;
    boost::asio::io_context ioc;
    std::shared_ptr<Listener> listener;
    std::vector<std::thread> threads;
    bool stopped = false;

    Impl(Config c, Handler h) : config(std::move(c)), handler(std::move(h)), ioc(config.threads) {}
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { stop(); }

Result<std::unique_ptr<HttpServer>> HttpServer::start(Config config, Handler handler) {
    auto impl = std::make_unique<Impl>(std::move(config), std::move(handler));
    boost::beast::error_code ec;
    const auto address = boost::asio::ip::make_address(impl->config.address, ec);
    if (ec) {
        return Error(ErrorKind::invalid_input, "invalid_bind_address",
                     "cannot parse the bind address '" + impl->config.address + "'");
    }
    impl->listener = std::make_shared<Listener>(impl->ioc, impl->handler, impl->config);
    impl->listener->open({address, impl->config.port}, ec);
    if (ec) {
        return Error(ErrorKind::unavailable, "bind_failed",
                     "cannot listen on " + impl->config.address + ":" +
                         std::to_string(impl->config.port) + ": " + ec.message());
    }
    impl->listener->run();
    const int threads = impl->config.threads < 1 ? 1 : impl->config.threads;
    for (int i = 0; i < threads; ++i) {
        impl->threads.emplace_back([ioc = &impl->ioc] { ioc->run(); });
    }
    return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

std::uint16_t HttpServer::port() const { return impl_->listener->port(); }

void HttpServer::stop() {
    if (!impl_ || impl_->stopped) {
        return;
    }
    impl_->stopped = true;
    impl_->listener->close();
    impl_->ioc.stop();
    for (auto& t : impl_->threads) {
        if (t.joinable()) {
            t.join();
        }
    }
}

} // namespace switchboard::sim
