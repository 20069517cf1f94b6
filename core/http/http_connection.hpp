// One client connection (plain TCP or TLS over TCP) with its read buffer. Internal to the
// HTTP client: owned by one send() at a time or by the pool, used only on its strand.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <optional>

namespace switchboard::http {

class HttpConnection {
public:
    using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

    // `tls_context` is null for a plain connection; otherwise it must outlive this object.
    HttpConnection(Strand strand, boost::asio::ssl::context* tls_context);

    const Strand& strand() const noexcept { return strand_; }
    boost::beast::tcp_stream& tcp() noexcept;
    bool is_tls() const noexcept { return tls_.has_value(); }
    boost::beast::ssl_stream<boost::beast::tcp_stream>& tls() noexcept { return *tls_; }
    boost::beast::flat_buffer& buffer() noexcept { return buffer_; }

    bool connected = false;
    std::chrono::steady_clock::time_point idle_since{};

    // Whether an idle connection still looks usable: the peer has not closed it and, for
    // plain HTTP, has not sent unsolicited bytes. A non-blocking peek; no Asio state is
    // touched, so it may run off the strand while the connection is idle.
    bool looks_alive() noexcept;

private:
    Strand strand_;
    std::optional<boost::beast::tcp_stream> plain_;
    std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> tls_;
    boost::beast::flat_buffer buffer_;
};

} // namespace switchboard::http
