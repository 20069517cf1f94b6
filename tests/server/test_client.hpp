// A blocking HTTP/1.1 client over one TCP connection for the server tests. Every wait is
// bounded (a server bug makes a test fail, never hang): the operations run asynchronously on
// the client's own io_context for at most `timeout`. It takes the server's own method type
// and its answers' status compares with the server's own status type, so a test reads the
// same on both sides; Beast does the client's parsing. Given a ClientTls, it speaks TLS
// (verifying the server's certificate against the given CA) and everything else reads the same.
#pragma once

#include "host/server/http_types.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <nlohmann/json.hpp>
#include <openssl/x509.h>

#include <array>
#include <memory>
#include <optional>
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

// What a TLS client trusts and which name it expects the server's certificate to carry.
struct ClientTls {
    std::string ca_pem;
    std::string server_name = "localhost";
};

class TestClient {
public:
    using Response = beast::http::response<beast::http::string_body>;

    // `source` is the client's own address: any of 127/8 reaches the loopback interface, so
    // tests can be several clients to the server's per-address limits. With `tls`, the TLS
    // handshake is done here; a failed one throws.
    explicit TestClient(std::uint16_t port,
                        std::chrono::milliseconds timeout = std::chrono::seconds(5),
                        const std::string& source = "127.0.0.1",
                        const std::optional<ClientTls>& tls = std::nullopt)
        : socket_(io_context_), timeout_(timeout) {
        socket_.open(tcp::v4());
        socket_.bind({net::ip::make_address(source), 0});
        socket_.connect({net::ip::make_address("127.0.0.1"), port});
        if (tls) {
            beast::error_code ec;
            handshake(*tls, ec);
            if (ec) {
                throw beast::system_error(ec, "TLS handshake");
            }
        }
    }

    // Connects and tries the TLS handshake: the error it ended with (none when it worked).
    static beast::error_code try_handshake(std::uint16_t port, const ClientTls& tls,
                                           std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        TestClient client(port, timeout);
        beast::error_code ec;
        client.handshake(tls, ec);
        return ec;
    }

    bool is_tls() const { return tls_ != nullptr; }

    // The serial number (hex) of the certificate the server presented; empty without TLS.
    std::string peer_certificate_serial() {
        if (!tls_) {
            return {};
        }
        X509* certificate = SSL_get1_peer_certificate(tls_->native_handle());
        if (certificate == nullptr) {
            return {};
        }
        BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate), nullptr);
        char* hex = BN_bn2hex(serial);
        std::string text(hex);
        OPENSSL_free(hex);
        BN_free(serial);
        X509_free(certificate);
        return text;
    }

    // The ALPN protocol the server chose, empty for none.
    std::string alpn() {
        if (!tls_) {
            return {};
        }
        const unsigned char* data = nullptr;
        unsigned int length = 0;
        SSL_get0_alpn_selected(tls_->native_handle(), &data, &length);
        return std::string(reinterpret_cast<const char*>(data), length);
    }

    // Calls `f` with the stream requests travel on (the TLS stream or the socket).
    template <class F>
    decltype(auto) with_stream(F&& f) {
        if (tls_) {
            return f(*tls_);
        }
        return f(socket_);
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
        with_stream([&](auto& stream) {
            net::async_write(stream, net::buffer(bytes.data(), bytes.size()),
                             [&](beast::error_code e, std::size_t) { ec = e; });
        });
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
        with_stream([&](auto& stream) {
            beast::http::async_read(stream, buffer_, parser,
                                    [&](beast::error_code e, std::size_t) { ec = e; });
        });
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
    // timeout, and not data). Under TLS, a connection closed without close_notify counts.
    bool closed_by_server() {
        std::array<char, 256> scratch{};
        if (buffer_.size() > 0) {
            return false;
        }
        beast::error_code ec;
        with_stream([&](auto& stream) {
            stream.async_read_some(net::buffer(scratch),
                                   [&](beast::error_code e, std::size_t) { ec = e; });
        });
        const bool completed = run();
        return completed && (ec == net::error::eof || ec == net::error::connection_reset ||
                             ec == net::ssl::error::stream_truncated);
    }

    tcp::socket& socket() { return socket_; }

private:
    void handshake(const ClientTls& tls, beast::error_code& ec) {
        tls_context_ = std::make_unique<net::ssl::context>(net::ssl::context::tls_client);
        tls_context_->add_certificate_authority(net::buffer(tls.ca_pem), ec);
        if (ec) {
            return;
        }
        tls_context_->set_verify_mode(net::ssl::verify_peer);
        tls_context_->set_verify_callback(net::ssl::host_name_verification(tls.server_name));
        static const unsigned char http11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
        SSL_CTX_set_alpn_protos(tls_context_->native_handle(), http11, sizeof http11);
        tls_ = std::make_unique<net::ssl::stream<tcp::socket&>>(socket_, *tls_context_);
        SSL_set_tlsext_host_name(tls_->native_handle(), tls.server_name.c_str());
        tls_->async_handshake(net::ssl::stream_base::client,
                              [&](beast::error_code e) { ec = e; });
        if (!run()) {
            ec = net::error::timed_out;
        }
        if (ec) {
            tls_.reset();
        }
    }

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
    std::unique_ptr<net::ssl::context> tls_context_;
    std::unique_ptr<net::ssl::stream<tcp::socket&>> tls_;
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
