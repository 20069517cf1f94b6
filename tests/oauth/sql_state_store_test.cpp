#include "tests/oauth/state_store_suite.hpp"

#include <soci/soci.h>

namespace switchboard::oauth::test {

INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, OAuthStateStoreTest, ::testing::Types<SqliteStateBackend>);

TEST(SqlOAuthStateStore, StoresOnlyAHashOfTheStateAndPurgesExpiredRows) {
    testing::TempDir dir;
    auto database = store::Database::open("sqlite://" + (dir / "state.db").string());
    ASSERT_TRUE(database);
    auto now = std::chrono::system_clock::now();
    OAuthStateStoreOptions options;
    options.clock = [&] { return now; };
    SqlOAuthStateStore store(*database, options);
    auto ticket = store.create(binding());
    ASSERT_TRUE(ticket);
    ASSERT_TRUE(store.create(binding()));

    std::vector<std::string> hashes(10);
    ASSERT_TRUE((*database)->with_session("test", [&](soci::session& sql) -> Result<void> {
        sql << "SELECT state_hash FROM oauth_states", soci::into(hashes);
        return {};
    }));
    ASSERT_EQ(hashes.size(), 2u);
    for (const auto& hash : hashes) {
        EXPECT_EQ(hash.size(), 64u);
        EXPECT_EQ(hash.find(ticket->state), std::string::npos);
    }

    now += std::chrono::minutes(6);
    auto purged = store.purge_expired();
    ASSERT_TRUE(purged);
    EXPECT_EQ(*purged, 2u);
}

TEST(SqlOAuthStateStore, ADatabaseErrorIsNotMistakenForAnInvalidState) {
    testing::TempDir dir;
    auto database = store::Database::open("sqlite://" + (dir / "state.db").string());
    ASSERT_TRUE(database);
    ASSERT_TRUE((*database)->with_session("test", [](soci::session& sql) -> Result<void> {
        sql << "DROP TABLE oauth_states";
        return {};
    }));
    SqlOAuthStateStore store(*database);
    auto created = store.create(binding());
    ASSERT_FALSE(created);
    EXPECT_EQ(created.error().kind, ErrorKind::internal);
    EXPECT_EQ(created.error().code, "database_error");
    auto state = crypto::random_token(32);
    auto consumed = store.consume(*state);
    ASSERT_FALSE(consumed);
    EXPECT_EQ(consumed.error().code, "database_error");
    EXPECT_EQ(consumed.error().message.find(*state), std::string::npos);
}

} // namespace switchboard::oauth::test
