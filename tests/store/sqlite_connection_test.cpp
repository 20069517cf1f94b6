// How the pool's SQLite connections wait for each other's locks and keep their WAL short.
#include "core/store/database.hpp"
#include "core/store/sqlite_connection.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <future>
#include <thread>

namespace switchboard::store {
namespace {

using std::chrono::microseconds;

TEST(SqliteLockWaits, PausesStartAtTwentyMicrosecondsAndGrowToAMillisecond) {
    EXPECT_EQ(SqliteLockWaits::pause(0), microseconds(20));
    EXPECT_EQ(SqliteLockWaits::pause(9), microseconds(20));
    EXPECT_EQ(SqliteLockWaits::pause(10), microseconds(40));
    EXPECT_EQ(SqliteLockWaits::pause(50), microseconds(640));
    EXPECT_EQ(SqliteLockWaits::pause(60), microseconds(1000));
    EXPECT_EQ(SqliteLockWaits::pause(1'000'000), microseconds(1000));
    for (int attempt = 1; attempt < 100; ++attempt) {
        EXPECT_GE(SqliteLockWaits::pause(attempt), SqliteLockWaits::pause(attempt - 1)) << attempt;
    }
}

TEST(SqliteLockWaits, GivesUpOnceThePausesAddUpToTheTimeout) {
    SqliteLockWaits none(std::chrono::milliseconds(0));
    EXPECT_FALSE(none.wait(0));
    // Before attempt 24 the pauses add up to 10 x 20 + 10 x 40 + 4 x 80 µs = 920 µs, before
    // attempt 25 to 1 ms.
    SqliteLockWaits short_wait(std::chrono::milliseconds(1));
    EXPECT_TRUE(short_wait.wait(24));
    EXPECT_FALSE(short_wait.wait(25));
}

std::shared_ptr<Database> open_file(const std::filesystem::path& file, std::chrono::seconds busy) {
    DatabaseOptions options;
    options.pool_size = 2;
    options.sqlite_busy_timeout = busy;
    auto database = Database::open("sqlite://" + file.string(), options);
    EXPECT_TRUE(database) << database.error().message;
    (*database)->with_session("creating", [](soci::session& sql) -> Result<void> {
        sql << "CREATE TABLE IF NOT EXISTS t (n INTEGER)";
        return {};
    });
    return *database;
}

// One connection holds the write lock in a transaction while `other` runs on the pool's second
// connection; the holder commits once `release` is ready.
Result<void> while_locked(Database& database, std::shared_future<void> release,
                          const std::function<Result<void>()>& other) {
    std::promise<void> locked;
    std::thread holder([&] {
        database.with_session("holding the lock", [&](soci::session& sql) -> Result<void> {
            WriteTransaction transaction(sql, DatabaseBackend::sqlite);
            sql << "INSERT INTO t (n) VALUES (1)";
            locked.set_value();
            release.wait();
            transaction.commit();
            return {};
        });
    });
    locked.get_future().wait();
    auto result = other();
    holder.join();
    return result;
}

Result<void> insert_two(Database& database) {
    return database.with_session("writing", [](soci::session& sql) -> Result<void> {
        WriteTransaction transaction(sql, DatabaseBackend::sqlite);
        sql << "INSERT INTO t (n) VALUES (2)";
        transaction.commit();
        return {};
    });
}

TEST(SqliteLockWaits, AWriterWaitsForAnotherConnectionsWriteLockThenWrites) {
    testing::TempDir dir;
    auto database = open_file(dir / "wait.db", std::chrono::seconds(30));
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::thread releaser([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        release.set_value();
    });
    auto written = while_locked(*database, released, [&] { return insert_two(*database); });
    releaser.join();
    ASSERT_TRUE(written) << written.error().message;
    int rows = 0;
    ASSERT_TRUE(database->with_session("counting", [&](soci::session& sql) -> Result<void> {
        sql << "SELECT COUNT(*) FROM t", soci::into(rows);
        return {};
    }));
    EXPECT_EQ(rows, 2);
}

TEST(SqliteLockWaits, AWriterGivesUpAfterTheBusyTimeout) {
    testing::TempDir dir;
    auto database = open_file(dir / "give-up.db", std::chrono::seconds(0));
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    auto written = while_locked(*database, released, [&] {
        auto result = insert_two(*database);
        release.set_value();
        return result;
    });
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, "database_error");
    // The refused write left nothing behind; the holder's row is there.
    int rows = 0;
    ASSERT_TRUE(database->with_session("counting", [&](soci::session& sql) -> Result<void> {
        sql << "SELECT COUNT(*) FROM t", soci::into(rows);
        return {};
    }));
    EXPECT_EQ(rows, 1);
}

} // namespace
} // namespace switchboard::store
