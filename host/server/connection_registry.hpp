// The live connections of a server, so that stopping can reach every one of them (Beast's
// chat-multi `shared_state`), and the caps on how many may be open at once, in all and from
// one client address. Sessions register themselves and leave from their destructor.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace switchboard::server {

class HttpSession;

class ConnectionRegistry {
public:
    // `max_connections` in all, `max_per_address` from one address (0: no per-address cap).
    ConnectionRegistry(std::size_t max_connections, std::size_t max_per_address);

    enum class Admission {
        admitted,
        shutting_down,         // shutdown_all() was called: close without an answer
        too_many_connections,  // max_connections are open
        too_many_from_address, // max_per_address are open from this address
    };
    struct Entry {
        Admission admission = Admission::admitted;
        std::uint64_t id = 0; // for remove(), when admitted
    };

    // Called, on the thread that removed it, when the last connection leaves.
    void set_on_empty(std::function<void()> on_empty);

    // Registers a connection; past the caps (when `capped`) it is refused instead.
    Entry add(std::weak_ptr<HttpSession> session, const std::string& address, bool capped = true);
    void remove(std::uint64_t id);
    std::size_t size() const;

    // Asks every connection to finish its in-flight requests and close (HttpSession::shutdown).
    void shutdown_all();
    // Closes every connection now (HttpSession::close).
    void close_all();

private:
    struct Connection {
        std::weak_ptr<HttpSession> session;
        std::string address;
    };

    template <class F>
    void for_each(F&& f);

    const std::size_t max_connections_;
    const std::size_t max_per_address_;
    mutable std::mutex mutex_;
    std::unordered_map<std::uint64_t, Connection> sessions_;
    std::unordered_map<std::string, std::size_t> per_address_;
    std::uint64_t next_id_ = 1;
    bool shutting_down_ = false;
    std::function<void()> on_empty_;
};

} // namespace switchboard::server
