#include "host/server/connection_registry.hpp"

#include "host/server/http_session.hpp"

#include <vector>

namespace switchboard::server {

ConnectionRegistry::ConnectionRegistry(std::size_t max_connections, std::size_t max_per_address)
    : max_connections_(max_connections), max_per_address_(max_per_address) {}

void ConnectionRegistry::set_on_empty(std::function<void()> on_empty) {
    const std::lock_guard lock(mutex_);
    on_empty_ = std::move(on_empty);
}

ConnectionRegistry::Entry ConnectionRegistry::add(std::weak_ptr<HttpSession> session,
                                                   const std::string& address, bool capped) {
    const std::lock_guard lock(mutex_);
    if (shutting_down_) {
        return {Admission::shutting_down};
    }
    if (capped && sessions_.size() >= max_connections_) {
        return {Admission::too_many_connections};
    }
    auto& from_address = per_address_[address];
    if (capped && max_per_address_ != 0 && from_address >= max_per_address_) {
        return {Admission::too_many_from_address};
    }
    ++from_address;
    const auto id = next_id_++;
    sessions_.emplace(id, Connection{std::move(session), address});
    return {Admission::admitted, id};
}

void ConnectionRegistry::remove(std::uint64_t id) {
    std::function<void()> on_empty;
    {
        const std::lock_guard lock(mutex_);
        const auto it = sessions_.find(id);
        if (it == sessions_.end()) {
            return;
        }
        const auto count = per_address_.find(it->second.address);
        if (count != per_address_.end() && --count->second == 0) {
            per_address_.erase(count); // the map holds only addresses with open connections
        }
        sessions_.erase(it);
        if (sessions_.empty()) {
            on_empty = on_empty_;
        }
    }
    if (on_empty) {
        on_empty();
    }
}

std::size_t ConnectionRegistry::size() const {
    const std::lock_guard lock(mutex_);
    return sessions_.size();
}

template <class F>
void ConnectionRegistry::for_each(F&& f) {
    // Copy under the lock, call outside it: a session may leave (and lock) meanwhile.
    std::vector<std::weak_ptr<HttpSession>> sessions;
    {
        const std::lock_guard lock(mutex_);
        sessions.reserve(sessions_.size());
        for (const auto& [id, connection] : sessions_) {
            sessions.push_back(connection.session);
        }
    }
    for (const auto& weak : sessions) {
        if (auto session = weak.lock()) {
            f(*session);
        }
    }
}

void ConnectionRegistry::shutdown_all() {
    {
        const std::lock_guard lock(mutex_);
        shutting_down_ = true;
    }
    for_each([](HttpSession& session) { session.shutdown(); });
}

void ConnectionRegistry::close_all() {
    for_each([](HttpSession& session) { session.close(); });
}

} // namespace switchboard::server
