// e2e_sqlite_tests: SQLite with the SQL OAuth state store.
#include "tests/e2e/e2e_suite.hpp"

namespace switchboard::e2e {
bool use_postgres() { return false; }
} // namespace switchboard::e2e
