// A loopback HTTP/1.1 server for the client tests and the benchmark: binds 127.0.0.1 on
// port 0, optionally speaks TLS, answers with what a handler scripts, and counts the
// connections it accepts. One thread per connection; blocking I/O.
#pragma once

#include "core/http/http_message.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::http::test_support {

struct ReceivedRequest {
    std::string method;
    std::string target;
    HttpHeaders headers; // names in lower case
    std::string body;
    std::size_t connection = 0;       // 1-based index of the connection it arrived on
    std::size_t on_connection = 0;    // 1-based index of the request on that connection
    std::string tls_server_name;      // the SNI the client sent, if any

    std::optional<std::string_view> header(std::string_view lower_case_name) const;
};

struct ScriptedResponse {
    int status = 200;
    HttpHeaders headers;
    std::string body;
    bool close_after = false;    // answer with "Connection: close", then close
    bool drop_unanswered = false; // close the connection without answering
    bool never_answer = false;    // keep the connection open and say nothing until stopped
};

using Handler = std::function<ScriptedResponse(const ReceivedRequest&)>;

struct TlsFiles {
    std::string certificate_chain_file;
    std::string private_key_file;
};

class TestHttpServer {
public:
    explicit TestHttpServer(Handler handler, std::optional<TlsFiles> tls = std::nullopt);
    ~TestHttpServer();
    TestHttpServer(const TestHttpServer&) = delete;
    TestHttpServer& operator=(const TestHttpServer&) = delete;

    std::uint16_t port() const;
    // e.g. url("/x") == "http://127.0.0.1:PORT/x"; `host` replaces 127.0.0.1.
    std::string url(std::string_view path_and_query, std::string_view host = "127.0.0.1") const;

    // Requests with `Expect: 100-continue`: `decide` sees the header (no body) and may answer
    // at once, without reading the body (the connection then closes); otherwise the server
    // sends 100 Continue, unless `send_continue` is off (a server that ignores Expect), and
    // reads the body. Set before the first request.
    void on_expect(std::function<std::optional<ScriptedResponse>(const ReceivedRequest&)> decide,
                   bool send_continue = true);

    std::size_t connections_accepted() const;
    std::size_t requests_received() const;
    std::vector<ReceivedRequest> requests() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace switchboard::http::test_support
