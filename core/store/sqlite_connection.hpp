// How a pooled SQLite connection is set up for many short transactions from several threads.
//
// Waiting for the write lock: SQLite's own busy timeout sleeps 1, 2, 5, 10 ... 100 ms between
// attempts, while a write transaction here holds the lock for a fraction of a millisecond, so
// the pool's connections would sleep behind a lock long free. Here a connection that finds the
// lock taken sleeps until another connection of the same database commits or rolls back (then
// tries again at once), or for a short pause that grows to a millisecond (a lock held by
// another process is only seen by trying again), and gives up (SQLITE_BUSY) after the timeout.
//
// Checkpoints: SQLite's automatic checkpoint (PASSIVE, at 1,000 pages of WAL) copies what no
// reader still needs but never waits, and the WAL starts again from its beginning only when no
// reader uses it. Under steady load some connection is always reading, so the WAL grows without
// end (80 MB in a few seconds of connect flows), every commit tries another checkpoint with its
// fsync, and every lookup searches a longer WAL index. Here the commit that takes the WAL past
// 1,000 pages runs a RESTART checkpoint instead: it waits (as above) for the readers of older
// snapshots to finish, so the next write starts the WAL over.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace soci {
class session;
}

namespace switchboard::store {

// The lock waits of one database's connections. Thread-safe; outlives the connections.
class SqliteLockWaits {
public:
    // `timeout`: the longest one statement waits for a lock, in total.
    explicit SqliteLockWaits(std::chrono::milliseconds timeout) : timeout_(timeout) {}

    // Attempt `attempt` (0-based) of one statement's wait: false when the timeout is spent,
    // else returns after a release or the attempt's pause, whichever comes first.
    bool wait(int attempt);
    // A connection committed or rolled back: the waiters try again.
    void released();

    // The longest pause before attempt `attempt`.
    static std::chrono::microseconds pause(int attempt);

private:
    std::chrono::milliseconds timeout_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::uint64_t releases_ = 0;
};

struct SqliteConnectionSettings {
    // A file database (WAL, checkpoints); an in-memory one has no WAL.
    bool in_memory = false;
    // PRAGMA synchronous = FULL instead of NORMAL (see DatabaseOptions).
    bool synchronous_full = false;
};

// The WAL size, in pages, at which a commit checkpoints and restarts the WAL.
inline constexpr int sqlite_checkpoint_pages = 1000;

// Sets up an open SQLite session: lock waits (shared by the database's connections), foreign
// keys, WAL with its checkpoints, synchronous. Throws soci::soci_error when a pragma fails.
void configure_sqlite_connection(soci::session& sql, SqliteLockWaits& waits,
                                 const SqliteConnectionSettings& settings);

} // namespace switchboard::store
