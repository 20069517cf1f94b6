#include "tests/provider_sim/server/listener.hpp"

#include "tests/provider_sim/server/http_session.hpp"

#include <boost/asio/strand.hpp>
#include <spdlog/spdlog.h>

namespace switchboard::sim {

Listener::Listener(boost::asio::io_context& ioc, const HttpServer::Handler& handler,
                   const HttpServer::Config& config)
    : ioc_(ioc), acceptor_(boost::asio::make_strand(ioc)), handler_(handler), config_(config) {}

void Listener::open(const boost::asio::ip::tcp::endpoint& endpoint, boost::beast::error_code& ec) {
    acceptor_.open(endpoint.protocol(), ec);
    if (ec) {
        return;
    }
    acceptor_.set_option(boost::asio::socket_base::reuse_address(true), ec);
    if (ec) {
        return;
    }
    acceptor_.bind(endpoint, ec);
    if (ec) {
        return;
    }
    acceptor_.listen(boost::asio::socket_base::max_listen_connections, ec);
}

std::uint16_t Listener::port() const {
    boost::beast::error_code ec;
    return acceptor_.local_endpoint(ec).port();
}

void Listener::run() { accept(); }

void Listener::close() {
    boost::asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
        boost::beast::error_code ec;
        self->acceptor_.close(ec);
    });
}

void Listener::accept() {
    acceptor_.async_accept(boost::asio::make_strand(ioc_),
                           [self = shared_from_this()](boost::beast::error_code ec,
                                                       boost::asio::ip::tcp::socket socket) {
                               if (ec == boost::asio::error::operation_aborted ||
                                   !self->acceptor_.is_open()) {
                                   return;
                               }
                               if (ec) {
                                   spdlog::warn("provider-sim: accept: {}", ec.message());
                               } else {
                                   std::make_shared<HttpSession>(std::move(socket),
                                                                 self->handler_, self->config_)
                                       ->run();
                               }
                               self->accept();
                           });
}

} // namespace switchboard::sim
