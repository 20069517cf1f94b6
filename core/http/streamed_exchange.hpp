// One attempt of a streamed exchange (HttpClient::open) on one connection, as steps the
// calling thread runs one at a time on the connection's strand and waits for: the request
// header, the request body piece by piece (read from the caller's source between steps), the
// response header, the response body piece by piece. Internal to the HTTP client.
#pragma once

#include "core/http/http_connection.hpp"
#include "core/http/http_exchange.hpp"
#include "core/http/http_url.hpp"

#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/serializer.hpp>

#include <chrono>
#include <cstddef>
#include <optional>

namespace switchboard::http {

using StreamedBeastRequest = boost::beast::http::request<boost::beast::http::buffer_body>;

class StreamedExchange {
public:
    // `connection`, `target` and `request` must outlive the exchange; `request` is the header
    // to send (its framing set: Content-Length, chunked, or neither for no body).
    StreamedExchange(HttpConnection& connection, const HttpTarget& target,
                     StreamedBeastRequest& request, ExchangeLimits limits);
    StreamedExchange(const StreamedExchange&) = delete;
    StreamedExchange& operator=(const StreamedExchange&) = delete;

    // The steps; each returns false on failure, described by state(). The last failure or
    // success is there (error, phase, whether any of the request was written).
    bool connect();
    bool send_header();
    // With Expect: 100-continue: waits up to `wait` for the server's word. true when the
    // server accepted (100) or said nothing (send the body); false with answered() when it
    // already sent its final response (do not send the body); false otherwise on failure.
    bool await_continue(std::chrono::milliseconds wait);
    // A piece of the body; `size` 0 ends it.
    bool send_body(const char* data, std::size_t size);
    // Reads the response header, skipping interim (1xx) answers.
    bool receive_header();

    // Reads up to `size` bytes of the response body into `into`; 0 at its end. On failure
    // the error is in state().
    std::optional<std::size_t> receive_body(char* into, std::size_t size);

    const ExchangeResult& state() const noexcept { return state_; }
    bool answered() const noexcept { return answered_; }
    // The response, once its header arrived: status and headers (no body here).
    const HttpResponse& response() const noexcept { return state_.response; }
    std::optional<std::uint64_t> content_length() const;
    bool body_done() const;
    // Whether the connection may serve another request: the response said keep-alive and
    // was read whole, and the whole request went out.
    bool reusable() const;

private:
    using Parser = boost::beast::http::response_parser<boost::beast::http::buffer_body>;
    using Serializer = boost::beast::http::request_serializer<boost::beast::http::buffer_body>;

    void expire_in_read_timeout();
    void take_header();

    HttpConnection& connection_;
    const HttpTarget& target_;
    StreamedBeastRequest& request_;
    ExchangeLimits limits_;
    std::optional<Serializer> serializer_;
    std::optional<Parser> parser_;
    ExchangeResult state_;
    bool answered_ = false;     // the final response's header is in parser_
    bool request_done_ = false; // the request went out whole
};

} // namespace switchboard::http
