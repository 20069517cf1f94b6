#include "tests/store/connector_repository_suite.hpp"
#include "tests/store/key_check_suite.hpp"
#include "tests/store/pending_connections_suite.hpp"
#include "tests/store/refresh_coordination_suite.hpp"
#include "tests/http/test_certificates.hpp"

namespace switchboard::store::test {
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, ConnectorStoreTest, ::testing::Types<PostgresBackend>);
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, RefreshCoordinationTest,
                               ::testing::Types<PostgresBackend>);
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, PendingConnectionsTest, ::testing::Types<PostgresBackend>);
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, KeyCheckTest, ::testing::Types<PostgresBackend>);
} // namespace switchboard::store::test

namespace switchboard::store::test {

// A connection the server drops (restart, failover, idle kill) costs one call an
// `database_unavailable`; the session reconnects on its next use.
TEST(PostgresDatabase, ReconnectsAfterTheServerDropsItsConnection) {
    const std::string url = testing::shared_postgres_server().create_database();
    auto database = open_or_fail(
        url, DatabaseOptions{1, std::chrono::seconds(10), std::chrono::seconds(10), true});
    ASSERT_NE(database, nullptr);
    auto keys = make_keys({*crypto::FernetKey::generate()});
    ConnectorRepository repository(database, keys);
    ASSERT_TRUE(repository.list("tenant-a"));

    auto admin = open_or_fail(
        url, DatabaseOptions{1, std::chrono::seconds(10), std::chrono::seconds(10), false});
    ASSERT_NE(admin, nullptr);
    ASSERT_TRUE(admin->with_session("terminating", [](soci::session& sql) -> Result<void> {
        sql << "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
               "WHERE datname = current_database() AND pid <> pg_backend_pid()";
        return {};
    }));

    auto failed = repository.list("tenant-a");
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().kind, ErrorKind::unavailable);
    EXPECT_EQ(failed.error().code, "database_unavailable");
    auto recovered = repository.list("tenant-a");
    ASSERT_TRUE(recovered) << recovered.error().message;
}

// Issue 14, point 4: TLS to PostgreSQL is libpq's, asked for in the URL's query
// (`sslmode`, `sslrootcert`, which the store passes on). Against a server that refuses plain
// TCP, verify-full against the right CA connects over TLS, and sslmode=disable is refused.
TEST(PostgresDatabase, TlsWithVerifyFullWorksAndPlainTcpIsRefused) {
    http::test_support::TestCertificates certificates;
    testing::PostgresServer server(
        testing::PostgresTls{certificates.localhost_certificate(), certificates.localhost_key()});
    // The server's own URL ends in ?sslmode=require; ours checks the certificate too.
    const std::string base = server.url().substr(0, server.url().find('?'));

    auto database = open_or_fail(base + "?sslmode=verify-full&sslrootcert=" +
                                 certificates.ca_certificate());
    ASSERT_NE(database, nullptr);
    ConnectorRepository repository(database, make_keys({*crypto::FernetKey::generate()}));
    ASSERT_TRUE(repository.list("tenant-a"));
    int over_tls = 0;
    ASSERT_TRUE(database->with_session("checking TLS", [&](soci::session& sql) -> Result<void> {
        sql << "SELECT CASE WHEN ssl THEN 1 ELSE 0 END FROM pg_stat_ssl "
               "WHERE pid = pg_backend_pid()",
            soci::into(over_tls);
        return {};
    }));
    EXPECT_EQ(over_tls, 1);

    auto plain = Database::open(base + "?sslmode=disable", DatabaseOptions{});
    ASSERT_FALSE(plain);
    EXPECT_EQ(plain.error().code, "database_unavailable") << plain.error().message;
}

} // namespace switchboard::store::test
