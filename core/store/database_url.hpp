// The database URL of the configuration, parsed: which backend, and what SOCI needs.
#pragma once

#include "core/common/error.hpp"

#include <string>
#include <string_view>

namespace switchboard::store {

enum class DatabaseBackend { sqlite, postgresql };

std::string_view to_string(DatabaseBackend backend) noexcept;

struct DatabaseUrl {
    DatabaseBackend backend = DatabaseBackend::sqlite;
    // The SOCI connect string (contains the password, if any: never log it).
    std::string connect_string;
    // The URL with any password replaced by "***": safe for logs and errors.
    std::string redacted;
    // sqlite::memory: — one database per connection, so the pool holds one connection.
    bool in_memory = false;
    // The SQLite database file (empty for PostgreSQL and in-memory SQLite).
    std::string sqlite_file;
};

// Accepts `sqlite:///abs/path.db`, `sqlite://relative.db`, `sqlite::memory:` and
// `postgresql://user:pass@host:port/db[?param=value...]` (also `postgres://`). Errors
// (kind invalid_input, code `invalid_database_url`) show the redacted URL only.
Result<DatabaseUrl> parse_database_url(std::string_view url);

} // namespace switchboard::store
