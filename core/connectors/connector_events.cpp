#include "core/connectors/connector_events.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <vector>

namespace switchboard::connectors {

struct ConnectorEvents::Subscription::Registry {
    std::mutex mutex;
    std::uint64_t next_id = 1;
    std::map<std::uint64_t, std::shared_ptr<const Listener>> listeners;
};

ConnectorEvents::Subscription::~Subscription() {
    if (auto registry = registry_.lock()) {
        std::lock_guard lock(registry->mutex);
        registry->listeners.erase(id_);
    }
}

ConnectorEvents::ConnectorEvents() : registry_(std::make_shared<Subscription::Registry>()) {}
ConnectorEvents::~ConnectorEvents() = default;

ConnectorEvents::Subscription ConnectorEvents::subscribe(Listener listener) {
    std::lock_guard lock(registry_->mutex);
    const std::uint64_t id = registry_->next_id++;
    registry_->listeners.emplace(id, std::make_shared<const Listener>(std::move(listener)));
    return Subscription(registry_, id);
}

void ConnectorEvents::publish(const ConnectorChange& change) const {
    // Called without the lock held, so a listener may subscribe or unsubscribe.
    std::vector<std::shared_ptr<const Listener>> listeners;
    {
        std::lock_guard lock(registry_->mutex);
        for (const auto& [id, listener] : registry_->listeners) {
            listeners.push_back(listener);
        }
    }
    for (const auto& listener : listeners) {
        try {
            (*listener)(change);
        } catch (const std::exception& e) {
            spdlog::error("a connector change listener failed: {}", e.what());
        }
    }
}

} // namespace switchboard::connectors
