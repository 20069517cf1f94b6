// One HTTP connection: reads requests one at a time, answers 100-continue, applies the
// delay or drop a fault asks for, and keeps the connection alive when the client does.
#pragma once

#include "tests/provider_sim/server/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <memory>
#include <optional>

namespace switchboard::sim {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(boost::asio::ip::tcp::socket&& socket, const HttpServer::Handler& handler,
                const HttpServer::Config& config);
    void run();

private:
    void read_header();
    void on_header(boost::beast::error_code ec);
    void read_body();
    void on_body(boost::beast::error_code ec);
    void send(Response response, bool keep_alive, unsigned version);
    void on_write(bool keep_alive, boost::beast::error_code ec);
    void close();

    boost::beast::tcp_stream stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    std::shared_ptr<boost::beast::http::response<boost::beast::http::string_body>> response_;
    std::shared_ptr<boost::beast::http::response<boost::beast::http::empty_body>> continue_;
    boost::asio::steady_timer delay_timer_;
    const HttpServer::Handler& handler_;
    const HttpServer::Config& config_;
};

} // namespace switchboard::sim
