// Accepts connections and starts an HttpSession on its own strand for each.
#pragma once

#include "tests/provider_sim/server/http_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/error.hpp>

#include <memory>

namespace switchboard::sim {

class Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(boost::asio::io_context& ioc, const HttpServer::Handler& handler,
             const HttpServer::Config& config);

    // Opens, binds and listens; `ec` says why it could not.
    void open(const boost::asio::ip::tcp::endpoint& endpoint, boost::beast::error_code& ec);
    std::uint16_t port() const;
    void run();
    void close();

private:
    void accept();

    boost::asio::io_context& ioc_;
    boost::asio::ip::tcp::acceptor acceptor_;
    const HttpServer::Handler& handler_;
    const HttpServer::Config& config_;
};

} // namespace switchboard::sim
