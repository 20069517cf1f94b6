// The live connections of a server, so that stopping can reach every one of them (Beast's
// chat-multi `shared_state`). Sessions register themselves and leave from their destructor.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace switchboard::server {

class HttpSession;

class ConnectionRegistry {
public:
    // Called, on the thread that removed it, when the last connection leaves.
    void set_on_empty(std::function<void()> on_empty);

    // The id to remove() it with, or nothing once shutdown_all() has been called: a
    // connection accepted while the server stops is closed instead of served.
    std::optional<std::uint64_t> add(std::weak_ptr<HttpSession> session);
    void remove(std::uint64_t id);
    std::size_t size() const;

    // Asks every connection to finish its in-flight requests and close (HttpSession::shutdown).
    void shutdown_all();
    // Closes every connection now (HttpSession::close).
    void close_all();

private:
    template <class F>
    void for_each(F&& f);

    mutable std::mutex mutex_;
    std::unordered_map<std::uint64_t, std::weak_ptr<HttpSession>> sessions_;
    std::uint64_t next_id_ = 1;
    bool shutting_down_ = false;
    std::function<void()> on_empty_;
};

} // namespace switchboard::server
