// The byte stream under an HttpSession: the accepted TCP socket, or TLS over it. The session's
// code is written once for both: each Beast operation is called through visit(), which
// instantiates it for the stream at hand, and the few steps that differ (the handshake,
// waiting for a request) are here.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/stream_traits.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <memory>
#include <utility>
#include <variant>

namespace switchboard::server {

class SessionStream {
public:
    using Plain = boost::asio::ip::tcp::socket;
    using Tls = boost::beast::ssl_stream<boost::asio::ip::tcp::socket>;

    explicit SessionStream(Plain socket)
        : stream_(std::in_place_type<Plain>, std::move(socket)) {}
    // `context` is kept for as long as the connection: a reload may replace the server's.
    SessionStream(Plain socket, std::shared_ptr<boost::asio::ssl::context> context)
        : context_(std::move(context)), stream_(std::in_place_type<Tls>, std::move(socket), *context_) {}

    bool is_tls() const { return std::holds_alternative<Tls>(stream_); }

    // The TCP socket (under TLS, the one it runs over).
    Plain& socket() {
        return std::visit([](auto& s) -> Plain& { return boost::beast::get_lowest_layer(s); },
                          stream_);
    }

    Plain::executor_type get_executor() { return socket().get_executor(); }

    // Calls `f` with the stream (Plain& or Tls&).
    template <class F>
    decltype(auto) visit(F&& f) {
        return std::visit(std::forward<F>(f), stream_);
    }

    // The server's side of the TLS handshake; only when is_tls().
    template <class Handler>
    void async_handshake(Handler&& handler) {
        std::get<Tls>(stream_).async_handshake(boost::asio::ssl::stream_base::server,
                                               std::forward<Handler>(handler));
    }

    // Completes with (error_code) once a request has begun to arrive. Plain TCP only waits for
    // the socket to be readable; TLS must read (decrypt) to know, and puts what it read in
    // `buffer`, where the request's parser finds it.
    template <class Handler>
    void async_wait_readable(boost::beast::flat_buffer& buffer, Handler&& handler) {
        if (auto* plain = std::get_if<Plain>(&stream_)) {
            plain->async_wait(Plain::wait_read, std::forward<Handler>(handler));
            return;
        }
        constexpr std::size_t first_read = 4096;
        std::get<Tls>(stream_).async_read_some(
            buffer.prepare(first_read),
            [&buffer, handler = std::forward<Handler>(handler)](
                boost::system::error_code ec, std::size_t bytes) mutable {
                buffer.commit(bytes);
                handler(ec);
            });
    }

private:
    std::shared_ptr<boost::asio::ssl::context> context_; // outlives stream_
    std::variant<Plain, Tls> stream_;
};

} // namespace switchboard::server
