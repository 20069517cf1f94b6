// Accepts connections and starts an HttpSession, on a strand of its own, for each.
#pragma once

#include "core/common/error.hpp"
#include "host/server/session_context.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/error.hpp>

#include <memory>

namespace switchboard::server {

class Listener : public std::enable_shared_from_this<Listener> {
public:
    Listener(boost::asio::io_context& io_context, SessionContext& context);

    // Binds and listens now, so that the port is known (and taken) before run().
    Result<boost::asio::ip::tcp::endpoint> open(const boost::asio::ip::tcp::endpoint& endpoint);

    // Starts accepting. Thread-safe.
    void run();
    // Stops accepting and closes the listening socket. Thread-safe.
    void stop();

private:
    void accept();
    void on_accept(boost::beast::error_code ec, boost::asio::ip::tcp::socket socket);

    boost::asio::io_context& io_context_;
    SessionContext& context_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer backoff_;
    bool stopped_ = false;
};

} // namespace switchboard::server
