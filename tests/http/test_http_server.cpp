#include "test_http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <sys/socket.h>
#include <thread>

namespace switchboard::http::test_support {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

} // namespace

std::optional<std::string_view> ReceivedRequest::header(std::string_view lower_case_name) const {
    for (const auto& [name, value] : headers) {
        if (name == lower_case_name) {
            return std::string_view(value);
        }
    }
    return std::nullopt;
}

struct TestHttpServer::Impl {
    Handler handler;
    std::function<std::optional<ScriptedResponse>(const ReceivedRequest&)> expect_decide;
    bool send_continue = true;
    std::optional<asio::ssl::context> tls;
    asio::io_context io;
    tcp::acceptor acceptor{io};
    std::thread accept_thread;

    mutable std::mutex mutex;
    std::condition_variable stopped_cv;
    bool stopping = false;
    struct ConnectionThread {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
    };
    std::vector<ConnectionThread> connection_threads;
    std::vector<int> open_sockets;
    std::vector<ReceivedRequest> received;
    std::atomic<std::size_t> accepted{0};

    void accept_loop() {
        for (;;) {
            tcp::socket socket(io);
            boost::system::error_code ec;
            acceptor.accept(socket, ec);
            std::lock_guard lock(mutex);
            if (stopping) {
                return;
            }
            if (ec) {
                continue;
            }
            // Like any real server: no Nagle delay on small TLS records and responses.
            socket.set_option(tcp::no_delay(true), ec);
            // Reap finished connection threads so a long benchmark does not pile them up.
            std::erase_if(connection_threads, [](ConnectionThread& c) {
                if (!c.done->load()) {
                    return false;
                }
                c.thread.join();
                return true;
            });
            const std::size_t index = ++accepted;
            open_sockets.push_back(socket.native_handle());
            auto done = std::make_shared<std::atomic<bool>>(false);
            connection_threads.push_back(ConnectionThread{
                std::thread([this, s = std::move(socket), index, done]() mutable {
                    serve(std::move(s), index);
                    done->store(true);
                }),
                done});
        }
    }

    void serve(tcp::socket socket, std::size_t index) {
        // Forget the descriptor while it is still open, so the destructor never shuts down
        // a number the kernel has since given to another socket.
        const int fd = socket.native_handle();
        auto forget = [this, fd] {
            std::lock_guard lock(mutex);
            std::erase(open_sockets, fd);
        };
        if (tls) {
            beast::ssl_stream<tcp::socket> stream(std::move(socket), *tls);
            boost::system::error_code ec;
            stream.handshake(asio::ssl::stream_base::server, ec);
            if (!ec) {
                const char* sni =
                    SSL_get_servername(stream.native_handle(), TLSEXT_NAMETYPE_host_name);
                exchange_loop(stream, index, sni != nullptr ? sni : "");
            }
            forget();
        } else {
            exchange_loop(socket, index, "");
            forget();
        }
    }

    template <class Stream>
    void exchange_loop(Stream& stream, std::size_t index, const std::string& sni) {
        beast::flat_buffer buffer;
        for (std::size_t n = 1;; ++n) {
            beast::http::request_parser<beast::http::string_body> parser;
            parser.body_limit(boost::none);
            boost::system::error_code ec;
            beast::http::read_header(stream, buffer, parser, ec);
            if (ec) {
                return;
            }
            ReceivedRequest received_request;
            received_request.method = std::string(parser.get().method_string());
            received_request.target = std::string(parser.get().target());
            for (const auto& field : parser.get()) {
                received_request.headers.emplace_back(lower(field.name_string()),
                                                      std::string(field.value()));
            }
            received_request.connection = index;
            received_request.on_connection = n;
            received_request.tls_server_name = sni;
            std::optional<ScriptedResponse> early;
            if (beast::iequals(parser.get()[beast::http::field::expect], "100-continue")) {
                std::function<std::optional<ScriptedResponse>(const ReceivedRequest&)> decide;
                bool interim_answer = true;
                {
                    std::lock_guard lock(mutex);
                    decide = expect_decide;
                    interim_answer = send_continue;
                }
                if (decide) {
                    early = decide(received_request);
                }
                if (!early && interim_answer) {
                    beast::http::response<beast::http::empty_body> interim{
                        beast::http::status::continue_, 11};
                    beast::http::write(stream, interim, ec);
                    if (ec) {
                        return;
                    }
                }
            }
            if (!early) {
                beast::http::read(stream, buffer, parser, ec);
                if (ec) {
                    return;
                }
            }
            auto request = parser.release();
            received_request.body = request.body();
            {
                std::lock_guard lock(mutex);
                received.push_back(received_request);
            }
            ScriptedResponse scripted = early ? *early : handler(received_request);
            if (early) {
                scripted.close_after = true; // the body was never read
            }
            if (scripted.never_answer) {
                std::unique_lock lock(mutex);
                stopped_cv.wait(lock, [this] { return stopping; });
                return;
            }
            if (scripted.drop_unanswered) {
                return;
            }
            beast::http::response<beast::http::string_body> response;
            response.version(11);
            response.result(static_cast<unsigned>(scripted.status));
            for (const auto& [name, value] : scripted.headers) {
                response.insert(name, value);
            }
            response.body() = std::move(scripted.body);
            response.keep_alive(request.keep_alive() && !scripted.close_after);
            response.prepare_payload();
            beast::http::write(stream, response, ec);
            if (ec || scripted.close_after || !request.keep_alive()) {
                return;
            }
        }
    }
};

void TestHttpServer::on_expect(
    std::function<std::optional<ScriptedResponse>(const ReceivedRequest&)> decide,
    bool send_continue) {
    std::lock_guard lock(impl_->mutex);
    impl_->expect_decide = std::move(decide);
    impl_->send_continue = send_continue;
}

TestHttpServer::TestHttpServer(Handler handler, std::optional<TlsFiles> tls)
    : impl_(std::make_unique<Impl>()) {
    impl_->handler = std::move(handler);
    if (tls) {
        impl_->tls.emplace(asio::ssl::context::tls_server);
        impl_->tls->use_certificate_chain_file(tls->certificate_chain_file);
        impl_->tls->use_private_key_file(tls->private_key_file, asio::ssl::context::pem);
    }
    tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
    impl_->acceptor.open(endpoint.protocol());
    impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
    impl_->acceptor.bind(endpoint);
    impl_->acceptor.listen();
    impl_->accept_thread = std::thread([this] { impl_->accept_loop(); });
}

TestHttpServer::~TestHttpServer() {
    std::vector<Impl::ConnectionThread> threads;
    {
        std::lock_guard lock(impl_->mutex);
        impl_->stopping = true;
        // shutdown() wakes threads blocked in accept() or read() on these sockets.
        ::shutdown(impl_->acceptor.native_handle(), SHUT_RDWR);
        for (int fd : impl_->open_sockets) {
            ::shutdown(fd, SHUT_RDWR);
        }
    }
    impl_->stopped_cv.notify_all();
    impl_->accept_thread.join();
    {
        std::lock_guard lock(impl_->mutex);
        threads.swap(impl_->connection_threads);
    }
    for (auto& connection : threads) {
        connection.thread.join();
    }
}

std::uint16_t TestHttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

std::string TestHttpServer::url(std::string_view path_and_query, std::string_view host) const {
    return std::string(impl_->tls ? "https://" : "http://") + std::string(host) + ":" +
           std::to_string(port()) + std::string(path_and_query);
}

std::size_t TestHttpServer::connections_accepted() const { return impl_->accepted.load(); }

std::size_t TestHttpServer::requests_received() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->received.size();
}

std::vector<ReceivedRequest> TestHttpServer::requests() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->received;
}

} // namespace switchboard::http::test_support
