#include "core/http/transport_error.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>

#include <string>

namespace switchboard::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;

std::string phase_name(ExchangePhase phase) {
    switch (phase) {
    case ExchangePhase::resolve: return "resolving";
    case ExchangePhase::connect: return "connecting to";
    case ExchangePhase::tls_handshake: return "the TLS handshake with";
    case ExchangePhase::write: return "sending the request to";
    case ExchangePhase::read: return "reading the response from";
    case ExchangePhase::done: return "talking to";
    }
    return "talking to";
}

} // namespace

TransportFailure classify_transport_failure(const ExchangeResult& result, std::string_view host) {
    const auto& ec = result.error;
    const std::string where = phase_name(result.phase) + " " + std::string(host);
    const bool before_send = result.phase == ExchangePhase::resolve ||
                             result.phase == ExchangePhase::connect ||
                             result.phase == ExchangePhase::tls_handshake;
    TransportFailure out;
    out.request_may_have_been_sent = !before_send && result.request_written;

    if (ec == beast::error::timeout) {
        out.error = Error(ErrorKind::unavailable, "upstream_timeout", where + " timed out");
        out.retryable = true;
        return out;
    }
    if (ec == beast::http::error::body_limit) {
        out.error = Error(ErrorKind::upstream_failed, "upstream_response_too_large",
                          "the response body from " + std::string(host) +
                              " exceeds the configured limit");
        return out;
    }
    if (ec == beast::http::error::header_limit) {
        out.error = Error(ErrorKind::upstream_failed, "upstream_response_too_large",
                          "the response header from " + std::string(host) +
                              " exceeds the configured limit");
        return out;
    }
    switch (result.phase) {
    case ExchangePhase::resolve:
    case ExchangePhase::connect:
        out.error = Error(ErrorKind::unavailable, "upstream_connect_failed",
                          where + " failed: " + ec.message());
        out.retryable = true;
        return out;
    case ExchangePhase::tls_handshake:
        // Certificate problems do not fix themselves between attempts.
        out.error = Error(ErrorKind::unavailable, "upstream_tls_failed",
                          where + " failed: " + ec.message());
        out.retryable = ec.category() != asio::error::get_ssl_category();
        return out;
    default: break;
    }
    if (ec.category() == beast::http::make_error_code(beast::http::error::end_of_stream).category() &&
        ec != beast::http::error::end_of_stream && ec != beast::http::error::partial_message) {
        out.error = Error(ErrorKind::upstream_failed, "upstream_protocol_error",
                          where + " failed: the response is not valid HTTP/1.1 (" +
                              ec.message() + ")");
        out.retryable = true;
        return out;
    }
    out.error =
        Error(ErrorKind::unavailable, "upstream_io_failed", where + " failed: " + ec.message());
    out.retryable = true;
    return out;
}

bool is_stale_connection_failure(const ExchangeResult& result) noexcept {
    if (result.got_response_bytes) {
        return false;
    }
    if (result.phase != ExchangePhase::write && result.phase != ExchangePhase::read) {
        return false;
    }
    const auto& ec = result.error;
    return ec == beast::http::error::end_of_stream || ec == asio::error::eof ||
           ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
           ec == asio::error::connection_aborted || ec == asio::ssl::error::stream_truncated;
}

} // namespace switchboard::http
