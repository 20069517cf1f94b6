#include "core/store/refresh_lock.hpp"

#include "core/crypto/secure_random.hpp"
#include "core/store/lease_heartbeat.hpp"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>
#include <thread>

namespace switchboard::store {
namespace {

// One connector's lock as one holder sees it. Every statement names the owner, so a holder
// whose lease lapsed and was taken over can neither renew nor free the new holder's lock.
struct LockRow {
    std::shared_ptr<Database> database;
    WallClock clock;
    std::string tenant_id;
    std::string connector_id;
    std::string owner;
    std::chrono::seconds ttl{};

    long long now() const {
        return to_epoch_seconds(clock ? clock() : std::chrono::system_clock::now());
    }
    // Timestamps are whole seconds, `now` rounded down: one more keeps a lease at least `ttl`.
    long long lease_end() const { return now() + ttl.count() + 1; }

    // Takes the lock when it is free or its holder's lease has lapsed; false when held.
    Result<bool> take() const {
        return database->query<bool>(
            "taking a refresh lock", [&](soci::session& sql) -> Result<bool> {
                long long at = now(), until = lease_end();
                std::string tenant = tenant_id, id = connector_id, me = owner;
                soci::statement st =
                    (sql.prepare
                         << "UPDATE connector_accounts SET refresh_lock_owner = :o, "
                            "refresh_lock_until = :u WHERE tenant_id = :t AND id = :id "
                            "AND (refresh_lock_owner IS NULL OR refresh_lock_until <= :now)",
                     soci::use(me), soci::use(until), soci::use(tenant), soci::use(id),
                     soci::use(at));
                st.execute(true);
                if (st.get_affected_rows() == 1) return true;
                int exists = 0;
                sql << "SELECT COUNT(*) FROM connector_accounts WHERE tenant_id = :t AND id = :id",
                    soci::into(exists), soci::use(tenant), soci::use(id);
                if (exists == 0) {
                    return Error(ErrorKind::not_found, "connector_not_found",
                                 "connector '" + id + "' does not exist");
                }
                return false;
            });
    }

    void renew() const {
        auto renewed = database->query<bool>(
            "renewing a refresh lock", [&](soci::session& sql) -> Result<bool> {
                long long until = lease_end();
                std::string tenant = tenant_id, id = connector_id, me = owner;
                soci::statement st =
                    (sql.prepare << "UPDATE connector_accounts SET refresh_lock_until = :u WHERE "
                                    "tenant_id = :t AND id = :id AND refresh_lock_owner = :o",
                     soci::use(until), soci::use(tenant), soci::use(id), soci::use(me));
                st.execute(true);
                return st.get_affected_rows() == 1;
            });
        if (!renewed) {
            spdlog::warn("cannot renew the refresh lock of connector {}: {}", connector_id,
                         renewed.error().code);
        } else if (!*renewed) {
            spdlog::warn("the refresh lock of connector {} lapsed and was taken over while its "
                         "refresh ran",
                         connector_id);
        }
    }

    void free() const {
        auto freed = database->with_session(
            "releasing a refresh lock", [&](soci::session& sql) -> Result<void> {
                std::string tenant = tenant_id, id = connector_id, me = owner;
                sql << "UPDATE connector_accounts SET refresh_lock_owner = NULL, "
                       "refresh_lock_until = NULL WHERE tenant_id = :t AND id = :id AND "
                       "refresh_lock_owner = :o",
                    soci::use(tenant), soci::use(id), soci::use(me);
                return {};
            });
        if (!freed) {
            spdlog::warn("cannot release the refresh lock of connector {} ({}); it lapses on its "
                         "own",
                         connector_id, freed.error().code);
        }
    }
};

} // namespace

Error refresh_in_progress(std::string_view connector_id) {
    return Error(ErrorKind::unavailable, "refresh_in_progress",
                 "another refresh of connector '" + std::string(connector_id) +
                     "' is still running; retry shortly");
}

struct RefreshLockGuard::State {
    LockRow row;
    std::optional<LeaseHeartbeat> heartbeat;
};

RefreshLockGuard::RefreshLockGuard(std::unique_ptr<State> state) : state_(std::move(state)) {}
RefreshLockGuard::RefreshLockGuard(RefreshLockGuard&&) noexcept = default;

RefreshLockGuard& RefreshLockGuard::operator=(RefreshLockGuard&& other) noexcept {
    if (this != &other) {
        release();
        state_ = std::move(other.state_);
    }
    return *this;
}

RefreshLockGuard::~RefreshLockGuard() { release(); }

void RefreshLockGuard::release() {
    if (!state_) return;
    state_->heartbeat.reset(); // no renewal may follow the release
    state_->row.free();
    state_.reset();
}

RefreshLocks::RefreshLocks(std::shared_ptr<Database> database, WallClock clock,
                           RefreshLockOptions options)
    : database_(std::move(database)), clock_(std::move(clock)), options_(options) {}

Result<RefreshLockGuard> RefreshLocks::acquire(std::string_view tenant_id,
                                               std::string_view connector_id,
                                               std::chrono::milliseconds wait) {
    auto owner = crypto::random_uuid();
    if (!owner) return owner.error();
    auto state = std::make_unique<RefreshLockGuard::State>();
    state->row = LockRow{database_, clock_, std::string(tenant_id), std::string(connector_id),
                         std::move(*owner), options_.ttl};

    const auto deadline = std::chrono::steady_clock::now() + wait;
    auto poll = options_.first_poll;
    while (true) {
        auto taken = state->row.take();
        if (!taken) return taken.error();
        if (*taken) break;
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return refresh_in_progress(connector_id);
        std::this_thread::sleep_for(
            std::min<std::chrono::steady_clock::duration>(poll, deadline - now));
        poll = std::min(poll * 2, options_.max_poll);
    }
    const LockRow* row = &state->row;
    state->heartbeat.emplace(
        heartbeat_period(std::chrono::duration_cast<std::chrono::milliseconds>(options_.ttl)),
        [row] { row->renew(); });
    return RefreshLockGuard(std::move(state));
}

} // namespace switchboard::store
