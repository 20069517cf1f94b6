#include "tests/provider_sim/server/http_session.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/dispatch.hpp>

#include <exception>

namespace switchboard::sim {
namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {

// Errors a client causes by going away; not worth a log line.
bool is_disconnect(beast::error_code ec) {
    return ec == http::error::end_of_stream || ec == beast::error::timeout ||
           ec == boost::asio::error::connection_reset || ec == boost::asio::error::eof ||
           ec == boost::asio::error::operation_aborted;
}

void fail(beast::error_code ec, const char* what) {
    if (!is_disconnect(ec)) {
        spdlog::debug("provider-sim: {}: {}", what, ec.message());
    }
}

} // namespace

HttpSession::HttpSession(boost::asio::ip::tcp::socket&& socket,
                         const HttpServer::Handler& handler, const HttpServer::Config& config)
    : stream_(std::move(socket)), delay_timer_(stream_.get_executor()), handler_(handler),
      config_(config) {}

void HttpSession::run() {
    boost::asio::dispatch(stream_.get_executor(),
                          [self = shared_from_this()] { self->read_header(); });
}

void HttpSession::read_header() {
    parser_.emplace();
    parser_->body_limit(config_.body_limit);
    stream_.expires_after(config_.read_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                self->on_header(ec);
                            });
}

void HttpSession::on_header(beast::error_code ec) {
    if (ec) {
        fail(ec, "read header");
        return close();
    }
    const auto& req = parser_->get();
    if (beast::iequals(req[http::field::expect], "100-continue")) {
        continue_ = std::make_shared<http::response<http::empty_body>>(http::status::continue_,
                                                                       req.version());
        http::async_write(stream_, *continue_,
                          [self = shared_from_this()](beast::error_code wec, std::size_t) {
                              if (wec) {
                                  fail(wec, "write 100-continue");
                                  return self->close();
                              }
                              self->read_body();
                          });
        return;
    }
    read_body();
}

void HttpSession::read_body() {
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                         self->on_body(ec);
                     });
}

void HttpSession::on_body(beast::error_code ec) {
    if (ec == http::error::body_limit) {
        Response r = Response::text(413, "request body too large\n", "text/plain");
        return send(std::move(r), false, parser_->get().version());
    }
    if (ec) {
        fail(ec, "read body");
        return close();
    }
    auto req = parser_->release();
    Headers headers;
    for (const auto& field : req) {
        headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    const bool keep_alive = req.keep_alive();
    const unsigned version = req.version();
    auto request = make_request(std::string(req.method_string()), req.target(),
                                std::move(headers), std::move(req.body()));
    Response response;
    if (!request) {
        response = Response::text(400, "malformed request target\n", "text/plain");
    } else {
        try {
            response = handler_(*request);
        } catch (const std::exception& e) {
            // A bug in the simulator: answer like a broken server would, and say why. Only
            // the host is named: HubSpot puts tokens in paths.
            spdlog::error("provider-sim: handler failed for {} /{}/...: {}", request->method,
                          request->segments.empty() ? "" : request->segments.front(), e.what());
            response = Response::text(500, "provider-sim internal error\n", "text/plain");
        }
    }
    if (response.drop_connection) {
        // A dropped connection is the fault being simulated: no response at all.
        return close();
    }
    if (response.delay.count() > 0) {
        delay_timer_.expires_after(response.delay);
        delay_timer_.async_wait([self = shared_from_this(), r = std::move(response), keep_alive,
                                 version](beast::error_code wait_ec) mutable {
            if (wait_ec) {
                return self->close();
            }
            self->send(std::move(r), keep_alive, version);
        });
        return;
    }
    send(std::move(response), keep_alive, version);
}

void HttpSession::send(Response response, bool keep_alive, unsigned version) {
    response_ = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(response.status), version);
    response_->set(http::field::server, "provider-sim");
    for (auto& [name, value] : response.headers) {
        response_->insert(name, value);
    }
    response_->body() = std::move(response.body);
    response_->keep_alive(keep_alive);
    response_->prepare_payload();
    http::async_write(stream_, *response_,
                      [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                          self->on_write(keep_alive, ec);
                      });
}

void HttpSession::on_write(bool keep_alive, beast::error_code ec) {
    if (ec) {
        fail(ec, "write");
        return close();
    }
    if (!keep_alive) {
        return close();
    }
    read_header();
}

void HttpSession::close() {
    beast::error_code ec;
    stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    stream_.socket().close(ec);
}

} // namespace switchboard::sim
