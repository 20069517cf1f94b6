#include "core/store/refresh_lease.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <tuple>

namespace switchboard::store {

RefreshLeaser::RefreshLeaser(std::shared_ptr<Database> database, WallClock clock)
    : database_(std::move(database)), clock_(std::move(clock)) {}

Result<std::vector<ConnectorRef>> RefreshLeaser::lease_due(const LeaseOptions& options) {
    const long long now = to_epoch_seconds(clock_ ? clock_() : std::chrono::system_clock::now());
    return database_->query<std::vector<ConnectorRef>>(
        "leasing connectors due for refresh",
        [&](soci::session& sql) -> Result<std::vector<ConnectorRef>> {
            const bool postgres = database_->backend() == DatabaseBackend::postgresql;
            long long due_before = now + options.refresh_ahead.count();
            long long lease_free = now;
            long long leased_until = now + options.lease_duration.count();
            long long limit = static_cast<long long>(options.limit);
            std::string query =
                "UPDATE connector_accounts SET refresh_leased_until = :until WHERE id IN ("
                "SELECT id FROM connector_accounts WHERE status = 'active' "
                "AND refresh_token_encrypted IS NOT NULL AND token_expires_at IS NOT NULL "
                "AND token_expires_at <= :due AND (refresh_leased_until IS NULL OR "
                "refresh_leased_until <= :now) ORDER BY token_expires_at, id LIMIT :limit";
            query += postgres ? " FOR UPDATE SKIP LOCKED)" : ")";
            query += " RETURNING tenant_id, id, token_expires_at";
            // RETURNING keeps no order: sort here, soonest expiry first.
            std::vector<std::pair<long long, ConnectorRef>> leased;
            WriteTransaction transaction(sql, database_->backend());
            {
                ConnectorRef row;
                long long expires = 0;
                soci::statement st =
                    (sql.prepare << query, soci::use(leased_until), soci::use(due_before),
                     soci::use(lease_free), soci::use(limit), soci::into(row.tenant_id),
                     soci::into(row.connector_id), soci::into(expires));
                st.execute();
                while (st.fetch()) leased.emplace_back(expires, row);
            }
            transaction.commit();
            std::sort(leased.begin(), leased.end(), [](const auto& a, const auto& b) {
                return std::tie(a.first, a.second.connector_id) <
                       std::tie(b.first, b.second.connector_id);
            });
            std::vector<ConnectorRef> out;
            for (auto& entry : leased) out.push_back(std::move(entry.second));
            return out;
        });
}

Result<void> RefreshLeaser::release(const ConnectorRef& connector) {
    return database_->with_session(
        "releasing a refresh lease", [&](soci::session& sql) -> Result<void> {
            std::string tenant = connector.tenant_id, id = connector.connector_id;
            sql << "UPDATE connector_accounts SET refresh_leased_until = NULL WHERE tenant_id = :t "
                   "AND id = :id",
                soci::use(tenant), soci::use(id);
            return {};
        });
}

} // namespace switchboard::store
