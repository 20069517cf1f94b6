#include "core/http/streamed_exchange.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <algorithm>
#include <cctype>
#include <memory>

namespace switchboard::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using Clock = std::chrono::steady_clock;

constexpr auto streamed_use_tuple = asio::as_tuple(asio::use_awaitable);

std::string lower_case(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool is_interim(unsigned status) {
    return status >= 100 && status < 200 && status != 101;
}

// Runs `step(stream)` on the connection's strand, with the plain or the TLS stream, and waits.
template <class Step>
void on_strand(HttpConnection& connection, Step step) {
    asio::co_spawn(
        connection.strand(),
        [&connection, &step]() -> asio::awaitable<void> {
            if (connection.is_tls()) {
                co_await step(connection.tls());
            } else {
                co_await step(connection.tcp());
            }
        },
        asio::use_future)
        .get();
}

} // namespace

StreamedExchange::StreamedExchange(HttpConnection& connection, const HttpTarget& target,
                                   StreamedBeastRequest& request, ExchangeLimits limits)
    : connection_(connection), target_(target), request_(request), limits_(limits) {}

void StreamedExchange::expire_in_read_timeout() {
    connection_.tcp().expires_at(std::min(limits_.deadline, Clock::now() + limits_.read_timeout));
}

bool StreamedExchange::connect() {
    asio::co_spawn(connection_.strand(),
                   connect_if_needed(connection_, target_, limits_, state_), asio::use_future)
        .get();
    return !state_.error;
}

bool StreamedExchange::send_header() {
    state_.phase = ExchangePhase::write;
    serializer_.emplace(request_);
    on_strand(connection_, [this](auto& stream) -> asio::awaitable<void> {
        expire_in_read_timeout();
        auto [ec, written] = co_await beast::http::async_write_header(stream, *serializer_, streamed_use_tuple);
        if (written > 0) {
            state_.request_written = true;
        }
        state_.error = ec;
    });
    return !state_.error;
}

bool StreamedExchange::await_continue(std::chrono::milliseconds wait) {
    state_.phase = ExchangePhase::read;
    parser_.emplace();
    parser_->body_limit(limits_.max_body_bytes);
    parser_->header_limit(limits_.max_header_bytes);
    bool quiet = false; // the server said nothing within `wait`
    on_strand(connection_, [this, wait, &quiet](auto& stream) -> asio::awaitable<void> {
        expire_in_read_timeout();
        // The wait is short, and ends the read without closing the connection: the body goes.
        // Both run on the strand: once the read is over, a late timer touches nothing.
        struct Race {
            bool fired = false;
            bool over = false;
        };
        auto race = std::make_shared<Race>();
        asio::steady_timer timer(co_await asio::this_coro::executor,
                                 std::min(limits_.deadline, Clock::now() + wait));
        timer.async_wait([this, race](boost::system::error_code ec) {
            if (!ec && !race->over) {
                race->fired = true;
                boost::system::error_code ignored;
                connection_.tcp().socket().cancel(ignored);
            }
        });
        auto [ec, read] =
            co_await beast::http::async_read_header(stream, connection_.buffer(), *parser_, streamed_use_tuple);
        (void)read;
        race->over = true;
        timer.cancel();
        quiet = race->fired && ec == asio::error::operation_aborted;
        state_.error = quiet ? boost::system::error_code() : ec;
    });
    if (quiet) {
        parser_.reset();
        return true;
    }
    if (state_.error) {
        return false;
    }
    if (is_interim(parser_->get().result_int())) {
        parser_.reset();
        return true;
    }
    take_header(); // a final answer before the body: the server will not take it
    answered_ = true;
    return false;
}

bool StreamedExchange::send_body(const char* data, std::size_t size) {
    state_.phase = ExchangePhase::write;
    auto& body = request_.body();
    body.data = size == 0 ? nullptr : const_cast<char*>(data);
    body.size = size;
    body.more = size != 0;
    on_strand(connection_, [this](auto& stream) -> asio::awaitable<void> {
        expire_in_read_timeout();
        auto [ec, written] = co_await beast::http::async_write(stream, *serializer_, streamed_use_tuple);
        if (written > 0) {
            state_.request_written = true;
        }
        state_.error = ec == beast::http::error::need_buffer ? boost::system::error_code() : ec;
    });
    if (!state_.error && size == 0) {
        request_done_ = serializer_->is_done();
    }
    return !state_.error;
}

bool StreamedExchange::receive_header() {
    if (answered_) {
        return true;
    }
    state_.phase = ExchangePhase::read;
    do {
        parser_.emplace();
        parser_->body_limit(limits_.max_body_bytes);
        parser_->header_limit(limits_.max_header_bytes);
        if (request_.method() == beast::http::verb::head) {
            parser_->skip(true);
        }
        on_strand(connection_, [this](auto& stream) -> asio::awaitable<void> {
            expire_in_read_timeout();
            auto [ec, read] = co_await beast::http::async_read_header(stream, connection_.buffer(),
                                                                      *parser_, streamed_use_tuple);
            (void)read;
            state_.got_response_bytes = state_.got_response_bytes || parser_->got_some();
            state_.error = ec;
        });
        if (state_.error) {
            return false;
        }
    } while (is_interim(parser_->get().result_int()));
    take_header();
    answered_ = true;
    return true;
}

void StreamedExchange::take_header() {
    const auto& message = parser_->get();
    state_.got_response_bytes = true;
    state_.keep_alive = message.keep_alive();
    state_.response.status = static_cast<int>(message.result_int());
    state_.response.headers.clear();
    for (const auto& field : message) {
        state_.response.headers.emplace_back(lower_case(field.name_string()), std::string(field.value()));
    }
}

std::optional<std::size_t> StreamedExchange::receive_body(char* into, std::size_t size) {
    if (!parser_ || !answered_) {
        state_.error = asio::error::not_connected;
        return std::nullopt;
    }
    if (size == 0 || parser_->is_done()) {
        return std::size_t{0};
    }
    state_.phase = ExchangePhase::read;
    std::size_t got = 0;
    while (got == 0 && !parser_->is_done()) {
        parser_->get().body().data = into;
        parser_->get().body().size = size;
        on_strand(connection_, [this](auto& stream) -> asio::awaitable<void> {
            expire_in_read_timeout();
            auto [ec, read] = co_await beast::http::async_read_some(stream, connection_.buffer(),
                                                                    *parser_, streamed_use_tuple);
            (void)read;
            state_.error = ec == beast::http::error::need_buffer ? boost::system::error_code() : ec;
        });
        if (state_.error) {
            return std::nullopt;
        }
        got = size - parser_->get().body().size;
    }
    if (parser_->is_done()) {
        state_.phase = ExchangePhase::done;
        state_.keep_alive = parser_->get().keep_alive();
    }
    return got;
}

std::optional<std::uint64_t> StreamedExchange::content_length() const {
    if (!parser_ || !answered_ || !parser_->content_length()) {
        return std::nullopt;
    }
    return *parser_->content_length();
}

bool StreamedExchange::body_done() const {
    return parser_ && answered_ && parser_->is_done();
}

bool StreamedExchange::reusable() const {
    return request_done_ && body_done() && state_.keep_alive && !state_.error;
}

} // namespace switchboard::http
