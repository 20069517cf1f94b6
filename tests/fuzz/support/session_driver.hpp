// One client connection through a real server session (host/server's HttpSession, what the
// listener starts for each accepted connection) in this process: the client writes its bytes
// on a socketpair and closes its sending side; the session reads, dispatches to the routes of
// the router it was given on one worker thread, answers, and closes. The io_context runs until
// both ends are done, so each exchange is one whole connection.
//
// check_answers() holds what the server promises every client, however malformed its bytes:
// well-formed HTTP responses, each with an X-Request-Id; never a 500; errors as
// {"error": {"code": "<snake_case>", ...}}.
#pragma once

#include "host/server/http_session.hpp"
#include "host/server/server_options.hpp"
#include "host/server/session_context.hpp"
#include "tests/fuzz/support/fuzz_support.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json.hpp>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <sys/socket.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <future>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace switchboard::fuzz {

inline server::ServerOptions fuzz_server_options() {
    server::ServerOptions options;
    // Nothing in an exchange waits on a timer (the client has sent everything and closed its
    // side), but a timer that fired would end an exchange early rather than hang it.
    options.read_timeout = std::chrono::milliseconds(2000);
    options.idle_timeout = std::chrono::milliseconds(2000);
    options.write_timeout = std::chrono::milliseconds(2000);
    options.worker_threads = 1;
    options.worker_queue_limit = 8;
    options.authenticated_body_limit_bytes = 1024 * 1024;
    options.max_connections_per_address = 0;
    options.cors.allowed_origins = {"https://app.example.com"};
    options.cors.allow_credentials = true;
    options.handle_signals = false;
    return options;
}

// What Server builds around its sessions (server.cpp). Build one per process and keep it.
class SessionDriver {
public:
    // `router` and `registry` (where the server's metrics go) outlive the driver.
    SessionDriver(const server::Router& router, prometheus::Registry& registry)
        : router_(router), metrics_(registry) {
        std::signal(SIGPIPE, SIG_IGN);
        spdlog::set_level(spdlog::level::off); // an access log line per request drowns the run
    }
    SessionDriver(const SessionDriver&) = delete;
    SessionDriver& operator=(const SessionDriver&) = delete;

    // Everything the session sent back on a connection that carried `bytes`.
    std::string exchange(std::string_view bytes) {
        int fds[2];
        check(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) == 0, "socketpair");
        // The server side as the listener hands it over: a socket on a strand of its own.
        boost::asio::ip::tcp::socket server_side(boost::asio::make_strand(io_));
        server_side.assign(boost::asio::ip::tcp::v4(), fds[0]);
        boost::asio::local::stream_protocol::socket client(io_);
        client.assign(boost::asio::local::stream_protocol(), fds[1]);

        std::make_shared<server::HttpSession>(std::move(server_side), context_)->run();

        const std::string request(bytes);
        std::string received;
        boost::asio::async_write(client, boost::asio::buffer(request),
                                 [&client](boost::system::error_code, std::size_t) {
                                     boost::system::error_code ignored;
                                     client.shutdown(boost::asio::socket_base::shutdown_send,
                                                     ignored);
                                 });
        boost::asio::async_read(client, boost::asio::dynamic_buffer(received),
                                [](boost::system::error_code, std::size_t) {});
        io_.run();
        io_.restart();

        // The session has closed its socket, but a worker that ran one of its handlers may still
        // hold it, or be destroying it (it leaves the registry before its members are gone): wait
        // until both queues have let go of every task, then run what they handed back to the
        // io_context, until the session is gone.
        int round = 0;
        do {
            drain(workers_);
            drain(operations_);
            io_.poll();
            io_.restart();
        } while (connections_.size() != 0 && ++round < 100);
        check(connections_.size() == 0, "the session ends and releases its connection");
        return received;
    }

private:
    // Returns once every task posted to `queue` before the call has returned and been destroyed,
    // with what it captured: a queue of one thread runs its tasks in order, and destroys each
    // before it starts the next.
    static void drain(server::WorkQueue& queue) {
        std::promise<void> reached;
        auto barrier = reached.get_future();
        while (!queue.try_post([&reached] { reached.set_value(); })) {
            std::this_thread::yield(); // the queue is full: it only holds this exchange's tasks
        }
        barrier.wait();
    }

    server::ServerOptions options_ = fuzz_server_options();
    const server::Router& router_;
    server::HttpMetrics metrics_;
    server::CorsPolicy cors_{options_.cors};
    server::ConnectionRegistry connections_{options_.max_connections, 0};
    server::WorkQueue workers_{options_.worker_threads, options_.worker_queue_limit};
    server::WorkQueue operations_{1, 16};
    server::SessionContext context_{options_, router_,     cors_,       metrics_,
                                    workers_, operations_, connections_};
    boost::asio::io_context io_;
};

// SB_FUZZ_VERBOSE=1 prints every answer (status and the start of the body): to see what a
// seed reaches when replaying it.
inline bool verbose() {
    static const bool on = std::getenv("SB_FUZZ_VERBOSE") != nullptr;
    return on;
}

inline bool snake_case(std::string_view code) {
    if (code.empty() || code.front() < 'a' || code.front() > 'z') {
        return false;
    }
    for (const char c : code) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
            return false;
        }
    }
    return true;
}

struct Answer {
    unsigned status = 0;
    std::string content_type;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers; // names in lower case

    // The first value of the header `lower_case_name`, "" when there is none.
    std::string_view header(std::string_view lower_case_name) const {
        for (const auto& [name, value] : headers) {
            if (name == lower_case_name) {
                return value;
            }
        }
        return {};
    }
};

// The answers on the wire, each checked. A HEAD answer carries the Content-Length of the body
// it leaves out, so a stream that may hold one cannot be cut into messages without knowing
// which requests were HEAD: pass `head_possible` and only its start is checked.
inline std::vector<Answer> check_answers(std::string_view received, bool head_possible) {
    namespace beast = boost::beast;
    std::vector<Answer> answers;
    if (received.empty()) {
        return answers;
    }
    check(received.starts_with("HTTP/1."), "the session answers with an HTTP response");
    if (head_possible) {
        return answers;
    }
    beast::flat_buffer buffer;
    buffer.commit(boost::asio::buffer_copy(buffer.prepare(received.size()),
                                           boost::asio::buffer(received)));
    while (buffer.size() > 0) {
        beast::http::response_parser<beast::http::string_body> parser;
        parser.eager(true);
        parser.body_limit(boost::none);
        beast::error_code ec;
        const auto used = parser.put(buffer.data(), ec);
        buffer.consume(used);
        if (!ec && !parser.is_done()) {
            parser.put_eof(ec); // a body that runs to the end of the connection
        }
        check(!ec && parser.is_done(), "every answer is a complete HTTP response");
        const auto& response = parser.get();
        Answer answer;
        answer.status = response.result_int();
        if (answer.status < 200) {
            continue; // 100 Continue
        }
        const auto type = response[beast::http::field::content_type];
        answer.content_type.assign(type.data(), type.size());
        answer.body = response.body();
        for (const auto& field : response) {
            std::string name(field.name_string().data(), field.name_string().size());
            for (char& c : name) {
                c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
            }
            answer.headers.emplace_back(std::move(name),
                                        std::string(field.value().data(), field.value().size()));
        }
        check(answer.status != 500, "malformed input never gets a 500");
        check(response.find("X-Request-Id") != response.end(), "every answer has X-Request-Id");
        if (answer.status >= 400 && answer.content_type.starts_with("application/json")) {
            const auto body = nlohmann::json::parse(answer.body, nullptr, false);
            check(body.is_object() && body.contains("error") && body["error"].is_object() &&
                      body["error"].contains("code") && body["error"]["code"].is_string(),
                  "an error answer is {\"error\": {\"code\": ...}}");
            check(snake_case(body["error"]["code"].get_ref<const std::string&>()),
                  "an error code is snake_case");
        }
        if (verbose()) {
            std::fprintf(stderr, "answer %u %s %s\n", answer.status,
                         std::string(answer.header("location")).c_str(),
                         answer.body.substr(0, 300).c_str());
        }
        answers.push_back(std::move(answer));
    }
    return answers;
}

} // namespace switchboard::fuzz
