#include "host/server/http_session.hpp"

#include "core/logging/logging.hpp"
#include "host/server/error_response.hpp"
#include "host/server/fail.hpp"
#include "host/server/request_id.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <exception>

namespace switchboard::server {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

namespace {

using Clock = std::chrono::steady_clock;

constexpr std::string_view request_id_header = "X-Request-Id";

// After the last answer on a connection, how long and how much of what the client still
// sends is read and discarded before the socket is closed (RFC 9112, section 9.6).
constexpr std::chrono::milliseconds max_linger{1000};
constexpr std::size_t max_drain_bytes = 1024 * 1024;
constexpr std::size_t drain_chunk = 16 * 1024;

// Answers a connection may hold written but not yet sent before it stops reading ahead: a
// client that pipelines requests and never reads the answers must not make the host keep
// them all (pipeline_limit bounds their number, this their size).
constexpr std::size_t max_unsent_bytes = 64 * 1024;

bool is_http_parse_error(beast::error_code ec) {
    return ec.category() == beast::http::make_error_code(beast::http::error::bad_method).category();
}

std::string_view view(beast::string_view s) {
    return {s.data(), s.size()};
}

beast::string_view beast_view(std::string_view s) {
    return {s.data(), s.size()};
}

Response invoke_handler(const Route& route, const Request& request) {
    std::optional<logging::LogFields> fields;
    if (request.caller) {
        fields.emplace(std::initializer_list<std::pair<std::string_view, nlohmann::json>>{
            {"request_id", request.request_id}, {"tenant", request.caller->tenant}});
    } else {
        fields.emplace(std::initializer_list<std::pair<std::string_view, nlohmann::json>>{
            {"request_id", request.request_id}});
    }
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

Response too_large(std::uint64_t limit, const std::string& request_id) {
    return error_response(http::status::payload_too_large, "body_too_large",
                          "request body is larger than " + std::to_string(limit) + " bytes",
                          request_id);
}

} // namespace

HttpSession::HttpSession(SessionStream&& stream, SessionContext& context)
    : stream_(std::move(stream)), context_(context), read_timer_(stream_.get_executor()),
      write_timer_(stream_.get_executor()) {
    beast::error_code ec;
    const auto endpoint = stream_.socket().remote_endpoint(ec);
    remote_ = ec ? std::string("unknown") : endpoint.address().to_string();
    context_.metrics.connection_opened();
}

HttpSession::~HttpSession() {
    context_.metrics.connection_closed();
    context_.connections.remove(registry_id_);
}

void HttpSession::run() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] {
        using Admission = ConnectionRegistry::Admission;
        const auto entry = self->context_.connections.add(self->weak_from_this(), self->remote_,
                                                          self->context_.capped);
        switch (entry.admission) {
        case Admission::admitted:
            self->registry_id_ = entry.id;
            self->after_handshake([self] { self->start_reading(); });
            return;
        case Admission::shutting_down: self->close_socket(); return;
        case Admission::too_many_connections:
            self->after_handshake([self] {
                self->refuse_connection("too_many_connections",
                                        "the server has too many open connections");
            });
            return;
        case Admission::too_many_from_address:
            self->after_handshake([self] {
                self->refuse_connection("too_many_from_address",
                                        "too many connections are open from this address");
            });
            return;
        }
    });
}

void HttpSession::after_handshake(std::function<void()> next) {
    if (!stream_.is_tls()) {
        next();
        return;
    }
    handshaking_ = true;
    arm_read_timer(context_.options.read_timeout);
    stream_.async_handshake(
        [self = shared_from_this(), next = std::move(next)](beast::error_code ec) {
            self->handshaking_ = false;
            self->cancel_read_timer();
            if (self->closed_) {
                return; // timed out (counted there), or the server closed the connection
            }
            if (ec) {
                // OpenSSL's reason (no shared cipher, unknown CA, plain HTTP): no secret in it.
                self->context_.metrics.tls_handshake_failed("failed");
                spdlog::debug("TLS handshake with {} failed: {}", self->remote_, ec.message());
                self->close_socket();
                return;
            }
            next();
        });
}

void HttpSession::shutdown() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
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
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->close_socket(); });
}

// The connection is past a cap: one 503 without reading anything, then close. The answer is
// written at once, so a refused client costs a descriptor for a moment and no buffer.
void HttpSession::refuse_connection(std::string_view reason, std::string_view message) {
    context_.metrics.refused(reason);
    read_state_ = ReadState::done;
    no_more_requests_ = true;
    auto pending = std::make_shared<Pending>();
    pending->started = Clock::now();
    pending->route = std::string(unmatched_route);
    pending->close_after = true;
    pending->connection_refused = true;
    pending->request_id = generate_request_id();
    queue_.push_back(pending);
    auto response = error_response(http::status::service_unavailable, "too_many_connections",
                                   message, pending->request_id);
    response.headers.set(http::field::retry_after,
                         std::to_string(context_.options.retry_after_seconds));
    respond(pending, std::move(response));
}

// ---- reading ---------------------------------------------------------------------------

void HttpSession::start_reading() {
    if (closed_ || no_more_requests_) {
        read_state_ = ReadState::done;
        finish_if_idle();
        return;
    }
    if (queue_.size() >= context_.options.pipeline_limit || unsent_bytes_ >= max_unsent_bytes ||
        streaming_) {
        read_state_ = ReadState::paused; // on_write (or the streamed answer's end) resumes
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
    stream_.async_wait_readable(
        buffer_, beast::bind_front_handler(&HttpSession::on_readable, shared_from_this()));
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
    // No body limit while the header is read: the route decides it (on_header), and an
    // announced length over it is answered there, before any of the body is taken in.
    parser_->body_limit(boost::none);
    parser_->header_limit(context_.options.header_limit_bytes);
    arm_read_timer(context_.options.read_timeout);
    stream_.visit([&](auto& stream) {
        beast::http::async_read_header(
            stream, buffer_, *parser_,
            beast::bind_front_handler(&HttpSession::on_header, shared_from_this()));
    });
}

std::shared_ptr<HttpSession::Pending> HttpSession::pending_from_header() const {
    auto pending = std::make_shared<Pending>();
    pending->started = request_started_;
    pending->route = std::string(unmatched_route);
    std::string_view incoming_id;
    // Beast parses a header only once it is complete, so its fields are either all there or
    // none (e.g. a header over the limit).
    if (parser_ && parser_->is_header_done()) {
        const auto& header = parser_->get();
        pending->version = header.version();
        pending->keep_alive = header.keep_alive();
        pending->method = std::string(view(header.method_string()));
        pending->head = header.method() == beast::http::verb::head;
        pending->origin = std::string(view(header[beast_view(http::field::origin)]));
        incoming_id = view(header[beast_view(request_id_header)]);
        if (const auto target = boost::urls::parse_origin_form(view(header.target()))) {
            pending->path = std::string(view(target->encoded_path()));
        }
    }
    pending->request_id = choose_request_id(incoming_id);
    return pending;
}

void HttpSession::on_header(beast::error_code ec, std::size_t) {
    if (ec) {
        on_read_error(ec);
        return;
    }
    const auto& header = parser_->get();
    Incoming incoming;
    incoming.pending = pending_from_header();
    Request& request = incoming.request;
    request.method_string = incoming.pending->method;
    request.method = http::string_to_verb(request.method_string);
    request.request_id = incoming.pending->request_id;
    request.remote_address = remote_;
    for (const auto& field : header) {
        request.headers.add(view(field.name_string()), view(field.value()));
    }
    incoming_.emplace(std::move(incoming));

    const auto target = boost::urls::parse_origin_form(view(header.target()));
    if (!target) {
        answer_early(error_response(http::status::bad_request, "malformed_target",
                                    "request target is not a valid path and query",
                                    incoming_->request.request_id));
        return;
    }
    incoming_->request.path = std::string(view(target->encoded_path()));
    incoming_->request.query_string = std::string(view(target->encoded_query()));
    for (const auto param : target->params()) {
        incoming_->request.query.add(param.key, param.has_value ? param.value : std::string());
    }

    if (auto answer = admit(*incoming_)) {
        answer_early(std::move(*answer));
        return;
    }
    const bool expects_continue = header.version() >= 11 &&
                                  iequals(view(header[beast::http::field::expect]),
                                          "100-continue") &&
                                  !parser_->is_done();
    if (incoming_->route->body_mode == BodyMode::streamed) {
        start_streamed(expects_continue);
        return;
    }
    // The interim answer may only go out when no earlier answer is still owed; otherwise the
    // client sends its body after its own short wait, as RFC 9110 lets it.
    if (expects_continue && queue_.empty() && !writing_) {
        continue_ = {beast::http::status::continue_, header.version()};
        writing_ = true;
        arm_write_timer();
        stream_.visit([&](auto& stream) {
            beast::http::async_write(
                stream, continue_,
                beast::bind_front_handler(&HttpSession::on_continue_written, shared_from_this()));
        });
        return;
    }
    read_body();
}

// Everything that can be decided on the header: an answer means "do not read the body".
std::optional<Response> HttpSession::admit(Incoming& incoming) {
    Request& request = incoming.request;
    Pending& pending = *incoming.pending;
    const Router& router = context_.router;
    auto match = router.match(request.method, request.path);

    const bool is_options = request.method == http::verb::options;
    const bool preflight = CorsPolicy::is_preflight(request.headers, is_options);
    if (is_options && (preflight || match.outcome != RouteMatch::Outcome::found)) {
        const auto methods = router.allowed_methods(request.path);
        if (!methods.empty()) {
            return context_.cors.options_answer(methods, pending.origin, preflight);
        }
    }
    switch (match.outcome) {
    case RouteMatch::Outcome::not_found:
        return error_response(Error(ErrorKind::not_found, "not_found", "no route matches the path"),
                              pending.request_id);
    case RouteMatch::Outcome::method_not_allowed: {
        auto response = error_response(http::status::method_not_allowed, "method_not_allowed",
                                       "method " + pending.method + " is not allowed here",
                                       pending.request_id);
        response.headers.set(http::field::allow, match.allow);
        return response;
    }
    case RouteMatch::Outcome::method_not_implemented:
        return error_response(http::status::not_implemented, "method_not_implemented",
                              "method " + pending.method + " is not implemented",
                              pending.request_id);
    case RouteMatch::Outcome::found: break;
    }

    const Route& route = *match.route;
    incoming.route = &route;
    pending.route = route.pattern;
    request.route = route.pattern;
    request.path_params = std::move(match.path_params);

    // A request that would only wait for a worker is refused now, before its body is read.
    const bool pooled = route.execution != Execution::io_thread;
    if (pooled && (route.execution == Execution::operations ? context_.operations
                                                            : context_.workers)
                      .saturated()) {
        context_.metrics.refused("server_busy");
        return busy_response(pending.request_id);
    }
    if (route.gate) {
        if (auto refused = run_gate(route, request)) {
            return refused;
        }
        pending.tenant = request.caller->tenant;
    }
    const bool large = route.body_limit == BodyLimit::large_after_gate && request.caller;
    incoming.body_limit = large ? context_.options.authenticated_body_limit_bytes
                                : context_.options.body_limit_bytes;
    if (route.body_mode == BodyMode::streamed && request.caller) {
        incoming.body_limit = route.streamed_body_limit_bytes;
    }
    // A Content-Length over the limit is answered now; a chunked body is held to the limit
    // as it arrives.
    if (const auto length = parser_->content_length(); length && *length > incoming.body_limit) {
        return too_large(incoming.body_limit, pending.request_id);
    }
    parser_->body_limit(incoming.body_limit);
    return std::nullopt;
}

std::optional<Response> HttpSession::run_gate(const Route& route, Request& request) const {
    try {
        auto caller = route.gate(request);
        if (!caller) {
            return error_response(caller.error(), request.request_id);
        }
        request.caller = std::move(*caller);
        return std::nullopt;
    } catch (const std::exception& e) {
        spdlog::error("gate of {} {} threw: {}", request.method_string, route.pattern, e.what());
    } catch (...) {
        spdlog::error("gate of {} {} threw a non-standard exception", request.method_string,
                      route.pattern);
    }
    return error_response(Error(ErrorKind::internal, "internal", "internal error"),
                          request.request_id);
}

// Answers the request whose header was just read without reading its body. If a body
// follows, the connection cannot find the next request and closes after the answer.
void HttpSession::answer_early(Response response) {
    cancel_read_timer();
    auto pending = std::move(incoming_->pending);
    incoming_.reset();
    const bool body_unread = parser_ && !parser_->is_done();
    parser_.reset();
    if (body_unread) {
        pending->close_after = true;
        no_more_requests_ = true;
    }
    if (!pending->keep_alive || shutting_down_) {
        no_more_requests_ = true;
    }
    read_state_ = ReadState::paused;
    queue_.push_back(pending);
    respond(pending, std::move(response));
    start_reading();
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
    stream_.visit([&](auto& stream) {
        beast::http::async_read(
            stream, buffer_, *parser_,
            beast::bind_front_handler(&HttpSession::on_body, shared_from_this()));
    });
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
    Incoming incoming = std::move(*incoming_);
    incoming_.reset();
    incoming.request.body = std::move(message.body());
    incoming.pending->bytes_in = incoming.request.body.size();
    dispatch(std::move(incoming));
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
    std::shared_ptr<Pending> pending;
    std::uint64_t body_limit = context_.options.body_limit_bytes;
    if (incoming_) {
        pending = std::move(incoming_->pending);
        body_limit = incoming_->body_limit;
        incoming_.reset();
    } else {
        pending = pending_from_header();
    }
    if (read_timed_out_) {
        reject(pending, http::status::request_timeout, "request_timeout",
               "request was not received within the read timeout");
    } else if (ec == http_error::error::body_limit) {
        reject(pending, http::status::payload_too_large, "body_too_large",
               "request body is larger than " + std::to_string(body_limit) + " bytes");
    } else if (ec == http_error::error::header_limit) {
        reject(pending, http::status::request_header_fields_too_large, "headers_too_large",
               "request header is larger than " +
                   std::to_string(context_.options.header_limit_bytes) + " bytes");
    } else if (is_http_parse_error(ec) && ec != http_error::error::end_of_stream &&
               ec != http_error::error::partial_message) {
        fail(ec, "parse");
        reject(pending, http::status::bad_request, "malformed_request",
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

void HttpSession::dispatch(Incoming incoming) {
    const auto pending = incoming.pending;
    pending->in_flight = true;
    context_.metrics.request_started();
    if (!pending->keep_alive || shutting_down_) {
        no_more_requests_ = true;
    }
    queue_.push_back(pending);

    const Route& route = *incoming.route;
    if (route.execution == Execution::io_thread) {
        auto response = invoke_handler(route, incoming.request);
        if (response.stream) {
            // A producer blocks; the I/O thread must not (a programming error).
            spdlog::error("handler for {} {} streams its answer on the I/O thread",
                          pending->method, route.pattern);
            response = error_response(Error(ErrorKind::internal, "internal", "internal error"),
                                      pending->request_id);
        }
        respond(pending, std::move(response));
        return;
    }
    WorkQueue& queue =
        route.execution == Execution::operations ? context_.operations : context_.workers;
    const bool posted = queue.try_post([self = shared_from_this(), pending, &route,
                                        request = std::move(incoming.request)]() mutable {
        auto response = invoke_handler(route, request);
        // The request (and its body stream) is not needed any more: let go of it here.
        const bool head = request.method == http::verb::head;
        request = Request{};
        if (response.stream) {
            self->produce(pending, std::move(response), head);
            return;
        }
        net::post(self->stream_.get_executor(),
                  [self, pending, response = std::move(response)]() mutable {
                      self->respond(pending, std::move(response));
                  });
    });
    if (!posted) {
        context_.metrics.refused("server_busy");
        respond(pending, busy_response(pending->request_id));
    }
}

Response HttpSession::busy_response(const std::string& request_id) const {
    const auto seconds = std::to_string(context_.options.retry_after_seconds);
    auto response = error_response(http::status::service_unavailable, "server_busy",
                                   "the server is busy; retry after " + seconds + " seconds",
                                   request_id);
    response.headers.set(http::field::retry_after, seconds);
    return response;
}

void HttpSession::reject(std::shared_ptr<Pending> pending, http::status status,
                         std::string_view code, std::string_view message) {
    pending->close_after = true;
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
    pending->deferred_timer = std::make_unique<net::steady_timer>(stream_.get_executor());
    pending->deferred_timer->expires_after(later->timeout());
    pending->deferred_timer->async_wait([later](beast::error_code ec) {
        if (!ec) {
            later->expire();
        }
    });
    std::weak_ptr<HttpSession> weak = weak_from_this();
    later->attach([weak, pending](Response response) {
        if (auto self = weak.lock()) {
            net::post(self->stream_.get_executor(),
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

void HttpSession::decorate(Pending& pending, Response& response,
                           beast::http::fields& fields) const {
    namespace bhttp = beast::http;
    context_.cors.decorate(response.headers, pending.origin);
    for (const auto& field : response.headers) {
        fields.insert(beast_view(field.name()), beast_view(field.value()));
    }
    // Framing is the server's business, whatever a handler put in its headers.
    fields.erase(bhttp::field::content_length);
    fields.erase(bhttp::field::transfer_encoding);
    fields.erase(bhttp::field::connection);
    fields.set(beast_view(request_id_header), pending.request_id);
    fields.set("X-Content-Type-Options", "nosniff");
    if (fields.find(bhttp::field::cache_control) == fields.end()) {
        fields.set(bhttp::field::cache_control, "no-store");
    }
    const unsigned status = pending.status;
    const bool bodiless = (status >= 100 && status < 200) || status == 204 || status == 304;
    if (!bodiless && !response.content_type.empty()) {
        fields.set(bhttp::field::content_type, response.content_type);
    }
}

void HttpSession::finalize(Pending& pending, Response response) {
    pending.status = http::to_int(response.status);
    if (!response.tenant.empty()) {
        pending.tenant = std::move(response.tenant);
    }
    auto& res = pending.response.emplace();
    res.version(pending.version);
    res.result(pending.status);
    decorate(pending, response, res);
    const unsigned status = pending.status;
    const bool bodiless = (status >= 100 && status < 200) || status == 204 || status == 304;
    if (bodiless) {
        return;
    }
    if (pending.streamed_header_only) {
        // HEAD of a streamed answer: its length when announced, else no framing at all.
        if (pending.streamed_length) {
            res.content_length(*pending.streamed_length);
        }
        return;
    }
    // HEAD gets the GET answer's headers, Content-Length included, without its body.
    res.content_length(response.body.size());
    if (!pending.head) {
        res.body() = std::move(response.body);
    }
    pending.unsent_bytes = res.body().size();
    unsent_bytes_ += pending.unsent_bytes;
}

// ---- writing ---------------------------------------------------------------------------

void HttpSession::maybe_write() {
    if (writing_ || closed_ || queue_.empty()) {
        return;
    }
    if (queue_.front()->streamed) {
        write_streamed(*queue_.front());
        return;
    }
    if (!queue_.front()->response) {
        return;
    }
    auto& pending = *queue_.front();
    // Close after this answer if the request or the server says so, or if it is the last one
    // and no other request will be read, or if its handler left some of its body unread.
    const bool close = pending.close_after || !pending.keep_alive ||
                       (queue_.size() == 1 && no_more_requests_ &&
                        read_state_ != ReadState::reading) ||
                       (pending.streamed_request && body_parser_ && !body_parser_->is_done());
    pending.response->keep_alive(!close);
    writing_ = true;
    arm_write_timer();
    stream_.visit([&](auto& stream) {
        beast::http::async_write(
            stream, *pending.response,
            beast::bind_front_handler(&HttpSession::on_write, shared_from_this(), close));
    });
}

void HttpSession::on_write(bool close, beast::error_code ec, std::size_t bytes) {
    cancel_write_timer();
    writing_ = false;
    if (queue_.empty()) {
        return; // closed meanwhile
    }
    const auto pending = queue_.front();
    queue_.pop_front();
    unsent_bytes_ -= pending->unsent_bytes;
    record(*pending, bytes, ec);
    if (pending->streamed_request) {
        streaming_.reset();
        body_parser_.reset();
        buffer_.shrink_to_fit(); // the room start_streamed made for the body's reads
    }
    if (ec) {
        fail(ec, "write");
        close_socket();
        return;
    }
    after_answer(close);
}

void HttpSession::after_answer(bool close) {
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
    if (pending.connection_refused) {
        // Counted in switchboard_http_refused_total; a line each would let a flood of
        // connections flood the log too.
        spdlog::debug("connection from {} refused: {}", remote_, pending.status);
        return;
    }
    context_.metrics.observe_request(pending.method, pending.route, pending.status, elapsed);
    if (!spdlog::should_log(spdlog::level::info)) {
        return; // the fields below cost more than many a response: build them only for a line
    }
    // The access log line: never the query string (OAuth codes and states travel there) and
    // never a credential; the tenant is the one the route's gate (or handler) established.
    const logging::LogFields fields{
        {"request_id", pending.request_id},
        {"method", pending.method},
        {"path", pending.path},
        {"route", pending.route},
        {"status", pending.status},
        {"duration_ms",
         std::round(std::chrono::duration<double, std::milli>(elapsed).count() * 1000) / 1000},
        {"bytes_in", pending.bytes_in},
        {"bytes_out", bytes_out},
        {"tenant", pending.tenant.empty() ? nlohmann::json() : nlohmann::json(pending.tenant)},
        {"remote", remote_},
        {"delivered", !ec},
    };
    if (ec) {
        spdlog::info("http request (answer not delivered: {})", ec.message());
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
    // Under TLS too only TCP's sending side is shut: every answer carries its own framing, and
    // a close_notify would have to wait for the client's.
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
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
    stream_.visit([&](auto& stream) {
        stream.async_read_some(
            buffer_.prepare(drain_chunk),
            [self = shared_from_this()](beast::error_code ec, std::size_t bytes) {
                self->drained_ += bytes;
                if (ec || self->closed_ || self->drained_ > max_drain_bytes) {
                    self->close_socket();
                    return;
                }
                self->drain();
            });
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
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
    abandon_deferred();
    for (const auto& pending : queue_) {
        if (pending->streamed) {
            abandon(*pending->streamed); // its producer stops at its next write
        }
    }
    queue_.clear(); // answers still owed are dropped; their handlers find the socket closed
    unsent_bytes_ = 0;
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
    if (handshaking_) {
        context_.metrics.tls_handshake_failed("timeout");
        spdlog::debug("TLS handshake with {} timed out", remote_);
        close_socket();
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
    if (streamed_read_active_) {
        // Nothing of a streamed body within the timeout: its handler hears request_timeout.
        read_timed_out_ = true;
        close_socket();
        return;
    }
    if (!writing_ && queue_.empty()) {
        // Cancelling only aborts the read: on_read_error answers 408, then closes.
        read_timed_out_ = true;
        beast::error_code ec;
        stream_.socket().cancel(ec);
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
