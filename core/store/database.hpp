// The SQL database shared by the token store and the embedded OAuth state store: a pool of
// SOCI sessions on SQLite or PostgreSQL, migrated at open.
#pragma once

#include "core/common/error.hpp"
#include "core/store/database_url.hpp"
#include "core/store/prepared_statements.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace soci {
class session;
}

namespace switchboard::store {

class SqliteLockWaits;

struct DatabaseOptions {
    // Connections in the pool (one per concurrently running query). sqlite::memory: uses
    // one whatever this says, since each connection would be its own database.
    std::size_t pool_size = 4;
    // How long a caller waits for a free connection before `database_busy`.
    std::chrono::milliseconds lease_timeout{10000};
    // SQLite: how long a statement waits for another connection's write lock.
    std::chrono::seconds sqlite_busy_timeout{10};
    // Apply pending migrations in open() (start-up does; tools may not want to).
    bool migrate = true;
    // SQLite: fsync the write-ahead log at every commit (PRAGMA synchronous = FULL) rather
    // than at checkpoints (NORMAL). NORMAL never corrupts the database and loses nothing when
    // the process dies; after a power loss or an OS crash the last commits may be rolled back.
    // FULL keeps them, at a disk flush per commit (milliseconds on most disks, and the single
    // writer waits for it).
    bool sqlite_synchronous_full = false;
};

// Thread-safe: every call leases its own session from the pool.
class Database {
public:
    // Opens every pooled connection and (by default) migrates. Errors: `invalid_database_url`
    // (invalid_input), `database_unavailable` (unavailable), `migration_failed` (internal).
    // Messages name the redacted URL, never a password.
    static Result<std::shared_ptr<Database>> open(std::string_view url,
                                                  const DatabaseOptions& options = {});

    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    DatabaseBackend backend() const { return url_.backend; }
    const std::string& redacted_url() const { return url_.redacted; }

    // Runs `work` on a leased session. SOCI exceptions become Errors: a lost connection is
    // `database_unavailable` (and the session reconnects on its next lease), a constraint
    // violation is `conflict`, anything else `database_error`; `what` ("listing connectors")
    // goes into the message. The backend's own text is logged, not returned.
    Result<void> with_session(std::string_view what,
                              const std::function<Result<void>(soci::session&)>& work);

    template <class T>
    Result<T> query(std::string_view what, const std::function<Result<T>(soci::session&)>& work) {
        std::optional<Result<T>> out;
        auto done = with_session(what, [&](soci::session& sql) -> Result<void> {
            out.emplace(work(sql));
            return {};
        });
        if (!done) return done.error();
        return std::move(*out);
    }

    // with_session, with the leased connection's kept statements (prepared_statements.hpp):
    // for the queries run often enough that preparing them each time shows.
    Result<void> with_prepared(
        std::string_view what,
        const std::function<Result<void>(soci::session&, PreparedStatements&)>& work);

    template <class T>
    Result<T> query_prepared(
        std::string_view what,
        const std::function<Result<T>(soci::session&, PreparedStatements&)>& work) {
        std::optional<Result<T>> out;
        auto done = with_prepared(
            what, [&](soci::session& sql, PreparedStatements& statements) -> Result<void> {
                out.emplace(work(sql, statements));
                return {};
            });
        if (!done) return done.error();
        return std::move(*out);
    }

    // Applies the migrations not applied yet (open() does this unless told not to).
    Result<void> migrate();

    struct Pool;

private:
    Database(DatabaseUrl url, const DatabaseOptions& options);
    Result<void> connect_all();
    // Opens (or opens again) one pooled session and sets it up for this backend.
    Result<void> open_session(soci::session& sql);

    DatabaseUrl url_;
    DatabaseOptions options_;
    // SQLite: how the pool's connections wait for each other's locks (before the pool: the
    // connections refer to it).
    std::unique_ptr<SqliteLockWaits> sqlite_waits_;
    std::unique_ptr<Pool> pool_;
};

// A write transaction: BEGIN IMMEDIATE on SQLite (takes the write lock up front, so two
// read-then-write transactions cannot deadlock), BEGIN on PostgreSQL. Rolls back unless
// committed. SOCI exceptions propagate to Database::with_session.
class WriteTransaction {
public:
    WriteTransaction(soci::session& sql, DatabaseBackend backend);
    ~WriteTransaction();
    WriteTransaction(const WriteTransaction&) = delete;
    WriteTransaction& operator=(const WriteTransaction&) = delete;
    void commit();

private:
    soci::session& sql_;
    bool open_ = true;
};

// Seconds since the epoch, the unit of every timestamp column.
long long to_epoch_seconds(std::chrono::system_clock::time_point time);
std::chrono::sys_seconds from_epoch_seconds(long long seconds);

} // namespace switchboard::store
