#include "core/store/connector_status_change.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::store {

void record_status_change(soci::session& sql, const ConnectorStatusChange& change) {
    (void)sql; // the outbox's insert joins this transaction here
    if (change.reason.empty()) {
        spdlog::info("connector {} (tenant {}) is now {} (was {})", change.connector_id,
                     change.tenant_id, to_string(change.to), to_string(change.from));
    } else {
        spdlog::info("connector {} (tenant {}) is now {} (was {}): {}", change.connector_id,
                     change.tenant_id, to_string(change.to), to_string(change.from),
                     change.reason);
    }
}

} // namespace switchboard::store
