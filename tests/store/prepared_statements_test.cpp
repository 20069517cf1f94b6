// Statements kept prepared on a pooled connection: prepared once, executed again with new
// values, always reading the latest data, and dropped after an error.
#include "core/store/connector_repository.hpp"
#include "core/store/database.hpp"
#include "core/store/prepared_statements.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

namespace switchboard::store {
namespace {

// SELECT n FROM t WHERE n >= :min, kept.
struct AtLeast {
    AtLeast(soci::session& sql, const std::string& text) : statement(sql) {
        statement.exchange(soci::into(n));
        statement.exchange(soci::use(min));
        prepare_kept(statement, text);
    }
    std::vector<int> run() {
        std::vector<int> out;
        statement.execute();
        while (statement.fetch()) out.push_back(n);
        return out;
    }
    int n = 0, min = 0;
    soci::statement statement;
};

const std::string at_least = "SELECT n FROM t WHERE n >= :min ORDER BY n";

std::shared_ptr<Database> one_connection(const std::filesystem::path& file) {
    DatabaseOptions options;
    options.pool_size = 1; // every call leases the same connection, and its kept statements
    auto database = Database::open("sqlite://" + file.string(), options);
    EXPECT_TRUE(database) << database.error().message;
    EXPECT_TRUE((*database)->with_session("creating", [](soci::session& sql) -> Result<void> {
        sql << "CREATE TABLE t (n INTEGER)";
        sql << "INSERT INTO t (n) VALUES (1), (2), (3)";
        return {};
    }));
    return *database;
}

Result<std::vector<int>> select_at_least(Database& database, int min, std::size_t* kept = nullptr) {
    return database.query_prepared<std::vector<int>>(
        "selecting", [&](soci::session& sql, PreparedStatements& statements) -> Result<std::vector<int>> {
            auto& query = statements.get<AtLeast>(sql, at_least);
            query.min = min;
            auto rows = query.run();
            if (kept) *kept = statements.size();
            return rows;
        });
}

TEST(PreparedStatements, AreKeptAndRunAgainWithNewValuesOnTheLatestData) {
    testing::TempDir dir;
    auto database = one_connection(dir / "kept.db");
    std::size_t kept = 0;
    EXPECT_EQ(*select_at_least(*database, 2, &kept), (std::vector<int>{2, 3}));
    EXPECT_EQ(kept, 1u);
    EXPECT_EQ(*select_at_least(*database, 3, &kept), (std::vector<int>{3}));
    EXPECT_EQ(kept, 1u) << "the second call prepared the statement again";
    ASSERT_TRUE(database->with_session("writing", [](soci::session& sql) -> Result<void> {
        sql << "INSERT INTO t (n) VALUES (4)";
        return {};
    }));
    EXPECT_EQ(*select_at_least(*database, 3, &kept), (std::vector<int>{3, 4}));
    EXPECT_EQ(kept, 1u);
}

TEST(PreparedStatements, AreDroppedAfterAnErrorOnTheirConnection) {
    testing::TempDir dir;
    auto database = one_connection(dir / "dropped.db");
    ASSERT_TRUE(select_at_least(*database, 1));
    auto failed = database->with_prepared(
        "failing", [](soci::session& sql, PreparedStatements& statements) -> Result<void> {
            EXPECT_EQ(statements.size(), 1u);
            sql << "SELECT no_such_column FROM t";
            return {};
        });
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().code, "database_error");
    std::size_t kept = 0;
    EXPECT_EQ(*select_at_least(*database, 3, &kept), (std::vector<int>{3}));
    EXPECT_EQ(kept, 1u) << "prepared again, once";
}

TEST(PreparedStatements, TheRepositorysKeptQueriesSeeEachChange) {
    testing::TempDir dir;
    DatabaseOptions options;
    options.pool_size = 1;
    auto database = Database::open("sqlite://" + (dir / "repository.db").string(), options);
    ASSERT_TRUE(database) << database.error().message;
    auto keys = std::make_shared<const crypto::MultiFernet>(
        *crypto::MultiFernet::create({crypto::TokenCipher(*crypto::FernetKey::generate())}));
    ConnectorRepository repository(*database, keys);
    auto make = [&](const std::string& email) {
        NewConnector c{"user", "crm", "hubspot", "CRM", ConnectorStatus::active, email, {}, {},
                       {"access", {}, {}}};
        return repository.create("tenant", c);
    };
    ASSERT_TRUE(make("a@example.com"));
    EXPECT_EQ(repository.list("tenant")->size(), 1u);
    auto second = make("b@example.com");
    ASSERT_TRUE(second);
    EXPECT_EQ(repository.list("tenant")->size(), 2u);
    EXPECT_EQ(repository.list("other-tenant")->size(), 0u);
    ConnectorFilter only_b;
    only_b.user_id = "user";
    only_b.provider = "hubspot";
    only_b.category = "crm";
    only_b.status = ConnectorStatus::active;
    EXPECT_EQ(repository.list("tenant", only_b)->size(), 2u);
    ASSERT_TRUE(repository.get("tenant", second->id));
    EXPECT_EQ(repository.get("tenant", second->id)->name, "CRM");
    ASSERT_TRUE(repository.remove("tenant", second->id));
    EXPECT_FALSE(repository.get("tenant", second->id));
    EXPECT_EQ(repository.list("tenant")->size(), 1u);
    EXPECT_EQ(repository.list("tenant", only_b)->size(), 1u);
}

} // namespace
} // namespace switchboard::store
