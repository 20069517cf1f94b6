// The store's database URL from the config's `database` section, for the commands that open
// the database themselves (`rotate-keys`).
#pragma once

#include "core/common/error.hpp"
#include "core/config/config.hpp"
#include "core/config/environment.hpp"

#include <string>

namespace switchboard::app {

// sqlite: "sqlite://<absolute path>" (or "sqlite::memory:"); postgresql: the configured URL
// with the password from the variable `database.password_env` names, if any. Error
// (invalid_input, `database_password_missing`) naming the variable when it is configured but
// not set. The URL holds the password: never log it (Database::redacted_url() is safe).
Result<std::string> database_url_from_config(const config::DatabaseConfig& config,
                                             const config::Environment& environment);

} // namespace switchboard::app
