#include "host/app/database_url_from_config.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

namespace switchboard::app {

Result<std::string> database_url_from_config(const config::DatabaseConfig& config,
                                             const config::Environment& environment) {
    if (config.backend == config::DatabaseBackend::sqlite) {
        if (config.sqlite_path == ":memory:") {
            return std::string("sqlite::memory:");
        }
        return "sqlite://" + config.sqlite_path.string();
    }
    if (!config.password_env) {
        return config.postgresql_url;
    }
    auto read = config::read_secret(environment, *config.password_env);
    if (!read) return read.error();
    auto& password = *read;
    if (!password) {
        return Error(ErrorKind::invalid_input, "database_password_missing",
                     "environment variable " + *config.password_env +
                         " (named by database.password_env) is not set",
                     "database.password_env");
    }
    auto parsed = boost::urls::parse_uri(config.postgresql_url);
    if (!parsed) {
        return Error(ErrorKind::invalid_input, "invalid_database_url",
                     "database.url is not a valid URL", "database.url");
    }
    boost::urls::url url(*parsed);
    url.set_password(*password);
    return std::string(url.buffer());
}

} // namespace switchboard::app
