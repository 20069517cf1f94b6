#include "core/store/webhook_queue.hpp"

#include "core/crypto/secure_random.hpp"

#include <soci/soci.h>

#include <algorithm>

namespace switchboard::store {
namespace {

constexpr std::size_t max_delivery_error_length = 255;

long long epoch_ms(std::chrono::system_clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

} // namespace

WebhookQueue::WebhookQueue(std::shared_ptr<Database> database, WallClock clock)
    : database_(std::move(database)), clock_(std::move(clock)) {
    if (auto owner = crypto::random_uuid()) owner_ = std::move(*owner);
}

long long WebhookQueue::now_ms() const {
    return epoch_ms(clock_ ? clock_() : std::chrono::system_clock::now());
}

Result<std::vector<WebhookDelivery>> WebhookQueue::claim(std::string_view endpoint,
                                                         std::size_t limit,
                                                         std::chrono::milliseconds lease) {
    if (owner_.empty()) {
        return Error(ErrorKind::internal, "random_unavailable",
                     "no random source for the webhook queue's name");
    }
    const long long at = now_ms();
    return database_->query<std::vector<WebhookDelivery>>(
        "claiming webhook deliveries",
        [&](soci::session& sql) -> Result<std::vector<WebhookDelivery>> {
            const bool postgres = database_->backend() == DatabaseBackend::postgresql;
            std::string name(endpoint), name_again(endpoint), owner = owner_;
            long long until = at + lease.count(), due = at, free_at = at;
            long long most = static_cast<long long>(std::max<std::size_t>(1, limit));
            // The pick is a materialized CTE: as a plain IN (subquery), PostgreSQL may run the
            // subquery again per row it updates, each run skipping the rows the previous ones
            // locked, and so claim more than the LIMIT.
            std::string query =
                "WITH picked AS MATERIALIZED (SELECT d.event_id FROM webhook_deliveries d WHERE "
                "d.endpoint = :e AND d.next_attempt_at_ms <= :now AND (d.leased_until_ms IS NULL "
                "OR d.leased_until_ms <= :now2) AND NOT EXISTS (SELECT 1 FROM webhook_deliveries "
                "p WHERE p.endpoint = d.endpoint AND p.connector_id = d.connector_id AND "
                "p.event_id < d.event_id) ORDER BY d.event_id LIMIT :n";
            query += postgres ? " FOR UPDATE OF d SKIP LOCKED)" : ")";
            query += " UPDATE webhook_deliveries SET lease_owner = :o, leased_until_ms = :u, "
                     "attempts = attempts + 1 WHERE endpoint = :e2 AND event_id IN (SELECT "
                     "event_id FROM picked) RETURNING event_id, connector_id, attempts";
            WriteTransaction transaction(sql, database_->backend());
            std::vector<WebhookDelivery> out;
            {
                WebhookDelivery row;
                row.endpoint = name;
                long long position = 0;
                soci::statement st =
                    (sql.prepare << query, soci::use(name), soci::use(due), soci::use(free_at),
                     soci::use(most), soci::use(owner), soci::use(until), soci::use(name_again),
                     soci::into(position), soci::into(row.connector_id),
                     soci::into(row.attempt));
                st.execute();
                while (st.fetch()) {
                    row.event_position = position;
                    out.push_back(row);
                }
            }
            transaction.commit();
            // RETURNING keeps no order.
            std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
                return a.event_position < b.event_position;
            });
            return out;
        });
}

Result<bool> WebhookQueue::delivered(const WebhookDelivery& delivery) {
    return database_->query<bool>(
        "settling a webhook delivery", [&](soci::session& sql) -> Result<bool> {
            long long position = delivery.event_position;
            std::string endpoint = delivery.endpoint, owner = owner_;
            soci::statement st =
                (sql.prepare << "DELETE FROM webhook_deliveries WHERE event_id = :id AND "
                                "endpoint = :e AND lease_owner = :o",
                 soci::use(position), soci::use(endpoint), soci::use(owner));
            st.execute(true);
            return st.get_affected_rows() > 0;
        });
}

Result<void> WebhookQueue::failed(const WebhookDelivery& delivery,
                                  std::chrono::system_clock::time_point retry_at,
                                  std::string_view error) {
    return database_->with_session(
        "rescheduling a webhook delivery", [&](soci::session& sql) -> Result<void> {
            long long position = delivery.event_position, due = epoch_ms(retry_at);
            std::string endpoint = delivery.endpoint, owner = owner_;
            std::string text(error.substr(0, max_delivery_error_length));
            sql << "UPDATE webhook_deliveries SET next_attempt_at_ms = :r, lease_owner = NULL, "
                   "leased_until_ms = NULL, last_error = :err WHERE event_id = :id AND endpoint "
                   "= :e AND lease_owner = :o",
                soci::use(due), soci::use(text), soci::use(position), soci::use(endpoint),
                soci::use(owner);
            return {};
        });
}

Result<std::vector<WebhookBacklog>> WebhookQueue::backlog() {
    return database_->query<std::vector<WebhookBacklog>>(
        "reading the webhook backlog", [&](soci::session& sql) -> Result<std::vector<WebhookBacklog>> {
            std::string endpoint;
            long long count = 0, oldest = 0;
            soci::indicator oldest_ind = soci::i_null;
            soci::statement st =
                (sql.prepare << "SELECT endpoint, COUNT(*), MIN(created_at_ms) FROM "
                                "webhook_deliveries GROUP BY endpoint ORDER BY endpoint",
                 soci::into(endpoint), soci::into(count), soci::into(oldest, oldest_ind));
            st.execute();
            std::vector<WebhookBacklog> out;
            while (st.fetch()) {
                WebhookBacklog row;
                row.endpoint = endpoint;
                row.deliveries = static_cast<std::size_t>(count);
                if (oldest_ind == soci::i_ok) {
                    row.oldest = std::chrono::sys_time<std::chrono::milliseconds>(
                        std::chrono::milliseconds(oldest));
                }
                out.push_back(std::move(row));
            }
            return out;
        });
}

} // namespace switchboard::store
