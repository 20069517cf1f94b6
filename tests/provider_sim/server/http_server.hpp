// A small Boost.Beast HTTP/1.1 server: one acceptor, N threads on one io_context, a strand
// per connection (the shape of Beast's advanced_server example). Requests are handed to a
// synchronous handler; the simulator's handlers only touch memory, so they run on the I/O
// threads.
#pragma once

#include "core/common/error.hpp"
#include "tests/provider_sim/server/request.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace switchboard::sim {

class HttpServer {
public:
    // [thread-safe] Called concurrently from the I/O threads.
    using Handler = std::function<Response(const Request&)>;

    struct Config {
        std::string address = "127.0.0.1";
        std::uint16_t port = 0; // 0: a free port, see port()
        int threads = 2;
        std::size_t body_limit = 64 * 1024 * 1024;
        std::chrono::seconds read_timeout{30};
    };

    // Binds, listens and starts the threads. Fails (never throws) if the address cannot
    // be bound.
    static Result<std::unique_ptr<HttpServer>> start(Config config, Handler handler);

    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    std::uint16_t port() const;
    // Stops accepting, closes connections and joins the threads. Idempotent.
    void stop();

private:
    struct Impl;
    explicit HttpServer(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

} // namespace switchboard::sim
