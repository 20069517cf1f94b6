// Idle keep-alive connections by (scheme, host, port). Internal to the HTTP client.
#pragma once

#include "core/http/http_connection.hpp"

#include <chrono>
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace switchboard::http {

class ConnectionPool {
public:
    ConnectionPool(std::size_t max_idle_per_host, std::chrono::milliseconds idle_expiry);
    ~ConnectionPool();
    ConnectionPool(const ConnectionPool&) = delete;
    ConnectionPool& operator=(const ConnectionPool&) = delete;

    // [thread-safe] The most recently used idle connection for `key` that has neither
    // expired nor been closed by the server, or null.
    std::unique_ptr<HttpConnection> checkout(const std::string& key);

    // [thread-safe] Keeps `connection` for reuse, closing the oldest one if the host already
    // has the maximum of idle connections.
    void checkin(const std::string& key, std::unique_ptr<HttpConnection> connection);

    // [thread-safe] Closes a connection on its strand, where its Asio objects live.
    static void retire(std::unique_ptr<HttpConnection> connection);

    // [thread-safe] Closes every idle connection.
    void clear();

    std::size_t idle_count() const;

private:
    using Idle = std::deque<std::unique_ptr<HttpConnection>>;

    const std::size_t max_idle_per_host_;
    const std::chrono::milliseconds idle_expiry_;
    mutable std::mutex mutex_;
    std::map<std::string, Idle, std::less<>> idle_;
};

} // namespace switchboard::http
