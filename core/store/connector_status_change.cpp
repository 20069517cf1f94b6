#include "core/store/connector_status_change.hpp"

#include "core/store/event_outbox.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::store {

std::optional<ConnectorEventType> event_of(const ConnectorStatusChange& change) noexcept {
    if (change.event) return change.event;
    switch (change.to) {
    case ConnectorStatus::active: return ConnectorEventType::connected;
    case ConnectorStatus::revoked: return ConnectorEventType::revoked;
    case ConnectorStatus::expired: return ConnectorEventType::expired;
    case ConnectorStatus::error: return ConnectorEventType::refresh_failed;
    case ConnectorStatus::disconnected: return ConnectorEventType::disconnected;
    case ConnectorStatus::pending: return std::nullopt;
    }
    return std::nullopt;
}

Result<void> record_status_change(soci::session& sql, const EventOutbox& outbox,
                                  const ConnectorStatusChange& change) {
    const std::string_view from = change.from ? to_string(*change.from) : "new";
    if (change.from == change.to) {
        // Not a status change (a refresh, or a failed one): its own code logs it.
    } else if (change.reason.empty()) {
        spdlog::info("connector {} (tenant {}) is now {} (was {})", change.connector_id,
                     change.tenant_id, to_string(change.to), from);
    } else {
        spdlog::info("connector {} (tenant {}) is now {} (was {}): {}", change.connector_id,
                     change.tenant_id, to_string(change.to), from, change.reason);
    }
    auto event = event_of(change);
    if (!event) return {};
    return outbox.append(sql, change, *event);
}

} // namespace switchboard::store
