#include "core/http/http_exchange.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/ssl.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>

namespace switchboard::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

bool is_ip_literal(const std::string& host) {
    boost::system::error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

// Resolves with a deadline: Asio's resolver has none of its own, so a timer cancels it.
asio::awaitable<std::pair<boost::system::error_code, tcp::resolver::results_type>>
resolve(const HttpTarget& target, Clock::time_point deadline) {
    auto executor = co_await asio::this_coro::executor;
    // Shared with the timer's handler, which may run after this frame is gone.
    auto resolver = std::make_shared<tcp::resolver>(executor);
    auto timer = std::make_shared<asio::steady_timer>(executor, deadline);
    timer->async_wait([weak = std::weak_ptr<tcp::resolver>(resolver)](
                          boost::system::error_code ec) {
        if (!ec) {
            if (auto alive = weak.lock()) {
                alive->cancel();
            }
        }
    });
    auto [ec, results] =
        co_await resolver->async_resolve(target.host, std::to_string(target.port), use_tuple);
    timer->cancel();
    if (ec == asio::error::operation_aborted && Clock::now() >= deadline) {
        ec = beast::error::timeout;
    }
    co_return std::pair{ec, std::move(results)};
}

template <class Stream>
asio::awaitable<void> write_and_read(Stream& stream, HttpConnection& connection,
                                     const BeastRequest& request, const ExchangeLimits& limits,
                                     ExchangeResult& result) {
    connection.tcp().expires_at(std::min(limits.deadline, Clock::now() + limits.read_timeout));
    result.phase = ExchangePhase::write;
    auto [write_error, written] = co_await beast::http::async_write(stream, request, use_tuple);
    result.request_written = written > 0;
    if (write_error) {
        result.error = write_error;
        co_return;
    }

    result.phase = ExchangePhase::read;
    beast::http::response_parser<beast::http::string_body> parser;
    parser.body_limit(limits.max_body_bytes);
    parser.header_limit(limits.max_header_bytes);
    if (request.method() == beast::http::verb::head) {
        parser.skip(true);
    }
    auto [read_error, read] =
        co_await beast::http::async_read(stream, connection.buffer(), parser, use_tuple);
    (void)read;
    result.got_response_bytes = parser.got_some();
    if (read_error) {
        result.error = read_error;
        co_return;
    }
    connection.tcp().expires_never();

    auto message = parser.release();
    result.phase = ExchangePhase::done;
    result.keep_alive = message.keep_alive();
    result.response.status = static_cast<int>(message.result_int());
    result.response.headers.reserve(static_cast<std::size_t>(
        std::distance(message.begin(), message.end())));
    for (const auto& field : message) {
        result.response.headers.emplace_back(lower(field.name_string()),
                                             std::string(field.value()));
    }
    result.response.body = std::move(message.body());
}

} // namespace

asio::awaitable<void> connect_if_needed(HttpConnection& connection, const HttpTarget& target,
                                        const ExchangeLimits& limits, ExchangeResult& result) {
    if (!connection.connected) {
        result.phase = ExchangePhase::resolve;
        auto [resolve_error, endpoints] = co_await resolve(target, limits.connect_deadline);
        if (resolve_error) {
            result.error = resolve_error;
            co_return;
        }
        std::vector<tcp::endpoint> candidates;
        for (const auto& entry : endpoints) {
            if (!limits.loopback_only || entry.endpoint().address().is_loopback()) {
                candidates.push_back(entry.endpoint());
            }
        }
        result.phase = ExchangePhase::connect;
        if (candidates.empty()) {
            result.error = asio::error::host_not_found;
            co_return;
        }
        connection.tcp().expires_at(limits.connect_deadline);
        auto [connect_error, endpoint] =
            co_await connection.tcp().async_connect(candidates, use_tuple);
        (void)endpoint;
        if (connect_error) {
            result.error = connect_error;
            co_return;
        }
        boost::system::error_code ignored;
        connection.tcp().socket().set_option(tcp::no_delay(true), ignored);

        if (connection.is_tls()) {
            result.phase = ExchangePhase::tls_handshake;
            auto& tls = connection.tls();
            // SNI carries host names only (RFC 6066 section 3), never an address.
            if (!is_ip_literal(target.host) &&
                !SSL_set_tlsext_host_name(tls.native_handle(), target.host.c_str())) {
                result.error = boost::system::error_code(
                    static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category());
                co_return;
            }
            tls.set_verify_mode(asio::ssl::verify_peer);
            tls.set_verify_callback(asio::ssl::host_name_verification(target.host));
            auto [handshake_error] =
                co_await tls.async_handshake(asio::ssl::stream_base::client, use_tuple);
            if (handshake_error) {
                result.error = handshake_error;
                co_return;
            }
        }
        connection.connected = true;
    }
}

asio::awaitable<ExchangeResult> exchange(HttpConnection& connection, const HttpTarget& target,
                                         const BeastRequest& request, ExchangeLimits limits) {
    ExchangeResult result;
    co_await connect_if_needed(connection, target, limits, result);
    if (result.error) {
        co_return result;
    }
    if (connection.is_tls()) {
        co_await write_and_read(connection.tls(), connection, request, limits, result);
    } else {
        co_await write_and_read(connection.tcp(), connection, request, limits, result);
    }
    co_return result;
}

} // namespace switchboard::http
