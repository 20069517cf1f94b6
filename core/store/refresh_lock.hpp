// RefreshLocks: at most one token refresh per connector in flight, across every instance that
// shares the database.
//
// Why. A provider that rotates refresh tokens makes each one single-use: of two instances
// that refresh one connector at once with the stored token, the provider honours the first
// and answers `invalid_grant` to the second, which cannot tell that answer from a revocation.
// Believing it would mark a healthy account `revoked` until its owner reconnects. So a refresh
// runs only under this lock, callers that find it taken wait for the holder and then use what
// it stored, and `invalid_grant` is believed only after checking, still under the lock, that
// the refused token is still the stored one.
//
// How. A lease on the connector's row (refresh_lock_owner, refresh_lock_until), taken by one
// conditional UPDATE ("free, or its holder's lease has lapsed"), which PostgreSQL's row lock
// and SQLite's write lock make atomic. It was chosen over `SELECT ... FOR UPDATE` held for the
// refresh because that keeps a transaction and a pooled connection open for as long as the
// provider takes to answer (up to the OAuth deadline, 30 s), and SQLite has no row locks: its
// only lock would stop every write to the file for that long. The lease works the same on
// PostgreSQL, on SQLite in one process and on one SQLite file shared by two processes.
// - The holder renews the lease every ttl/3 (LeaseHeartbeat) for as long as it works, so the
//   lease outlives the work however long the provider takes; if the holder dies, the lease
//   lapses after `ttl` and the next caller takes over.
// - Waiters poll (first_poll, doubling up to max_poll) until the lock is theirs; the caller
//   then re-reads the connector and, when its credential version moved meanwhile, uses that
//   result instead of refreshing again.
// - Writes made under the lock stay guarded by the credential version, so a holder that lost
//   its lease (frozen for longer than `ttl`) still cannot overwrite newer tokens.
#pragma once

#include "core/common/error.hpp"
#include "core/store/connector_account.hpp"
#include "core/store/database.hpp"

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

namespace switchboard::store {

struct RefreshLockOptions {
    // How long a lock lasts without renewal: how long a dead holder blocks its connector.
    std::chrono::seconds ttl{30};
    std::chrono::milliseconds first_poll{25};
    std::chrono::milliseconds max_poll{250};
};

// A held refresh lock. Renewed in the background while it lives; released by release() or
// by its destructor. Move-only.
class RefreshLockGuard {
public:
    RefreshLockGuard(RefreshLockGuard&&) noexcept;
    RefreshLockGuard& operator=(RefreshLockGuard&&) noexcept;
    ~RefreshLockGuard();

    // Stops renewing and frees the lock (a failure is logged: the lease then lapses).
    void release();

    struct State;

private:
    friend class RefreshLocks;
    explicit RefreshLockGuard(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

// Thread-safe.
class RefreshLocks {
public:
    explicit RefreshLocks(std::shared_ptr<Database> database, WallClock clock = {},
                          RefreshLockOptions options = {});

    // Takes the refresh lock of the tenant's connector, waiting up to `wait` while another
    // holder has it (zero: one try). Errors: not_found / `connector_not_found`; unavailable /
    // `refresh_in_progress` when it is still held after `wait`; the database's errors.
    Result<RefreshLockGuard> acquire(std::string_view tenant_id, std::string_view connector_id,
                                     std::chrono::milliseconds wait);

    const RefreshLockOptions& options() const noexcept { return options_; }

private:
    std::shared_ptr<Database> database_;
    WallClock clock_;
    RefreshLockOptions options_;
};

// unavailable / `refresh_in_progress`: another refresh of the connector holds its lock.
Error refresh_in_progress(std::string_view connector_id);

} // namespace switchboard::store
