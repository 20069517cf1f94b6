// The plans SQLite picks for the store's lookups that run once per request and would otherwise
// walk a whole tenant's rows: a tenant with 100,000 connectors must not make each of them
// 100,000 rows long (scripts/bench measures the time; this checks the index behind it).
#include "core/store/database.hpp"
#include "tests/store/store_backends.hpp"

#include <gtest/gtest.h>
#include <soci/soci.h>

#include <optional>
#include <string>

namespace switchboard::store {
namespace {

// SQLite's EXPLAIN QUERY PLAN of `query` (its five parameters bound to text), one step a line.
std::string query_plan(Database& database, const std::string& query) {
    std::string plan;
    auto read = database.with_session("explaining", [&](soci::session& sql) -> Result<void> {
        int id = 0, parent = 0, unused = 0;
        std::string detail;
        std::string a = "t", b = "google_calendar", c = "ada@example.com", d = "";
        soci::statement st = (sql.prepare << "EXPLAIN QUERY PLAN " + query,
                              soci::into(id), soci::into(parent),
                              soci::into(unused), soci::into(detail), soci::use(a), soci::use(b), soci::use(c),
                              soci::use(d), soci::use(d));
        st.execute();
        while (st.fetch()) plan += detail + "\n";
        return {};
    });
    EXPECT_TRUE(read) << read.error().message;
    return plan;
}

TEST(SqliteQueryPlan, TheConfirmationFindsTheTenantsAccountByIndex) {
    std::optional<testing::TempDir> dir;
    auto database = test::open_or_fail(test::SqliteBackend::new_database(dir));
    ASSERT_TRUE(database);
    // The lookup of PendingConnections::complete (pending_connections.cpp), word for word.
    const std::string plan = query_plan(
        *database,
        "SELECT id, status FROM connector_accounts WHERE tenant_id = :t AND provider = :p AND "
        "account_identity = :i AND (account_id = :a OR account_id = '' OR :a2 = '') AND "
        "status <> 'pending' ORDER BY created_at, id");
    EXPECT_NE(plan.find("connector_accounts_account (tenant_id=? AND provider=? AND "
                        "account_identity=?)"),
              std::string::npos)
        << plan;
}

} // namespace
} // namespace switchboard::store
