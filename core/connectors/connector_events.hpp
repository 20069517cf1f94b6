// ConnectorEvents: an in-process notifier of the changes that alter what a tenant's assistant
// can do — a connector became active (connected, reconnected, confirmed) or was disconnected.
// The MCP server listens, to tell its clients that their tool list changed.
//
// In process only: with several instances, a listener hears about the changes made through
// its own instance; the others learn them from the database the next time they look (an MCP
// client on another instance sees the change on its next tools/list).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace switchboard::connectors {

struct ConnectorChange {
    enum class Kind { activated, disconnected };
    Kind kind = Kind::activated;
    std::string tenant_id;
    std::string connector_id;
    std::string category;
};

// [thread-safe] Listeners run on the publishing thread (a request's worker), one after the
// other, and must be quick: they hand work off, they do not do it.
class ConnectorEvents {
public:
    using Listener = std::function<void(const ConnectorChange&)>;

    // Unsubscribes when destroyed; it may outlive the ConnectorEvents.
    class Subscription {
    public:
        Subscription() = default;
        Subscription(Subscription&&) noexcept = default;
        Subscription& operator=(Subscription&&) noexcept = default;
        ~Subscription();

    private:
        friend class ConnectorEvents;
        struct Registry;
        Subscription(std::weak_ptr<Registry> registry, std::uint64_t id)
            : registry_(std::move(registry)), id_(id) {}
        std::weak_ptr<Registry> registry_;
        std::uint64_t id_ = 0;
    };

    ConnectorEvents();
    ~ConnectorEvents();

    [[nodiscard]] Subscription subscribe(Listener listener);
    // Calls every listener; a listener that throws is logged and skipped.
    void publish(const ConnectorChange& change) const;

private:
    std::shared_ptr<Subscription::Registry> registry_;
};

} // namespace switchboard::connectors
