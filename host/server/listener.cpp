#include "host/server/listener.hpp"

#include "host/server/fail.hpp"
#include "host/server/http_session.hpp"
#include "host/server/tls_credentials.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include <chrono>
#include <string>

namespace switchboard::server {

namespace net = boost::asio;
using tcp = net::ip::tcp;

Listener::Listener(net::io_context& io_context, SessionContext& context)
    : io_context_(io_context), context_(context), acceptor_(net::make_strand(io_context)),
      backoff_(acceptor_.get_executor()) {}

Result<tcp::endpoint> Listener::open(const tcp::endpoint& endpoint) {
    boost::beast::error_code ec;
    const auto failed = [&](const char* step) {
        return Error(ErrorKind::unavailable, "listen_failed",
                     "cannot " + std::string(step) + " " + endpoint.address().to_string() + ":" +
                         std::to_string(endpoint.port()) + ": " + ec.message());
    };
    acceptor_.open(endpoint.protocol(), ec);
    if (ec) {
        return failed("open a socket for");
    }
    acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (ec) {
        return failed("set SO_REUSEADDR on");
    }
    acceptor_.bind(endpoint, ec);
    if (ec) {
        return failed("bind");
    }
    acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
        return failed("listen on");
    }
    const auto bound = acceptor_.local_endpoint(ec);
    if (ec) {
        return failed("read the address of");
    }
    return bound;
}

void Listener::run() {
    net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] { self->accept(); });
}

void Listener::stop() {
    net::dispatch(acceptor_.get_executor(), [self = shared_from_this()] {
        self->stopped_ = true;
        boost::beast::error_code ec;
        self->acceptor_.close(ec);
        self->backoff_.cancel();
    });
}

void Listener::accept() {
    if (stopped_) {
        return;
    }
    // Each connection gets its own strand: its handlers never run concurrently.
    acceptor_.async_accept(net::make_strand(io_context_),
                           boost::beast::bind_front_handler(&Listener::on_accept,
                                                            shared_from_this()));
}

void Listener::on_accept(boost::beast::error_code ec, tcp::socket socket) {
    if (stopped_) {
        return; // the socket, if any, closes with it
    }
    if (ec) {
        fail(ec, "accept");
        // Out of descriptors, typically: pause instead of spinning on the same error.
        backoff_.expires_after(std::chrono::milliseconds(50));
        backoff_.async_wait([self = shared_from_this()](boost::beast::error_code wait_ec) {
            if (!wait_ec) {
                self->accept();
            }
        });
        return;
    }
    if (context_.tls) {
        // The certificate current now, even if a reload replaces it during the handshake.
        std::make_shared<HttpSession>(SessionStream(std::move(socket), context_.tls->current()),
                                      context_)
            ->run();
    } else {
        std::make_shared<HttpSession>(SessionStream(std::move(socket)), context_)->run();
    }
    accept();
}

} // namespace switchboard::server
