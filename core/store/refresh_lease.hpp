// RefreshLeaser: which connectors are due for a background token refresh, across tenants,
// each handed to exactly one instance at a time.
#pragma once

#include "core/common/error.hpp"
#include "core/store/connector_account.hpp"
#include "core/store/database.hpp"

#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
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

// A connector leased for a background refresh.
struct LeasedConnector {
    ConnectorRef ref;
    std::string provider;
    int failures = 0; // its consecutive failed background refreshes so far
};

struct LeaseOptions {
    // Due: an active connector with a refresh token whose access token expires within
    // `window` + refresh_jitter_offset(id, jitter), and that is not deferred after a failure.
    std::chrono::seconds window{900};
    std::chrono::seconds jitter{0};
    // A leased connector is not handed out again before this has passed (then it is, in case
    // the instance that leased it died); renew() extends it. update_tokens() ends the lease.
    std::chrono::seconds lease_duration{120};
    std::size_t limit = 50;
};

// Thread-safe, and safe across processes: PostgreSQL picks rows with
// FOR UPDATE SKIP LOCKED, so concurrent instances get disjoint sets; SQLite runs the lease as
// one write transaction. Each leaser (one per instance) names itself in the rows it leases,
// so it renews, releases and defers only its own leases.
class RefreshLeaser {
public:
    explicit RefreshLeaser(std::shared_ptr<Database> database, WallClock clock = {});

    // Leases up to `limit` due connectors, soonest expiry first.
    Result<std::vector<LeasedConnector>> lease_due(const LeaseOptions& options = {});

    // Extends this leaser's leases on `connectors` to now + `lease_duration` (the background
    // refresh calls it while its pass still works on them).
    Result<void> renew(const std::vector<ConnectorRef>& connectors,
                       std::chrono::seconds lease_duration);

    // Ends a lease early (the connector was not refreshed and may be retried on the next pass).
    Result<void> release(const ConnectorRef& connector);

    // Ends a lease after a failed refresh: `failures` in a row so far, and no background
    // attempt before `retry_at` (by any instance).
    Result<void> defer(const ConnectorRef& connector, int failures, Timestamp retry_at);

private:
    std::chrono::system_clock::time_point now() const;

    std::shared_ptr<Database> database_;
    WallClock clock_;
    std::string owner_;
};

// How much earlier than `window` a connector comes due: its share of `jitter`, taken from the
// first three hex digits of its id (random in a UUID v4) as n / 4096. Fixed per connector, so
// every instance agrees on it, and computed the same way by lease_due's SQL.
std::chrono::seconds refresh_jitter_offset(std::string_view connector_id,
                                           std::chrono::seconds jitter);

} // namespace switchboard::store
