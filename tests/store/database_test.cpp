// Database URLs and the embedded (SQLite) database itself.
#include "core/store/connector_repository.hpp"
#include "core/store/database.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <sys/stat.h>

#include <thread>

namespace switchboard::store {
namespace {

TEST(DatabaseUrl, ParsesTheSqliteForms) {
    auto absolute = parse_database_url("sqlite:///var/lib/switchboard/sb.db");
    ASSERT_TRUE(absolute);
    EXPECT_EQ(absolute->backend, DatabaseBackend::sqlite);
    EXPECT_EQ(absolute->connect_string, "db=/var/lib/switchboard/sb.db");
    auto relative = parse_database_url("sqlite://data/sb.db");
    ASSERT_TRUE(relative);
    EXPECT_EQ(relative->connect_string, "db=data/sb.db");
    EXPECT_EQ(relative->sqlite_file, "data/sb.db");
    auto memory = parse_database_url("sqlite::memory:");
    ASSERT_TRUE(memory);
    EXPECT_TRUE(memory->in_memory);
    EXPECT_TRUE(memory->sqlite_file.empty());
    EXPECT_FALSE(parse_database_url("sqlite://"));
}

TEST(DatabaseUrl, RedactsThePostgresPassword) {
    auto url = parse_database_url(
        "postgresql://app:s3cr3t-pw@db.internal:5433/switchboard?sslmode=require");
    ASSERT_TRUE(url);
    EXPECT_EQ(url->backend, DatabaseBackend::postgresql);
    EXPECT_EQ(url->redacted, "postgresql://app:***@db.internal:5433/switchboard?sslmode=require");
    EXPECT_EQ(url->connect_string, "host='db.internal' port='5433' dbname='switchboard' user='app' "
                                   "password='s3cr3t-pw' sslmode='require'");
    auto quoted = parse_database_url("postgresql://o%27neil:a%20b%5Cc@h/db");
    ASSERT_TRUE(quoted);
    EXPECT_EQ(quoted->connect_string, R"(host='h' dbname='db' user='o\'neil' password='a b\\c')");
    auto in_query = parse_database_url("postgres://app@db/sb?password=s3cr3t-pw");
    ASSERT_TRUE(in_query);
    EXPECT_EQ(in_query->redacted.find("s3cr3t-pw"), std::string::npos);
    auto no_db = parse_database_url("postgresql://app:s3cr3t-pw@db:5432");
    ASSERT_FALSE(no_db);
    EXPECT_EQ(no_db.error().message.find("s3cr3t-pw"), std::string::npos);
}

TEST(DatabaseUrl, RefusesOtherSchemesWithoutEchoingThem) {
    auto mysql = parse_database_url("mysql://root:s3cr3t-pw@db/sb");
    ASSERT_FALSE(mysql);
    EXPECT_EQ(mysql.error().code, "invalid_database_url");
    EXPECT_NE(mysql.error().message.find("mysql"), std::string::npos);
    EXPECT_EQ(mysql.error().message.find("s3cr3t-pw"), std::string::npos);
}

TEST(Database, AnUnreachablePostgresIsUnavailableWithoutThePassword) {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    auto database = Database::open("postgresql://app:s3cr3t-pw@127.0.0.1:1/sb?connect_timeout=2");
    ASSERT_FALSE(database);
    EXPECT_EQ(database.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(database.error().code, "database_unavailable");
    EXPECT_EQ(database.error().message.find("s3cr3t-pw"), std::string::npos);
    EXPECT_NE(database.error().message.find("postgresql://app:***@127.0.0.1:1/sb"),
              std::string::npos);
}

TEST(Database, InMemoryDatabaseServesSeveralThreads) {
    auto database = Database::open("sqlite::memory:");
    ASSERT_TRUE(database) << database.error().message;
    auto keys = std::make_shared<const crypto::MultiFernet>(
        *crypto::MultiFernet::create({crypto::TokenCipher(*crypto::FernetKey::generate())}));
    ConnectorRepository repository(*database, keys);
    std::vector<std::thread> threads;
    std::atomic<int> created{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 10; ++i) {
                NewConnector c{"user",
                               "crm",
                               "hubspot",
                               "CRM",
                               ConnectorStatus::active,
                               "u" + std::to_string(t * 100 + i) + "@example.com",
                               {},
                               {},
                               {"access", {}, {}}};
                if (repository.create("tenant", c)) ++created;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(created.load(), 40);
    EXPECT_EQ(repository.list("tenant")->size(), 40u);
}

TEST(Database, RelativeSqlitePathIsRelativeToTheWorkingDirectory) {
    testing::TempDir dir;
    const auto previous = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    auto database = Database::open("sqlite://relative.db");
    std::filesystem::current_path(previous);
    ASSERT_TRUE(database) << database.error().message;
    EXPECT_TRUE(std::filesystem::exists(dir / "relative.db"));
}

TEST(Database, TheSqliteFilesDirectoryIsCreated) {
    testing::TempDir dir;
    const auto file = dir / "var" / "nested" / "sb.db";
    auto database = Database::open("sqlite://" + file.string());
    ASSERT_TRUE(database) << database.error().message;
    EXPECT_TRUE(std::filesystem::exists(file));
}

// SQLite connections run in WAL mode with synchronous NORMAL (a flush at checkpoints) unless
// the config asks for FULL (a flush at every commit).
TEST(Database, SqliteSynchronousIsNormalUnlessFullIsAsked) {
    testing::TempDir dir;
    for (const bool full : {false, true}) {
        DatabaseOptions options;
        options.pool_size = 2;
        options.sqlite_synchronous_full = full;
        auto database = Database::open("sqlite://" + (dir / (full ? "full.db" : "normal.db")).string(),
                                       options);
        ASSERT_TRUE(database) << database.error().message;
        int synchronous = -1;
        std::string journal;
        ASSERT_TRUE((*database)->with_session("reading", [&](soci::session& sql) -> Result<void> {
            sql << "PRAGMA synchronous", soci::into(synchronous);
            sql << "PRAGMA journal_mode", soci::into(journal);
            return {};
        }));
        EXPECT_EQ(synchronous, full ? 2 : 1) << "1 is NORMAL, 2 is FULL";
        EXPECT_EQ(journal, "wal");
    }
}

// The database holds who connected which account (and encrypted tokens): its files are the
// host's alone even when the process runs with a permissive umask.
TEST(Database, TheSqliteFilesAndTheDirectoriesItCreatesAreOwnerOnlyWhateverTheUmask) {
    testing::TempDir dir;
    const auto file = dir / "var" / "nested" / "sb.db";
    std::filesystem::permissions(dir.path(), std::filesystem::perms(0755));
    const mode_t previous = ::umask(0);
    auto database = Database::open("sqlite://" + file.string());
    ::umask(previous);
    ASSERT_TRUE(database) << database.error().message;
    // A write, so that the WAL and its index exist.
    ASSERT_TRUE((*database)->with_session("writing", [](soci::session& sql) -> Result<void> {
        sql << "CREATE TABLE t (x INTEGER)";
        sql << "INSERT INTO t (x) VALUES (1)";
        return {};
    }));
    auto mode_of = [](const std::filesystem::path& path) {
        struct stat st {};
        EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
        return st.st_mode & 0777;
    };
    for (const auto& path : {file, std::filesystem::path(file.string() + "-wal"),
                             std::filesystem::path(file.string() + "-shm")}) {
        ASSERT_TRUE(std::filesystem::exists(path)) << path;
        EXPECT_EQ(mode_of(path), 0600u) << path;
    }
    EXPECT_EQ(mode_of(dir / "var"), 0700u);
    EXPECT_EQ(mode_of(dir / "var" / "nested"), 0700u);
    // A directory that existed is left as it was.
    EXPECT_EQ(mode_of(dir.path()), 0755u);
}

} // namespace
} // namespace switchboard::store
