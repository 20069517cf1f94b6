// One attempt: connect if needed, send the request, read the response. Internal to the
// HTTP client; runs as a coroutine on the connection's strand.
#pragma once

#include "core/http/http_connection.hpp"
#include "core/http/http_message.hpp"
#include "core/http/http_url.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstddef>

namespace switchboard::http {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;

enum class ExchangePhase { resolve, connect, tls_handshake, write, read, done };

struct ExchangeLimits {
    std::chrono::steady_clock::time_point connect_deadline; // resolve, connect, TLS
    std::chrono::milliseconds read_timeout{0};              // write and read, from connected
    std::chrono::steady_clock::time_point deadline;         // bounds both
    std::size_t max_body_bytes = 0;
    std::uint32_t max_header_bytes = 0;
    bool loopback_only = false; // plain http: connect to loopback addresses only
};

struct ExchangeResult {
    boost::system::error_code error; // empty on success
    ExchangePhase phase = ExchangePhase::resolve; // where it failed, or done
    // Some of the request reached the socket: the server may have read, even acted on, it.
    // False when the write failed before a byte went out (the request provably never left).
    bool request_written = false;
    bool got_response_bytes = false;
    bool keep_alive = false;
    HttpResponse response;
};

// Resolves, connects and (https) completes the TLS handshake of `connection` unless it is
// connected already; a failure is left in `result` (error and phase). Every reference must
// stay valid until the returned awaitable completes.
boost::asio::awaitable<void> connect_if_needed(HttpConnection& connection,
                                               const HttpTarget& target,
                                               const ExchangeLimits& limits,
                                               ExchangeResult& result);

// Every reference must stay valid until the returned awaitable completes.
boost::asio::awaitable<ExchangeResult> exchange(HttpConnection& connection,
                                                const HttpTarget& target,
                                                const BeastRequest& request,
                                                ExchangeLimits limits);

} // namespace switchboard::http
