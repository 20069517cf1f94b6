#include "tests/events/event_outbox_suite.hpp"

namespace switchboard::store::test {
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, EventOutboxTest, ::testing::Types<PostgresBackend>);
} // namespace switchboard::store::test
