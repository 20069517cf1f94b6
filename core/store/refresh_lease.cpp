#include "core/store/refresh_lease.hpp"

#include "core/crypto/secure_random.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <tuple>

namespace switchboard::store {
namespace {

constexpr std::string_view hex_digits = "0123456789abcdef";
constexpr long long jitter_buckets = 4096; // three hex digits

// refresh_jitter_offset's n, in SQL: instr (SQLite) and strpos (PostgreSQL) both give the
// 1-based position of a digit in "0123456789abcdef".
std::string jitter_bucket_sql(DatabaseBackend backend) {
    const std::string find = backend == DatabaseBackend::postgresql ? "strpos" : "instr";
    auto digit = [&](int position) {
        return "(" + find + "('" + std::string(hex_digits) + "', substr(id, " +
               std::to_string(position) + ", 1)) - 1)";
    };
    return "(" + digit(1) + " * 256 + " + digit(2) + " * 16 + " + digit(3) + ")";
}

Error no_owner() {
    return Error(ErrorKind::internal, "random_unavailable",
                 "no random source for the refresh leaser's name");
}

} // namespace

std::chrono::seconds refresh_jitter_offset(std::string_view connector_id,
                                           std::chrono::seconds jitter) {
    long long bucket = 0;
    for (std::size_t i = 0; i < 3; ++i) {
        const auto at = i < connector_id.size() ? hex_digits.find(connector_id[i])
                                                : std::string_view::npos;
        // Like the SQL: a character that is not a lower-case hex digit counts as -1.
        bucket = bucket * 16 + (at == std::string_view::npos ? -1 : static_cast<long long>(at));
    }
    return std::chrono::seconds(bucket * jitter.count() / jitter_buckets);
}

RefreshLeaser::RefreshLeaser(std::shared_ptr<Database> database, WallClock clock)
    : database_(std::move(database)), clock_(std::move(clock)) {
    if (auto owner = crypto::random_uuid()) owner_ = std::move(*owner);
}

std::chrono::system_clock::time_point RefreshLeaser::now() const {
    return clock_ ? clock_() : std::chrono::system_clock::now();
}

Result<std::vector<LeasedConnector>> RefreshLeaser::lease_due(const LeaseOptions& options) {
    if (owner_.empty()) return no_owner();
    const long long at = to_epoch_seconds(now());
    return database_->query<std::vector<LeasedConnector>>(
        "leasing connectors due for refresh",
        [&](soci::session& sql) -> Result<std::vector<LeasedConnector>> {
            const bool postgres = database_->backend() == DatabaseBackend::postgresql;
            long long due_before = at + options.window.count();
            long long latest = due_before + options.jitter.count(); // lets the index help
            long long jitter = options.jitter.count();
            long long lease_free = at, retry_free = at;
            // Whole seconds, `at` rounded down: one more keeps the lease at least its duration.
            long long leased_until = at + options.lease_duration.count() + 1;
            long long limit = static_cast<long long>(options.limit);
            std::string owner = owner_;
            std::string query =
                "UPDATE connector_accounts SET refresh_leased_until = :until, "
                "refresh_lease_owner = :owner WHERE id IN (SELECT id FROM connector_accounts "
                "WHERE status = 'active' AND refresh_token_encrypted IS NOT NULL AND "
                "token_expires_at IS NOT NULL AND token_expires_at <= :latest AND "
                "token_expires_at - (" + jitter_bucket_sql(database_->backend()) +
                " * :jitter) / " + std::to_string(jitter_buckets) +
                " <= :due AND (refresh_leased_until IS NULL OR refresh_leased_until <= :now) AND "
                "(refresh_retry_at IS NULL OR refresh_retry_at <= :now2) "
                "ORDER BY token_expires_at, id LIMIT :limit";
            query += postgres ? " FOR UPDATE SKIP LOCKED)" : ")";
            query += " RETURNING tenant_id, id, provider, token_expires_at, refresh_failures";
            // RETURNING keeps no order: sort here, soonest expiry first.
            std::vector<std::pair<long long, LeasedConnector>> leased;
            WriteTransaction transaction(sql, database_->backend());
            {
                LeasedConnector row;
                long long expires = 0;
                int failures = 0;
                soci::statement st =
                    (sql.prepare << query, soci::use(leased_until), soci::use(owner),
                     soci::use(latest), soci::use(jitter), soci::use(due_before),
                     soci::use(lease_free), soci::use(retry_free), soci::use(limit),
                     soci::into(row.ref.tenant_id), soci::into(row.ref.connector_id),
                     soci::into(row.provider), soci::into(expires), soci::into(failures));
                st.execute();
                while (st.fetch()) {
                    row.failures = failures;
                    leased.emplace_back(expires, row);
                }
            }
            transaction.commit();
            std::sort(leased.begin(), leased.end(), [](const auto& a, const auto& b) {
                return std::tie(a.first, a.second.ref.connector_id) <
                       std::tie(b.first, b.second.ref.connector_id);
            });
            std::vector<LeasedConnector> out;
            out.reserve(leased.size());
            for (auto& entry : leased) out.push_back(std::move(entry.second));
            return out;
        });
}

Result<void> RefreshLeaser::renew(const std::vector<ConnectorRef>& connectors,
                                  std::chrono::seconds lease_duration) {
    if (connectors.empty()) return {};
    return database_->with_session(
        "renewing refresh leases", [&](soci::session& sql) -> Result<void> {
            long long until = to_epoch_seconds(now()) + lease_duration.count() + 1;
            std::string owner = owner_, tenant, id;
            WriteTransaction transaction(sql, database_->backend());
            soci::statement st =
                (sql.prepare << "UPDATE connector_accounts SET refresh_leased_until = :u WHERE "
                                "tenant_id = :t AND id = :id AND refresh_lease_owner = :o",
                 soci::use(until), soci::use(tenant), soci::use(id), soci::use(owner));
            for (const auto& connector : connectors) {
                tenant = connector.tenant_id;
                id = connector.connector_id;
                st.execute(true);
            }
            transaction.commit();
            return {};
        });
}

Result<void> RefreshLeaser::release(const ConnectorRef& connector) {
    return database_->with_session(
        "releasing a refresh lease", [&](soci::session& sql) -> Result<void> {
            std::string tenant = connector.tenant_id, id = connector.connector_id, owner = owner_;
            sql << "UPDATE connector_accounts SET refresh_leased_until = NULL, "
                   "refresh_lease_owner = NULL WHERE tenant_id = :t AND id = :id AND "
                   "refresh_lease_owner = :o",
                soci::use(tenant), soci::use(id), soci::use(owner);
            return {};
        });
}

Result<void> RefreshLeaser::defer(const ConnectorRef& connector, int failures,
                                  Timestamp retry_at) {
    return database_->with_session(
        "deferring a refresh", [&](soci::session& sql) -> Result<void> {
            std::string tenant = connector.tenant_id, id = connector.connector_id, owner = owner_;
            long long at = retry_at.time_since_epoch().count();
            sql << "UPDATE connector_accounts SET refresh_failures = :f, refresh_retry_at = :r, "
                   "refresh_leased_until = NULL, refresh_lease_owner = NULL WHERE tenant_id = :t "
                   "AND id = :id AND refresh_lease_owner = :o",
                soci::use(failures), soci::use(at), soci::use(tenant), soci::use(id),
                soci::use(owner);
            return {};
        });
}

} // namespace switchboard::store
