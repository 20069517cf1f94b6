#include "core/events/event_feed.hpp"

namespace switchboard::events {

Result<EventPage> OutboxEventFeed::page(std::string_view tenant_id, std::int64_t after,
                                        std::size_t limit) {
    if (limit < 1 || limit > max_page_size) {
        return Error(ErrorKind::invalid_input, "invalid_limit",
                     "limit must be between 1 and " + std::to_string(max_page_size), "limit");
    }
    // One more than asked tells whether another page is ready.
    auto events = log_->after(tenant_id, std::max<std::int64_t>(after, 0), limit + 1);
    if (!events) return events.error();
    EventPage page;
    page.has_more = events->size() > limit;
    if (page.has_more) events->resize(limit);
    page.next_after = events->empty() ? std::max<std::int64_t>(after, 0) : events->back().sequence;
    page.events = std::move(*events);
    return page;
}

} // namespace switchboard::events
