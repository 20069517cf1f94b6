// e2e_postgres_tests: PostgreSQL with the Redis OAuth state store, both started by the suite.
#include "tests/e2e/e2e_suite.hpp"

namespace switchboard::e2e {
bool use_postgres() { return true; }
} // namespace switchboard::e2e
