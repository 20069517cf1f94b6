// The schema, as numbered migrations: each is applied once, in its own transaction, and
// recorded in `schema_migrations`. Several instances may start at once: PostgreSQL
// serialises them with an advisory lock, SQLite with its write lock.
#pragma once

#include "core/common/error.hpp"
#include "core/store/database_url.hpp"

#include <string_view>
#include <vector>

namespace soci {
class session;
}

namespace switchboard::store {

struct Migration {
    int version;
    std::string_view name;
    std::vector<std::string_view> sqlite;     // statements, in order
    std::vector<std::string_view> postgresql; // statements, in order
};

// Every migration, oldest first. Never edit one that has shipped: append a new one.
const std::vector<Migration>& migrations();

// Applies those not recorded yet. Errors: `migration_failed` naming the version.
Result<void> apply_migrations(soci::session& sql, DatabaseBackend backend);

// The versions recorded in schema_migrations, ascending.
std::vector<int> applied_migrations(soci::session& sql);

} // namespace switchboard::store
