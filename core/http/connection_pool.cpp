#include "core/http/connection_pool.hpp"

#include <boost/asio/post.hpp>

#include <vector>

namespace switchboard::http {

ConnectionPool::ConnectionPool(std::size_t max_idle_per_host,
                               std::chrono::milliseconds idle_expiry)
    : max_idle_per_host_(max_idle_per_host), idle_expiry_(idle_expiry) {}

ConnectionPool::~ConnectionPool() { clear(); }

std::unique_ptr<HttpConnection> ConnectionPool::checkout(const std::string& key) {
    const auto now = std::chrono::steady_clock::now();
    std::vector<std::unique_ptr<HttpConnection>> dead;
    std::unique_ptr<HttpConnection> found;
    {
        std::lock_guard lock(mutex_);
        auto it = idle_.find(key);
        if (it == idle_.end()) {
            return nullptr;
        }
        Idle& idle = it->second;
        while (!idle.empty()) {
            auto candidate = std::move(idle.back());
            idle.pop_back();
            if (now - candidate->idle_since < idle_expiry_ && candidate->looks_alive()) {
                found = std::move(candidate);
                break;
            }
            dead.push_back(std::move(candidate));
        }
        if (idle.empty()) {
            idle_.erase(it);
        }
    }
    for (auto& connection : dead) {
        retire(std::move(connection));
    }
    return found;
}

void ConnectionPool::checkin(const std::string& key, std::unique_ptr<HttpConnection> connection) {
    if (max_idle_per_host_ == 0) {
        retire(std::move(connection));
        return;
    }
    const auto now = std::chrono::steady_clock::now();
    connection->idle_since = now;
    std::vector<std::unique_ptr<HttpConnection>> dropped;
    {
        std::lock_guard lock(mutex_);
        Idle& idle = idle_[key];
        while (!idle.empty() && now - idle.front()->idle_since >= idle_expiry_) {
            dropped.push_back(std::move(idle.front()));
            idle.pop_front();
        }
        if (idle.size() >= max_idle_per_host_) {
            dropped.push_back(std::move(idle.front()));
            idle.pop_front();
        }
        idle.push_back(std::move(connection));
    }
    for (auto& old : dropped) {
        retire(std::move(old));
    }
}

void ConnectionPool::retire(std::unique_ptr<HttpConnection> connection) {
    if (!connection) {
        return;
    }
    auto strand = connection->strand();
    boost::asio::post(strand, [doomed = std::move(connection)]() mutable {
        boost::system::error_code ignored;
        doomed->tcp().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
        doomed.reset();
    });
}

void ConnectionPool::clear() {
    std::map<std::string, Idle, std::less<>> all;
    {
        std::lock_guard lock(mutex_);
        all.swap(idle_);
    }
    for (auto& [key, idle] : all) {
        for (auto& connection : idle) {
            retire(std::move(connection));
        }
    }
}

std::size_t ConnectionPool::idle_count() const {
    std::lock_guard lock(mutex_);
    std::size_t count = 0;
    for (const auto& [key, idle] : idle_) {
        count += idle.size();
    }
    return count;
}

} // namespace switchboard::http
