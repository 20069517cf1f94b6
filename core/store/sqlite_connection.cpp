#include "core/store/sqlite_connection.hpp"

// SOCI declares SQLite's API inside namespace sqlite_api (its connection handle is
// sqlite_api::sqlite3*).
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>

namespace switchboard::store {
namespace {

using sqlite_api::sqlite3;

// The pauses come in phases of ten attempts, each phase's pause twice the last one's.
constexpr int attempts_per_phase = 10;
constexpr int last_phase = 6;

// The total of the pauses before attempt `attempt` (an upper bound of the time waited: a
// release ends a pause early). At most seven phases to add up.
std::chrono::microseconds paused_before(int attempt) {
    std::chrono::microseconds paused{0};
    for (int phase = 0; attempt > 0; ++phase) {
        const int in_phase = phase < last_phase ? std::min(attempt, attempts_per_phase) : attempt;
        paused += in_phase * SqliteLockWaits::pause(phase * attempts_per_phase);
        attempt -= in_phase;
    }
    return paused;
}

// SQLite calls the busy handler with the number of times it already called it for this wait.
int wait_for_lock(void* waits, int attempt) {
    return static_cast<SqliteLockWaits*>(waits)->wait(attempt) ? 1 : 0;
}

// Called after each commit, the write lock already released. When the checkpoint cannot
// finish (a reader outlasts the busy timeout, or another connection is checkpointing), it
// copied what it could, and a later commit tries again.
int after_commit(void* waits, sqlite3* connection, const char* database, int wal_pages) {
    static_cast<SqliteLockWaits*>(waits)->released();
    if (wal_pages >= sqlite_checkpoint_pages) {
        sqlite_api::sqlite3_wal_checkpoint_v2(connection, database, SQLITE_CHECKPOINT_RESTART,
                                              nullptr, nullptr);
        static_cast<SqliteLockWaits*>(waits)->released();
    }
    return SQLITE_OK;
}

void after_rollback(void* waits) { static_cast<SqliteLockWaits*>(waits)->released(); }

} // namespace

std::chrono::microseconds SqliteLockWaits::pause(int attempt) {
    // 20 µs for the first 10 attempts, doubling every 10 after that, capped at 1 ms.
    constexpr std::chrono::microseconds first{20}, most{1000};
    const int doublings = std::min(attempt / attempts_per_phase, last_phase);
    return std::min(first * (1 << doublings), most);
}

bool SqliteLockWaits::wait(int attempt) {
    const std::chrono::microseconds limit = timeout_;
    const auto paused = paused_before(attempt);
    if (paused >= limit) return false; // the statement fails with SQLITE_BUSY
    std::unique_lock lock(mutex_);
    const auto seen = releases_;
    changed_.wait_for(lock, std::min(pause(attempt), limit - paused),
                      [&] { return releases_ != seen; });
    return true;
}

void SqliteLockWaits::released() {
    {
        std::lock_guard lock(mutex_);
        ++releases_;
    }
    changed_.notify_all();
}

void configure_sqlite_connection(soci::session& sql, SqliteLockWaits& waits,
                                 const SqliteConnectionSettings& settings) {
    sqlite3* connection = static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_;
    sqlite_api::sqlite3_busy_handler(connection, &wait_for_lock, &waits);
    sqlite_api::sqlite3_rollback_hook(connection, &after_rollback, &waits);
    sql << "PRAGMA foreign_keys = ON";
    if (!settings.in_memory) {
        // WAL lets readers proceed while one connection writes. Replacing the WAL hook turns
        // SQLite's automatic checkpoint off.
        sql << "PRAGMA journal_mode = WAL";
        sqlite_api::sqlite3_wal_hook(connection, &after_commit, &waits);
        // A WAL that grew large once (a burst before a checkpoint could restart it) is cut
        // back to this size when it restarts.
        sql << "PRAGMA journal_size_limit = 67108864";
    }
    sql << (settings.synchronous_full ? "PRAGMA synchronous = FULL"
                                      : "PRAGMA synchronous = NORMAL");
    // SOCI's SQLite backend builds its table of column types (a function-local static) the
    // first time it describes a column. Describing one here, on the thread that opens the
    // pool, builds it before any worker reads it: the library is not instrumented, so
    // ThreadSanitizer cannot see its guard and reports the first concurrent readers as racing
    // the thread that built it.
    soci::row described;
    sql << "SELECT 1", soci::into(described);
}

} // namespace switchboard::store
