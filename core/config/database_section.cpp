#include "core/config/sections.hpp"

#include <boost/url/parse.hpp>

namespace switchboard::config::detail {

namespace {

constexpr std::string_view kSqlite = "sqlite://";
constexpr std::string_view kPostgres = "postgresql://";
constexpr std::string_view kPostgresShort = "postgres://";

} // namespace

DatabaseConfig parse_database_section(const ConfigSection& s, const ParseContext& context) {
    DatabaseConfig c;
    c.password_env = s.env_name("password_env");
    const auto synchronous = s.choice("sqlite_synchronous", {"normal", "full"});
    c.sqlite_synchronous_full = synchronous == "full";
    auto url = s.string("url");
    if (!url) {
        s.fail("url", "is required (sqlite://path/to/file.db or postgresql://user@host/db)");
    }
    if (url->starts_with(kSqlite)) {
        std::string file = url->substr(kSqlite.size());
        if (file.empty()) {
            s.fail("url", "must name a database file after sqlite://");
        }
        c.backend = DatabaseBackend::sqlite;
        if (file == ":memory:") {
            c.sqlite_path = file;
        } else {
            std::filesystem::path p(file);
            c.sqlite_path = (p.is_relative() ? context.base_dir / p : p).lexically_normal();
        }
        if (c.password_env) {
            s.fail("password_env", "applies only to postgresql:// URLs");
        }
        return c;
    }
    if (url->starts_with(kPostgres) || url->starts_with(kPostgresShort)) {
        auto parsed = boost::urls::parse_absolute_uri(*url);
        if (!parsed || parsed->encoded_host().empty()) {
            s.fail("url", "must be a valid postgresql://user@host[:port]/database URL");
        }
        if (parsed->has_password()) {
            s.fail("url", "must not contain a password; put it in an environment variable and "
                          "name that variable in 'database.password_env'");
        }
        for (auto param : parsed->params()) {
            if (param.key == "password") {
                s.fail("url", "must not contain a password; put it in an environment variable "
                              "and name that variable in 'database.password_env'");
            }
        }
        if (synchronous) {
            s.fail("sqlite_synchronous", "applies only to sqlite:// URLs");
        }
        c.backend = DatabaseBackend::postgresql;
        c.postgresql_url = *url;
        return c;
    }
    s.fail("url", "must start with sqlite:// or postgresql://");
}

} // namespace switchboard::config::detail
