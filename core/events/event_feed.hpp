// EventFeed: a tenant's connector events for products that poll instead of (or besides)
// receiving webhooks: GET /api/v1/events?after=<cursor>&limit=<n>. The cursor is the last
// sequence number the caller has seen; sequence numbers follow the order in which the changes
// committed, so paging with it never skips an event that commits later.
#pragma once

#include "core/common/error.hpp"
#include "core/store/connector_event.hpp"
#include "core/store/event_log.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace switchboard::events {

inline constexpr std::size_t default_page_size = 100;
inline constexpr std::size_t max_page_size = 500;

struct EventPage {
    std::vector<store::ConnectorEvent> events;
    std::int64_t next_after = 0; // the cursor for the next page (the last sequence returned,
                                 // else the one asked for)
    bool has_more = false;       // another page is ready now
};

class EventFeed {
public:
    virtual ~EventFeed() = default;

    // The tenant's events after sequence `after` (0: from the oldest kept), at most `limit`
    // (1 to max_page_size). [thread-safe] Errors: invalid_input / `invalid_limit`
    // (field "limit"); the database's.
    virtual Result<EventPage> page(std::string_view tenant_id, std::int64_t after,
                                   std::size_t limit) = 0;
};

// The feed over the outbox.
class OutboxEventFeed final : public EventFeed {
public:
    explicit OutboxEventFeed(std::shared_ptr<store::EventLog> log) : log_(std::move(log)) {}

    Result<EventPage> page(std::string_view tenant_id, std::int64_t after,
                           std::size_t limit) override;

private:
    std::shared_ptr<store::EventLog> log_;
};

} // namespace switchboard::events
