// A blocking HTTP/1.1 client over one TCP connection for the server tests. Every wait is
// bounded (a server bug makes a test fail, never hang): the operations run asynchronously on
// the client's own io_context for at most `timeout`. It takes the server's own method type
// and its answers' status compares with the server's own status type, so a test reads the
// same on both sides; Beast does the client's parsing.
#pragma once

#include "host/server/http_types.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

namespace switchboard::server::http {

// A status the client parsed equals the server's status of the same code.
inline bool operator==(boost::beast::http::status parsed, status expected) {
    return static_cast<unsigned>(parsed) == to_int(expected);
}

} // namespace switchboard::server::http

namespace switchboard::server::testing {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;

class TestClient {
public:
    using Response = beast::http::response<beast::http::string_body>;

    // `source` is the client's own address: any of 127/8 reaches the loopback interface, so
    // tests can be several clients to the server's per-address limits.
    explicit TestClient(std::uint16_t port,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5),
                        const std::string& source = "127.0.0.1")
        : socket_(io_context_), timeout_(timeout) {
        socket_.open(tcp::v4());
        socket_.bind({net::ip::make_address(source), 0});
        socket_.connect({net::ip::make_address("127.0.0.1"), port});
    }

    // True if a connection to `port` is accepted (by the listener or the kernel backlog).
    static bool can_connect(std::uint16_t port) {
        net::io_context io_context;
        tcp::socket socket(io_context);
        beast::error_code ec;
        socket.connect({net::ip::make_address("127.0.0.1"), port}, ec);
        return !ec;
    }

    void write_raw(std::string_view bytes) {
        beast::error_code ec;
        net::async_write(socket_, net::buffer(bytes.data(), bytes.size()),
                         [&](beast::error_code e, std::size_t) { ec = e; });
        if (!run()) {
            ec = net::error::timed_out;
        }
        if (ec) {
            throw beast::system_error(ec, "write");
        }
    }

    // Reads one response; `head` says it answers a HEAD request (no body follows).
    Response read(bool head = false) {
        beast::error_code ec;
        auto response = try_read(ec, head);
        if (ec) {
            throw beast::system_error(ec, "read");
        }
        return response;
    }

    // Reads one response, reporting failure (closed connection, timeout) in `ec`.
    Response try_read(beast::error_code& ec, bool head = false) {
        beast::http::response_parser<beast::http::string_body> parser;
        parser.body_limit(boost::none);
        parser.skip(head);
        beast::http::async_read(socket_, buffer_, parser,
                         [&](beast::error_code e, std::size_t) { ec = e; });
        if (!run()) {
            ec = net::error::timed_out;
        }
        return ec ? Response{} : parser.release();
    }

    // Writes a request and reads its answer.
    Response request(http::verb method, std::string_view target, std::string body = {},
                     std::string_view content_type = {}, bool keep_alive = true) {
        write_raw(serialize(method, target, std::move(body), content_type, keep_alive));
        return read(method == http::verb::head);
    }

    Response get(std::string_view target) { return request(http::verb::get, target); }

    static std::string serialize(http::verb method, std::string_view target,
                                 std::string body = {}, std::string_view content_type = {},
                                 bool keep_alive = true) {
        beast::http::request<beast::http::string_body> req;
        req.version(11);
        const auto name = http::to_string(method);
        req.method_string(beast::string_view(name.data(), name.size()));
        req.target(beast::string_view(target.data(), target.size()));
        req.set(beast::http::field::host, "127.0.0.1");
        if (!content_type.empty()) {
            req.set(beast::http::field::content_type,
                    beast::string_view(content_type.data(), content_type.size()));
        }
        req.keep_alive(keep_alive);
        req.body() = std::move(body);
        req.prepare_payload();
        std::ostringstream out;
        out << req;
        return out.str();
    }

    // True if the server closed the connection: a read ends with EOF or a reset (not a
    // timeout, and not data).
    bool closed_by_server() {
        std::array<char, 256> scratch{};
        if (buffer_.size() > 0) {
            return false;
        }
        beast::error_code ec;
        socket_.async_read_some(net::buffer(scratch),
                                [&](beast::error_code e, std::size_t) { ec = e; });
        const bool completed = run();
        return completed && (ec == net::error::eof || ec == net::error::connection_reset);
    }

    tcp::socket& socket() { return socket_; }

private:
    // Runs the pending operation for at most timeout_; false if it had to be cancelled.
    bool run() {
        io_context_.restart();
        io_context_.run_for(timeout_);
        if (io_context_.stopped()) {
            return true;
        }
        beast::error_code ignored;
        socket_.cancel(ignored);
        io_context_.restart();
        io_context_.run();
        return false;
    }

    net::io_context io_context_;
    tcp::socket socket_;
    beast::flat_buffer buffer_;
    std::chrono::milliseconds timeout_;
};

// How long a test waits for an answer or an event before it fails.
inline constexpr auto bound = std::chrono::seconds(5);

// A header of an answer, empty when it has none.
inline std::string header(const TestClient::Response& response, std::string_view name) {
    const auto it = response.find(name);
    return it == response.end() ? std::string() : std::string(it->value());
}

// The answer's body as JSON.
inline nlohmann::json json_of(const TestClient::Response& response) {
    return nlohmann::json::parse(response.body());
}

} // namespace switchboard::server::testing
