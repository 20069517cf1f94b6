#include "core/http/http_connection.hpp"

#include <cerrno>
#include <sys/socket.h>

namespace switchboard::http {

HttpConnection::HttpConnection(Strand strand, boost::asio::ssl::context* tls_context)
    : strand_(std::move(strand)) {
    if (tls_context != nullptr) {
        tls_.emplace(strand_, *tls_context);
    } else {
        plain_.emplace(strand_);
    }
    // Beast reads as much as the buffer has room for beyond its contents (at least 512 bytes,
    // at most 64 KB): an empty buffer made every read of a body about 500 bytes.
    buffer_.reserve(64 * 1024);
}

boost::beast::tcp_stream& HttpConnection::tcp() noexcept {
    return tls_ ? boost::beast::get_lowest_layer(*tls_) : *plain_;
}

bool HttpConnection::looks_alive() noexcept {
    if (!connected || buffer_.size() != 0) {
        return false;
    }
    auto& socket = tcp().socket();
    if (!socket.is_open()) {
        return false;
    }
    char byte = 0;
    const auto n = ::recv(socket.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    if (n == 0) {
        return false; // the server closed it
    }
    if (n < 0) {
        return errno == EAGAIN || errno == EWOULDBLOCK;
    }
    // Pending bytes: on TLS these may be session tickets (TLS 1.3 sends them after the
    // handshake), which the next read consumes; on plain HTTP nothing may arrive unasked.
    return tls_.has_value();
}

} // namespace switchboard::http
