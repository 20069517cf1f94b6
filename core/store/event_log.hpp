// EventLog: reading the outbox — a tenant's events in order (the events feed), one event by
// its outbox position (the webhook delivery), and the purge of old events.
#pragma once

#include "core/common/error.hpp"
#include "core/store/connector_event.hpp"
#include "core/store/database.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace switchboard::store {

// Thread-safe. Every read is scoped by tenant, except get(), which the delivery uses with a
// position it claimed.
class EventLog {
public:
    explicit EventLog(std::shared_ptr<Database> database);

    // The tenant's events with a sequence number above `after`, oldest first, at most `limit`.
    // Sequence numbers follow commit order (EventOutbox), so a reader that pages with the
    // last number it saw misses nothing that commits later.
    Result<std::vector<ConnectorEvent>> after(std::string_view tenant_id, std::int64_t after,
                                              std::size_t limit);

    // The event at outbox `position`; not_found / `event_not_found` when purged.
    Result<ConnectorEvent> get(std::int64_t position);

    // Deletes the events older than `before` that no endpoint still waits for, and the
    // deliveries older than `before` to endpoints not in `endpoints` (removed from the
    // config: nobody delivers them). Returns how many events went.
    Result<std::size_t> purge(std::chrono::system_clock::time_point before,
                              const std::vector<std::string>& endpoints);

private:
    std::shared_ptr<Database> database_;
};

} // namespace switchboard::store
