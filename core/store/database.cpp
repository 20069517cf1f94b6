#include "core/store/database.hpp"

#include "core/store/migrations.hpp"
#include "core/store/private_files.hpp"
#include "core/store/sqlite_connection.hpp"

#include <soci/connection-pool.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <vector>

namespace switchboard::store {

struct Database::Pool {
    explicit Pool(std::size_t size) : sessions(size), broken(size), statements(size) {
        for (auto& flag : broken) flag.store(false);
    }
    soci::connection_pool sessions;
    // Set when a session saw its connection fail; it reconnects on its next lease.
    std::vector<std::atomic<bool>> broken;
    // Each session's kept statements (after the sessions: finalized before they close).
    std::vector<PreparedStatements> statements;
};

namespace {

// Leases one pooled session for the lifetime of the object.
class Lease {
public:
    Lease(soci::connection_pool& pool, std::size_t position) : pool_(pool), position_(position) {}
    ~Lease() { pool_.give_back(position_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    soci::session& session() { return pool_.at(position_); }
    std::size_t position() const { return position_; }

private:
    soci::connection_pool& pool_;
    std::size_t position_;
};

bool is_constraint_violation(const soci::soci_error& error) {
    if (auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&error)) {
        return pg->sqlstate().rfind("23", 0) == 0; // class 23: integrity constraint violation
    }
    if (auto* lite = dynamic_cast<const soci::sqlite3_soci_error*>(&error)) {
        return (lite->result() & 0xff) == SQLITE_CONSTRAINT;
    }
    return error.get_error_category() == soci::soci_error::constraint_violation;
}

bool is_connection_failure(const soci::soci_error& error) {
    if (error.get_error_category() == soci::soci_error::connection_error) return true;
    if (auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&error)) {
        const std::string state = pg->sqlstate();
        // 08: connection exception; 57P01..03: the server is shutting down.
        return state.rfind("08", 0) == 0 || state.rfind("57P0", 0) == 0;
    }
    return false;
}

Error unavailable(const DatabaseUrl& url, std::string_view what) {
    return Error(ErrorKind::unavailable, "database_unavailable",
                 "database " + url.redacted + " is unavailable while " + std::string(what));
}

} // namespace

Database::Database(DatabaseUrl url, const DatabaseOptions& options)
    : url_(std::move(url)), options_(options),
      sqlite_waits_(std::make_unique<SqliteLockWaits>(options.sqlite_busy_timeout)),
      pool_(std::make_unique<Pool>(url_.in_memory ? 1
                                                  : std::max<std::size_t>(1, options.pool_size))) {}

Database::~Database() = default;

Result<std::shared_ptr<Database>> Database::open(std::string_view url,
                                                 const DatabaseOptions& options) {
    auto parsed = parse_database_url(url);
    if (!parsed) return parsed.error();
    if (!parsed->sqlite_file.empty()) {
        // SQLite creates the file but not its directory (the default and demo configs put
        // the file in var/, which a fresh checkout does not have). Both are created here,
        // the owner's alone whatever the umask; SQLite gives its -wal and -shm files the
        // database file's mode.
        const std::filesystem::path file(parsed->sqlite_file);
        if (file.has_parent_path()) {
            if (auto made = create_private_directories(file.parent_path()); !made) {
                return made.error();
            }
        }
        if (auto made = create_private_file(file); !made) return made.error();
    }
    std::shared_ptr<Database> database(new Database(std::move(*parsed), options));
    if (auto connected = database->connect_all(); !connected) return connected.error();
    if (options.migrate) {
        if (auto migrated = database->migrate(); !migrated) return migrated.error();
    }
    return database;
}

Result<void> Database::connect_all() {
    for (std::size_t i = 0; i < pool_->broken.size(); ++i) {
        if (auto opened = open_session(pool_->sessions.at(i)); !opened) return opened.error();
    }
    return {};
}

Result<void> Database::open_session(soci::session& sql) {
    try {
        if (sql.get_backend() != nullptr) sql.close(); // a session whose connection broke
        if (url_.backend == DatabaseBackend::sqlite) {
            sql.open(*soci::factory_sqlite3(), url_.connect_string);
            configure_sqlite_connection(sql, *sqlite_waits_,
                                        {url_.in_memory, options_.sqlite_synchronous_full});
        } else {
            sql.open(*soci::factory_postgresql(), url_.connect_string);
            // Keep NOTICEs ("already exists, skipping") off stderr.
            sql << "SET client_min_messages = warning";
        }
    } catch (const soci::soci_error& error) {
        spdlog::error("cannot open database {}: {}", url_.redacted, error.get_error_message());
        return Error(ErrorKind::unavailable, "database_unavailable",
                     "cannot open database " + url_.redacted + ": " + error.get_error_message());
    }
    return {};
}

Result<void> Database::with_session(std::string_view what,
                                    const std::function<Result<void>(soci::session&)>& work) {
    return with_prepared(what, [&](soci::session& sql, PreparedStatements&) { return work(sql); });
}

Result<void> Database::with_prepared(
    std::string_view what,
    const std::function<Result<void>(soci::session&, PreparedStatements&)>& work) {
    std::size_t position = 0;
    if (!pool_->sessions.try_lease(position, static_cast<int>(options_.lease_timeout.count()))) {
        return Error(ErrorKind::unavailable, "database_busy",
                     "no free database connection while " + std::string(what));
    }
    Lease lease(pool_->sessions, position);
    PreparedStatements& statements = pool_->statements[position];
    try {
        if (pool_->broken[position].load()) {
            // Opened again as at start-up (busy wait, pragmas), not with SOCI's reconnect().
            statements.clear();
            if (auto opened = open_session(lease.session()); !opened) {
                return unavailable(url_, what);
            }
            pool_->broken[position].store(false);
        }
        return work(lease.session(), statements);
    } catch (const soci::soci_error& error) {
        // A kept statement may be mid-result or bound to a lost connection: prepare anew.
        statements.clear();
        if (is_constraint_violation(error)) {
            return Error(ErrorKind::conflict, "conflict",
                         "a database constraint refused the change while " + std::string(what));
        }
        // SOCI's what() may quote bound values; log only the backend's message.
        spdlog::warn("database error while {}: {}", what, error.get_error_message());
        if (is_connection_failure(error) || !lease.session().is_connected()) {
            pool_->broken[position].store(true);
            return unavailable(url_, what);
        }
        // A PostgreSQL connection that dropped shows up as a generic error; check it.
        if (url_.backend == DatabaseBackend::postgresql) {
            try {
                lease.session() << "SELECT 1";
            } catch (const soci::soci_error&) {
                pool_->broken[position].store(true);
                return unavailable(url_, what);
            }
        }
        return Error(ErrorKind::internal, "database_error",
                     "database error while " + std::string(what));
    } catch (const std::exception& error) {
        statements.clear();
        spdlog::error("unexpected failure while {}: {}", what, error.what());
        return Error(ErrorKind::internal, "database_error",
                     "database error while " + std::string(what));
    }
}

Result<void> Database::migrate() {
    return with_session("applying migrations", [&](soci::session& sql) -> Result<void> {
        return apply_migrations(sql, url_.backend);
    });
}

WriteTransaction::WriteTransaction(soci::session& sql, DatabaseBackend backend) : sql_(sql) {
    sql_ << (backend == DatabaseBackend::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
}

WriteTransaction::~WriteTransaction() {
    if (!open_) return;
    try {
        sql_ << "ROLLBACK";
    } catch (...) {
        // The connection is gone; the server rolls back on its own.
    }
}

void WriteTransaction::commit() {
    sql_ << "COMMIT";
    open_ = false;
}

long long to_epoch_seconds(std::chrono::system_clock::time_point time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

std::chrono::sys_seconds from_epoch_seconds(long long seconds) {
    return std::chrono::sys_seconds(std::chrono::seconds(seconds));
}

} // namespace switchboard::store
