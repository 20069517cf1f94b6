// WebhookQueue: the deliveries the outbox holds for each webhook endpoint, handed to one
// instance at a time (a lease) and, per connector and endpoint, strictly in order: only the
// oldest undelivered event of a connector can be claimed, so the next one waits until the
// endpoint took it. A delivery leaves the queue when the endpoint took it; until then it is
// retried, whatever happens to the instances (a lease outlives a dead holder by its length).
#pragma once

#include "core/common/error.hpp"
#include "core/store/connector_account.hpp"
#include "core/store/database.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::store {

// A delivery claimed by this queue.
struct WebhookDelivery {
    std::int64_t event_position = 0; // the event's outbox position (EventLog::get)
    std::string endpoint;
    std::string connector_id;
    int attempt = 0; // 1 for the first attempt
};

// What waits for one endpoint.
struct WebhookBacklog {
    std::string endpoint;
    std::size_t deliveries = 0;
    std::optional<std::chrono::sys_time<std::chrono::milliseconds>> oldest; // its event's write
};

// Thread-safe, and safe across instances: PostgreSQL picks rows with FOR UPDATE SKIP LOCKED;
// SQLite runs each claim as one write transaction. Each queue (one per instance) names itself
// in the rows it leases, so it settles only its own.
class WebhookQueue {
public:
    explicit WebhookQueue(std::shared_ptr<Database> database, WallClock clock = {});

    // Leases up to `limit` due deliveries of `endpoint` for `lease`, oldest event first: of
    // each connector only its oldest undelivered one, and only when it is due (its retry time
    // has come) and not leased by anyone.
    Result<std::vector<WebhookDelivery>> claim(std::string_view endpoint, std::size_t limit,
                                               std::chrono::milliseconds lease);

    // The endpoint took it: the delivery leaves the queue. Returns false when this queue's
    // lease had lapsed and the delivery is someone else's now (it will be delivered again:
    // at least once).
    Result<bool> delivered(const WebhookDelivery& delivery);

    // The attempt failed: the delivery is due again at `retry_at`, unleased; `error` (never a
    // secret; cut to 255 bytes) is kept for operators.
    Result<void> failed(const WebhookDelivery& delivery,
                        std::chrono::system_clock::time_point retry_at, std::string_view error);

    // The undelivered deliveries per endpoint (endpoints with none are not listed).
    Result<std::vector<WebhookBacklog>> backlog();

private:
    long long now_ms() const;

    std::shared_ptr<Database> database_;
    WallClock clock_;
    std::string owner_;
};

} // namespace switchboard::store
