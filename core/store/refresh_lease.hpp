// RefreshLeaser: which connectors are due for a token refresh, across tenants, each handed
// to exactly one instance at a time.
#pragma once

#include "core/common/error.hpp"
#include "core/store/connector_account.hpp"
#include "core/store/database.hpp"

#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

namespace switchboard::store {

// Just enough to find the connector again through ConnectorRepository (tenant-scoped).
struct ConnectorRef {
    std::string tenant_id;
    std::string connector_id;
    friend bool operator==(const ConnectorRef&, const ConnectorRef&) = default;
};

// For test failure messages and logs (ids only).
inline std::ostream& operator<<(std::ostream& out, const ConnectorRef& ref) {
    return out << ref.tenant_id << '/' << ref.connector_id;
}

struct LeaseOptions {
    // Due: an active connector with a refresh token whose access token expires within this.
    std::chrono::seconds refresh_ahead{300};
    // A leased connector is not handed out again before this has passed (then it is,
    // in case the instance that leased it died). update_tokens() ends the lease.
    std::chrono::seconds lease_duration{120};
    std::size_t limit = 50;
};

// Thread-safe, and safe across processes: PostgreSQL picks rows with
// FOR UPDATE SKIP LOCKED, so concurrent instances get disjoint sets; SQLite runs the
// lease as one write transaction.
class RefreshLeaser {
public:
    explicit RefreshLeaser(std::shared_ptr<Database> database, WallClock clock = {});

    // Leases up to `limit` due connectors, soonest expiry first.
    Result<std::vector<ConnectorRef>> lease_due(const LeaseOptions& options = {});

    // Ends a lease early (the refresh failed and should be retried on the next pass).
    Result<void> release(const ConnectorRef& connector);

private:
    std::shared_ptr<Database> database_;
    WallClock clock_;
};

} // namespace switchboard::store
