#include "tests/store/connector_repository_suite.hpp"

namespace switchboard::store::test {
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, ConnectorStoreTest, ::testing::Types<PostgresBackend>);
} // namespace switchboard::store::test
