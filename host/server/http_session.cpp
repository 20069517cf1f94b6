#include "host/server/http_session.hpp"

#include "core/common/logging.hpp"
#include "host/server/error_response.hpp"
#include "host/server/fail.hpp"
#include "host/server/request_id.hpp"

#include <boost/algorithm/string/predicate.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>

namespace switchboard::server {
namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

constexpr std::string_view request_id_header = "X-Request-Id";

// After the last answer on a connection, how long and how much of what the client still
// sends is read and discarded before the socket is closed (RFC 9112, section 9.6).
constexpr std::chrono::milliseconds max_linger{1000};
constexpr std::size_t max_drain_bytes = 1024 * 1024;
constexpr std::size_t drain_chunk = 16 * 1024;

bool is_http_parse_error(beast::error_code ec) {
    return ec.category() == beast::http::make_error_code(beast::http::error::bad_method).category();
}

Response invoke_handler(const Route& route, const Request& request) {
    const logging::LogFields fields{{"request_id", request.request_id}};
    try {
        return route.handler(request);
    } catch (const std::exception& e) {
        spdlog::error("handler for {} {} threw: {}", request.method_string, route.pattern,
                      e.what());
    } catch (...) {
        spdlog::error("handler for {} {} threw a non-standard exception", request.method_string,
                      route.pattern);
    }
    return error_response(Error(ErrorKind::internal, "internal", "internal error"),
                          request.request_id);
}

std::string_view view(beast::string_view s) {
    return {s.data(), s.size()};
}

} // namespace

HttpSession::HttpSession(tcp::socket&& socket, SessionContext& context)
    : socket_(std::move(socket)), context_(context), read_timer_(socket_.get_executor()),
      write_timer_(socket_.get_executor()) {
    beast::error_code ec;
    const auto endpoint = socket_.remote_endpoint(ec);
    remote_ = ec ? std::string("unknown") : endpoint.address().to_string();
    context_.metrics.connection_opened();
}

HttpSession::~HttpSession() {
    context_.metrics.connection_closed();
    context_.connections.remove(registry_id_);
}

void HttpSession::run() {
    net::dispatch(socket_.get_executor(), [self = shared_from_this()] {
        const auto id = self->context_.connections.add(self->weak_from_this());
        if (!id) {
            self->close_socket();
            return;
        }
        self->registry_id_ = *id;
        self->start_reading();
    });
}

void HttpSession::shutdown() {
    net::post(socket_.get_executor(), [self = shared_from_this()] {
        self->shutting_down_ = true;
        if (self->closed_) {
            return;
        }
        if (self->read_state_ != ReadState::reading) {
            // A request being received is still answered (its read timeout bounds it);
            // nothing new is started.
            self->no_more_requests_ = true;
        }
        // A long poll would hold the stop for its whole timeout: it gets its fallback now.
        self->expire_deferred();
        if (self->read_state_ == ReadState::idle && self->queue_.empty() && !self->writing_) {
            self->close_socket();
        }
    });
}

void HttpSession::close() {
    net::post(socket_.get_executor(), [self = shared_from_this()] { self->close_socket(); });
}

// ---- reading ---------------------------------------------------------------------------

void HttpSession::start_reading() {
    if (closed_ || no_more_requests_) {
        read_state_ = ReadState::done;
        finish_if_idle();
        return;
    }
    if (queue_.size() >= context_.options.pipeline_limit) {
        read_state_ = ReadState::paused; // on_write resumes
        return;
    }
    if (buffer_.size() > 0) {
        read_request(); // a pipelined request is already here
        return;
    }
    read_state_ = ReadState::idle;
    if (queue_.empty() && !writing_) {
        arm_read_timer(context_.options.idle_timeout);
    } else {
        cancel_read_timer(); // answers pending: the connection is busy, not idle
    }
    socket_.async_wait(tcp::socket::wait_read,
                       beast::bind_front_handler(&HttpSession::on_readable, shared_from_this()));
}

void HttpSession::on_readable(beast::error_code ec) {
    if (lingering_) {
        if (ec) {
            close_socket();
        } else {
            drain();
        }
        return;
    }
    if (read_state_ != ReadState::idle) {
        return;
    }
    if (ec || closed_ || shutting_down_) {
        if (ec) {
            fail(ec, "wait");
        }
        read_state_ = ReadState::done;
        no_more_requests_ = true;
        finish_if_idle();
        return;
    }
    read_request();
}

void HttpSession::read_request() {
    read_state_ = ReadState::reading;
    read_timed_out_ = false;
    request_started_ = Clock::now();
    parser_.emplace();
    parser_->body_limit(context_.options.body_limit_bytes);
    parser_->header_limit(context_.options.header_limit_bytes);
    arm_read_timer(context_.options.read_timeout);
    beast::http::async_read_header(
        socket_, buffer_, *parser_,
        beast::bind_front_handler(&HttpSession::on_header, shared_from_this()));
}

void HttpSession::on_header(beast::error_code ec, std::size_t) {
    if (ec) {
        on_read_error(ec);
        return;
    }
    const auto& header = parser_->get();
    const bool expects_continue = header.version() >= 11 &&
                                  boost::algorithm::iequals(view(header[beast::http::field::expect]),
                                                            "100-continue") &&
                                  !parser_->is_done();
    // The interim answer may only go out when no earlier answer is still owed; otherwise the
    // client sends its body after its own short wait, as RFC 9110 lets it.
    if (expects_continue && queue_.empty() && !writing_) {
        continue_ = {beast::http::status::continue_, header.version()};
        writing_ = true;
        arm_write_timer();
        beast::http::async_write(
            socket_, continue_,
            beast::bind_front_handler(&HttpSession::on_continue_written, shared_from_this()));
        return;
    }
    read_body();
}

void HttpSession::on_continue_written(beast::error_code ec, std::size_t) {
    cancel_write_timer();
    writing_ = false;
    if (ec) {
        fail(ec, "write 100-continue");
        close_socket();
        return;
    }
    read_body();
}

void HttpSession::read_body() {
    beast::http::async_read(socket_, buffer_, *parser_,
                            beast::bind_front_handler(&HttpSession::on_body, shared_from_this()));
}

void HttpSession::on_body(beast::error_code ec, std::size_t) {
    if (ec) {
        on_read_error(ec);
        return;
    }
    cancel_read_timer();
    read_state_ = ReadState::paused;
    auto message = parser_->release();
    parser_.reset();
    dispatch(std::move(message));
    start_reading();
}

void HttpSession::on_read_error(beast::error_code ec) {
    namespace http_error = beast::http;
    cancel_read_timer();
    read_state_ = ReadState::done;
    no_more_requests_ = true;
    if (closed_) {
        return;
    }
    if (read_timed_out_) {
        reject(beast::http::status::request_timeout, "request_timeout",
               "request was not received within the read timeout");
    } else if (ec == http_error::error::body_limit) {
        reject(beast::http::status::payload_too_large, "body_too_large",
               "request body is larger than " +
                   std::to_string(context_.options.body_limit_bytes) + " bytes");
    } else if (ec == http_error::error::header_limit) {
        reject(beast::http::status::request_header_fields_too_large, "headers_too_large",
               "request header is larger than " +
                   std::to_string(context_.options.header_limit_bytes) + " bytes");
    } else if (is_http_parse_error(ec) && ec != http_error::error::end_of_stream &&
               ec != http_error::error::partial_message) {
        fail(ec, "parse");
        reject(beast::http::status::bad_request, "malformed_request",
               "request is not valid HTTP/1.1: " + ec.message());
    } else {
        // The client closed (between requests or in the middle of one) or the socket failed:
        // answer what was already read, then close; a long poll's client has gone.
        fail(ec, "read");
        if (has_deferred()) {
            close_socket();
            return;
        }
        finish_if_idle();
    }
}

// ---- handling --------------------------------------------------------------------------

void HttpSession::dispatch(beast::http::request<beast::http::string_body>&& message) {
    auto pending = std::make_shared<Pending>();
    pending->started = request_started_;
    pending->version = message.version();
    pending->keep_alive = message.keep_alive();
    pending->head = message.method() == beast::http::verb::head;
    pending->method = std::string(view(message.method_string()));
    pending->request_id = choose_request_id(view(message[request_id_header]));
    pending->bytes_in = message.body().size();
    pending->route = std::string(unmatched_route);
    pending->in_flight = true;
    context_.metrics.request_started();
    if (!pending->keep_alive || shutting_down_) {
        no_more_requests_ = true;
    }
    queue_.push_back(pending);

    const auto target = boost::urls::parse_origin_form(view(message.target()));
    if (!target) {
        respond(pending, error_response(beast::http::status::bad_request, "malformed_target",
                                        "request target is not a valid path and query",
                                        pending->request_id));
        return;
    }
    pending->path = std::string(view(target->encoded_path()));

    auto match = context_.router.match(message.method(), target->encoded_path());
    switch (match.outcome) {
    case RouteMatch::Outcome::not_found:
        respond(pending, error_response(Error(ErrorKind::not_found, "not_found",
                                              "no route matches the path"),
                                        pending->request_id));
        return;
    case RouteMatch::Outcome::method_not_allowed: {
        auto response = error_response(beast::http::status::method_not_allowed,
                                       "method_not_allowed",
                                       "method " + pending->method + " is not allowed here",
                                       pending->request_id);
        response.headers.set(beast::http::field::allow, match.allow);
        respond(pending, std::move(response));
        return;
    }
    case RouteMatch::Outcome::method_not_implemented:
        respond(pending, error_response(beast::http::status::not_implemented,
                                        "method_not_implemented",
                                        "method " + pending->method + " is not implemented",
                                        pending->request_id));
        return;
    case RouteMatch::Outcome::found: break;
    }

    const Route& route = *match.route;
    pending->route = route.pattern;
    Request request;
    request.method = message.method();
    request.method_string = pending->method;
    request.path = pending->path;
    request.route = route.pattern;
    request.path_params = std::move(match.path_params);
    for (const auto param : target->params()) {
        request.query.add(param.key, param.has_value ? param.value : std::string());
    }
    request.request_id = pending->request_id;
    request.remote_address = remote_;
    request.body = std::move(message.body());
    // Last: the target the URL view above points into lives in the header.
    request.headers = std::move(static_cast<beast::http::fields&>(message.base()));

    if (route.execution == Execution::io_thread) {
        respond(pending, invoke_handler(route, request));
        return;
    }
    net::post(context_.workers, [self = shared_from_this(), pending, &route,
                                 request = std::move(request)] {
        auto response = invoke_handler(route, request);
        net::post(self->socket_.get_executor(),
                  [self, pending, response = std::move(response)]() mutable {
                      self->respond(pending, std::move(response));
                  });
    });
}

void HttpSession::reject(beast::http::status status, std::string_view code,
                         std::string_view message) {
    auto pending = std::make_shared<Pending>();
    pending->started = request_started_;
    pending->route = std::string(unmatched_route);
    pending->close_after = true;
    std::string_view incoming_id;
    // Beast parses a header only once it is complete, so the fields are either all there
    // (e.g. a body over the limit) or none (e.g. a header over the limit).
    if (parser_) {
        const auto& header = parser_->get();
        pending->version = header.version();
        pending->method = std::string(view(header.method_string()));
        pending->head = header.method() == beast::http::verb::head;
        incoming_id = view(header[request_id_header]);
        if (const auto target = boost::urls::parse_origin_form(view(header.target()))) {
            pending->path = std::string(view(target->encoded_path()));
        }
    }
    pending->request_id = choose_request_id(incoming_id);
    queue_.push_back(pending);
    respond(pending, error_response(status, code, message, pending->request_id));
}

void HttpSession::respond(const std::shared_ptr<Pending>& pending, Response response) {
    if (response.deferred) {
        defer(pending, std::move(response.deferred));
        return;
    }
    if (pending->deferred_timer) {
        pending->deferred_timer->cancel();
    }
    pending->deferred.reset();
    if (pending->in_flight) {
        pending->in_flight = false;
        context_.metrics.request_finished();
    }
    if (closed_) {
        return;
    }
    finalize(*pending, std::move(response));
    maybe_write();
}

void HttpSession::defer(const std::shared_ptr<Pending>& pending,
                        std::shared_ptr<DeferredResponse> later) {
    if (closed_) {
        later->abandon();
        return;
    }
    pending->deferred = later;
    pending->deferred_timer = std::make_unique<net::steady_timer>(socket_.get_executor());
    pending->deferred_timer->expires_after(later->timeout());
    pending->deferred_timer->async_wait([later](beast::error_code ec) {
        if (!ec) {
            later->expire();
        }
    });
    std::weak_ptr<HttpSession> weak = weak_from_this();
    later->attach([weak, pending](Response response) {
        if (auto self = weak.lock()) {
            net::post(self->socket_.get_executor(),
                      [self, pending, response = std::move(response)]() mutable {
                          self->respond(pending, std::move(response));
                      });
        }
    });
}

bool HttpSession::has_deferred() const {
    return std::any_of(queue_.begin(), queue_.end(), [](const auto& pending) {
        return pending->deferred && !pending->response;
    });
}

void HttpSession::expire_deferred() {
    for (const auto& pending : queue_) {
        if (pending->deferred && !pending->response) {
            pending->deferred->expire();
        }
    }
}

void HttpSession::abandon_deferred() {
    for (const auto& pending : queue_) {
        if (pending->deferred) {
            if (pending->deferred_timer) {
                pending->deferred_timer->cancel();
            }
            pending->deferred->abandon();
        }
    }
}

void HttpSession::finalize(Pending& pending, Response response) const {
    namespace http = beast::http;
    pending.status = static_cast<unsigned>(response.status);
    auto& res = pending.response.emplace(response.status, pending.version);
    for (const auto& field : response.headers) {
        res.insert(field.name_string(), field.value());
    }
    // Framing is the server's business, whatever a handler put in its headers.
    res.erase(http::field::content_length);
    res.erase(http::field::transfer_encoding);
    res.erase(http::field::connection);
    res.set(request_id_header, pending.request_id);
    res.set("X-Content-Type-Options", "nosniff");
    if (res.find(http::field::cache_control) == res.end()) {
        res.set(http::field::cache_control, "no-store");
    }
    const unsigned status = pending.status;
    const bool bodiless = (status >= 100 && status < 200) || status == 204 || status == 304;
    if (bodiless) {
        return;
    }
    if (!response.content_type.empty()) {
        res.set(http::field::content_type, response.content_type);
    }
    // HEAD gets the GET answer's headers, Content-Length included, without its body.
    res.content_length(response.body.size());
    if (!pending.head) {
        res.body() = std::move(response.body);
    }
}

// ---- writing ---------------------------------------------------------------------------

void HttpSession::maybe_write() {
    if (writing_ || closed_ || queue_.empty() || !queue_.front()->response) {
        return;
    }
    auto& pending = *queue_.front();
    // Close after this answer if the request or the server says so, or if it is the last one
    // and no other request will be read.
    const bool close = pending.close_after || !pending.keep_alive ||
                       (queue_.size() == 1 && no_more_requests_ &&
                        read_state_ != ReadState::reading);
    pending.response->keep_alive(!close);
    writing_ = true;
    arm_write_timer();
    beast::http::async_write(
        socket_, *pending.response,
        beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), close));
}

void HttpSession::on_write(bool close, beast::error_code ec, std::size_t bytes) {
    cancel_write_timer();
    writing_ = false;
    if (queue_.empty()) {
        return; // closed meanwhile
    }
    const auto pending = queue_.front();
    queue_.pop_front();
    record(*pending, bytes, ec);
    if (ec) {
        fail(ec, "write");
        close_socket();
        return;
    }
    if (close) {
        linger();
        return;
    }
    maybe_write();
    if (read_state_ == ReadState::paused) {
        start_reading();
    }
    if (closed_ || writing_ || !queue_.empty()) {
        return;
    }
    if (no_more_requests_ && read_state_ != ReadState::reading) {
        // Nothing owed and nothing more to read (the server is stopping, or the client
        // finished): end the connection, politely.
        linger();
    } else if (read_state_ == ReadState::idle) {
        arm_read_timer(context_.options.idle_timeout);
    }
}

void HttpSession::record(const Pending& pending, std::size_t bytes_out, beast::error_code ec) {
    const std::chrono::duration<double> elapsed = Clock::now() - pending.started;
    context_.metrics.observe_request(pending.method, pending.route, pending.status, elapsed);
    const logging::LogFields fields{
        {"request_id", pending.request_id},
        {"method", pending.method},
        {"path", pending.path},
        {"route", pending.route},
        {"status", pending.status},
        {"duration_ms", std::chrono::duration<double, std::milli>(elapsed).count()},
        {"bytes_in", pending.bytes_in},
        {"bytes_out", bytes_out},
        {"remote", remote_},
    };
    if (ec) {
        spdlog::info("http request, answer not delivered: {}", ec.message());
    } else {
        spdlog::info("http request");
    }
}

// ---- closing ---------------------------------------------------------------------------

void HttpSession::finish_if_idle() {
    if (read_state_ == ReadState::done && queue_.empty() && !writing_ && !lingering_) {
        close_socket();
    }
}

void HttpSession::linger() {
    lingering_ = true;
    no_more_requests_ = true;
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_send, ec);
    if (ec) {
        close_socket();
        return;
    }
    arm_read_timer(std::min<std::chrono::steady_clock::duration>(max_linger,
                                                                 context_.options.read_timeout));
    // A wait for the next request may still be pending; its completion drains instead.
    if (read_state_ != ReadState::idle) {
        drain();
    }
}

void HttpSession::drain() {
    buffer_.clear();
    socket_.async_read_some(
        buffer_.prepare(drain_chunk),
        [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
            self->drained_ += bytes;
            if (ec || self->closed_ || self->drained_ > max_drain_bytes) {
                self->close_socket();
                return;
            }
            self->drain();
        });
}

void HttpSession::close_socket() {
    if (closed_) {
        return;
    }
    closed_ = true;
    read_state_ = ReadState::done;
    cancel_read_timer();
    cancel_write_timer();
    beast::error_code ec;
    socket_.shutdown(tcp::socket::shutdown_both, ec);
    socket_.close(ec);
    abandon_deferred();
    queue_.clear(); // answers still owed are dropped; their handlers find the socket closed
}

// ---- timers ----------------------------------------------------------------------------

void HttpSession::arm_read_timer(std::chrono::steady_clock::duration duration) {
    const auto generation = ++read_timer_generation_;
    read_timer_.expires_after(duration);
    read_timer_.async_wait([self = shared_from_this(), generation](beast::error_code ec) {
        if (!ec && generation == self->read_timer_generation_) {
            self->on_read_timeout();
        }
    });
}

void HttpSession::cancel_read_timer() {
    ++read_timer_generation_;
    read_timer_.cancel();
}

void HttpSession::on_read_timeout() {
    if (closed_) {
        return;
    }
    if (lingering_ || read_state_ == ReadState::idle) {
        close_socket(); // linger over, or idle keep-alive connection
        return;
    }
    if (read_state_ != ReadState::reading) {
        return;
    }
    spdlog::debug("read timeout from {}", remote_);
    if (!writing_ && queue_.empty()) {
        // Cancelling only aborts the read: on_read_error answers 408, then closes.
        read_timed_out_ = true;
        beast::error_code ec;
        socket_.cancel(ec);
    } else {
        close_socket(); // cancelling would abort a write too
    }
}

void HttpSession::arm_write_timer() {
    const auto generation = ++write_timer_generation_;
    write_timer_.expires_after(context_.options.write_timeout);
    write_timer_.async_wait([self = shared_from_this(), generation](beast::error_code ec) {
        if (!ec && generation == self->write_timer_generation_) {
            spdlog::debug("write timeout to {}", self->remote_);
            self->close_socket();
        }
    });
}

void HttpSession::cancel_write_timer() {
    ++write_timer_generation_;
    write_timer_.cancel();
}

} // namespace switchboard::server
