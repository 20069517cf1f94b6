#include "tests/store/connector_repository_suite.hpp"
#include "tests/store/key_check_suite.hpp"
#include "tests/store/pending_connections_suite.hpp"
#include "tests/store/refresh_coordination_suite.hpp"

namespace switchboard::store::test {
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, ConnectorStoreTest, ::testing::Types<SqliteBackend>);
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, RefreshCoordinationTest, ::testing::Types<SqliteBackend>);
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, PendingConnectionsTest, ::testing::Types<SqliteBackend>);
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, KeyCheckTest, ::testing::Types<SqliteBackend>);
} // namespace switchboard::store::test
