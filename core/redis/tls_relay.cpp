#include "core/redis/tls_relay.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <functional>
#include <future>
#include <thread>
#include <utility>

namespace switchboard::redis {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

// One relayed connection: the TLS stream to the server and the plaintext socket hiredis
// talks to, with a pump in each direction. Runs on the relay's one thread.
class RelayedConnection : public std::enable_shared_from_this<RelayedConnection> {
public:
    RelayedConnection(asio::io_context& io, ssl::context& tls)
        : resolver_(io), tls_(io, tls), plain_(io), timer_(io) {}

    // Resolves, connects and shakes hands; `done` gets the first error (or success).
    void connect(const std::string& host, std::uint16_t port, std::chrono::milliseconds timeout,
                 std::function<void(error_code, std::string)> done) {
        done_ = std::move(done);
        auto self = shared_from_this();
        timer_.expires_after(timeout);
        timer_.async_wait([self](error_code ec) {
            if (!ec) self->fail(asio::error::timed_out, "timed out");
        });
        // SNI only for a name: an IP literal is not a valid server name.
        error_code not_an_address;
        asio::ip::make_address(host, not_an_address);
        if (not_an_address) {
            SSL_set_tlsext_host_name(tls_.native_handle(), host.c_str());
        }
        tls_.set_verify_mode(ssl::verify_peer);
        tls_.set_verify_callback(ssl::host_name_verification(host));
        resolver_.async_resolve(
            host, std::to_string(port), [self](error_code ec, tcp::resolver::results_type found) {
                if (ec) return self->fail(ec, "cannot be resolved");
                asio::async_connect(self->tls_.next_layer(), found,
                                    [self](error_code connect_ec, const tcp::endpoint&) {
                                        if (connect_ec) {
                                            return self->fail(connect_ec, "cannot be reached");
                                        }
                                        error_code ignored;
                                        self->tls_.next_layer().set_option(
                                            tcp::socket::keep_alive(true), ignored);
                                        self->handshake();
                                    });
            });
    }

    // Starts relaying between the TLS stream and `plain_fd`.
    void relay(int plain_fd) {
        plain_.assign(asio::local::stream_protocol(), plain_fd);
        pump_to_server();
        pump_to_client();
    }

    void close() {
        error_code ignored;
        timer_.cancel();
        resolver_.cancel();
        tls_.next_layer().close(ignored);
        plain_.close(ignored);
    }

private:
    void handshake() {
        auto self = shared_from_this();
        tls_.async_handshake(ssl::stream_base::client, [self](error_code ec) {
            if (ec) return self->fail(ec, "refused the TLS handshake");
            self->timer_.cancel();
            if (auto done = std::exchange(self->done_, nullptr)) done({}, {});
        });
    }

    void fail(error_code ec, const char* what) {
        close();
        if (auto done = std::exchange(done_, nullptr)) done(ec, what);
    }

    // hiredis -> server. Once the server is gone, what hiredis still writes is read and
    // dropped, so that its write() never meets a closed socket (SIGPIPE), until hiredis
    // closes its end (redisFree), which ends the connection.
    void pump_to_server() {
        auto self = shared_from_this();
        plain_.async_read_some(asio::buffer(up_), [self](error_code ec, std::size_t n) {
            if (ec) return self->close();
            if (self->server_gone_) return self->pump_to_server();
            asio::async_write(self->tls_, asio::buffer(self->up_, n),
                              [self](error_code write_ec, std::size_t) {
                                  if (write_ec) self->server_gone();
                                  self->pump_to_server();
                              });
        });
    }

    // server -> hiredis.
    void pump_to_client() {
        auto self = shared_from_this();
        tls_.async_read_some(asio::buffer(down_), [self](error_code ec, std::size_t n) {
            if (ec) return self->server_gone();
            asio::async_write(self->plain_, asio::buffer(self->down_, n),
                              [self](error_code write_ec, std::size_t) {
                                  if (write_ec) return self->close();
                                  self->pump_to_client();
                              });
        });
    }

    // The server hung up (or the TLS session broke): hiredis reads end-of-file.
    void server_gone() {
        if (server_gone_) return;
        server_gone_ = true;
        error_code ignored;
        tls_.next_layer().close(ignored);
        plain_.shutdown(asio::socket_base::shutdown_send, ignored);
    }

    tcp::resolver resolver_;
    ssl::stream<tcp::socket> tls_;
    asio::local::stream_protocol::socket plain_;
    asio::steady_timer timer_;
    std::function<void(error_code, std::string)> done_;
    bool server_gone_ = false;
    std::array<char, 16 * 1024> up_{};
    std::array<char, 16 * 1024> down_{};
};

} // namespace

struct TlsRelay::Impl {
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    ssl::context tls{ssl::context::tls_client};
    std::thread thread;
};

Result<std::unique_ptr<TlsRelay>> TlsRelay::create(const RedisTlsOptions& options) {
    auto impl = std::make_unique<Impl>();
    impl->tls.set_options(ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    error_code ec;
    impl->tls.set_default_verify_paths(ec);
    if (!options.ca_file.empty()) {
        impl->tls.load_verify_file(options.ca_file, ec);
        if (ec) {
            return Error(ErrorKind::invalid_input, "invalid_redis_tls",
                         "the Redis CA file '" + options.ca_file + "' cannot be read: " +
                             ec.message());
        }
    }
    impl->thread = std::thread([io = &impl->io] { io->run(); });
    return std::unique_ptr<TlsRelay>(new TlsRelay(std::move(impl)));
}

TlsRelay::TlsRelay(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TlsRelay::~TlsRelay() {
    impl_->work.reset();
    impl_->io.stop(); // the pending relays are destroyed with the io_context: sockets closed
    impl_->thread.join();
}

Result<int> TlsRelay::open(const std::string& host, std::uint16_t port,
                           std::chrono::milliseconds timeout) {
    auto connection = std::make_shared<RelayedConnection>(impl_->io, impl_->tls);
    std::promise<std::pair<error_code, std::string>> connected;
    auto outcome = connected.get_future();
    asio::post(impl_->io, [&] {
        connection->connect(host, port, timeout, [&connected](error_code ec, std::string what) {
            connected.set_value({ec, std::move(what)});
        });
    });
    const auto [ec, what] = outcome.get();
    if (ec) {
        return Error(ErrorKind::unavailable, "redis_unavailable", what + " (" + ec.message() + ")");
    }
    int ends[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ends) != 0) {
        asio::post(impl_->io, [connection] { connection->close(); });
        return Error(ErrorKind::unavailable, "redis_unavailable",
                     "has no socket for the TLS relay");
    }
    asio::post(impl_->io, [connection, relay_end = ends[1]] { connection->relay(relay_end); });
    return ends[0];
}

} // namespace switchboard::redis
