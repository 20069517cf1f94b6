#include "tests/events/event_outbox_suite.hpp"

namespace switchboard::store::test {
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, EventOutboxTest, ::testing::Types<SqliteBackend>);
} // namespace switchboard::store::test
