#include "host/server/connection_registry.hpp"

#include "host/server/http_session.hpp"

#include <vector>

namespace switchboard::server {

void ConnectionRegistry::set_on_empty(std::function<void()> on_empty) {
    const std::lock_guard lock(mutex_);
    on_empty_ = std::move(on_empty);
}

std::optional<std::uint64_t> ConnectionRegistry::add(std::weak_ptr<HttpSession> session) {
    const std::lock_guard lock(mutex_);
    if (shutting_down_) {
        return std::nullopt;
    }
    const auto id = next_id_++;
    sessions_.emplace(id, std::move(session));
    return id;
}

void ConnectionRegistry::remove(std::uint64_t id) {
    std::function<void()> on_empty;
    {
        const std::lock_guard lock(mutex_);
        if (sessions_.erase(id) == 1 && sessions_.empty()) {
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
        for (const auto& [id, session] : sessions_) {
            sessions.push_back(session);
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
