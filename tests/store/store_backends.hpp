// The databases the store suites run against: a SQLite file in a temporary directory, and a
// fresh database on a real PostgreSQL server (shared by the tests of one program).
#pragma once

#include "core/store/database.hpp"
#include "tests/support/postgres_server.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

namespace switchboard::store::test {

struct SqliteBackend {
    static constexpr bool postgres = false;
    // Makes a new, empty database and returns its URL; `dir` lives as long as the test.
    static std::string new_database(std::optional<testing::TempDir>& dir) {
        dir.emplace("sb-store-");
        return "sqlite://" + (dir->path() / "switchboard.db").string();
    }
};

struct PostgresBackend {
    static constexpr bool postgres = true;
    static std::string new_database(std::optional<testing::TempDir>&) {
        return testing::shared_postgres_server().create_database();
    }
};

// Opens `url` or fails the test with the error.
inline std::shared_ptr<Database> open_or_fail(const std::string& url,
                                              DatabaseOptions options = {}) {
    auto database = Database::open(url, options);
    if (!database) {
        ADD_FAILURE() << "cannot open " << url << ": " << database.error().message;
        return nullptr;
    }
    return *database;
}

} // namespace switchboard::store::test
