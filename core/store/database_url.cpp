#include "core/store/database_url.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <algorithm>

namespace switchboard::store {
namespace {

Error invalid_url(std::string_view redacted, std::string_view why) {
    return Error(ErrorKind::invalid_input, "invalid_database_url",
                 "database URL '" + std::string(redacted) + "' " + std::string(why),
                 "database.url");
}

bool starts_with(std::string_view text, std::string_view prefix) {
    return text.substr(0, prefix.size()) == prefix;
}

} // namespace

std::string_view to_string(DatabaseBackend backend) noexcept {
    return backend == DatabaseBackend::sqlite ? "sqlite" : "postgresql";
}

Result<DatabaseUrl> parse_database_url(std::string_view url) {
    DatabaseUrl parsed;
    if (url == "sqlite::memory:") {
        parsed.connect_string = "db=:memory:";
        parsed.redacted = std::string(url);
        parsed.in_memory = true;
        return parsed;
    }
    if (starts_with(url, "sqlite://")) {
        // sqlite:///abs/path.db keeps the leading '/'; sqlite://relative.db is relative.
        const std::string_view path = url.substr(std::string_view("sqlite://").size());
        parsed.redacted = std::string(url);
        if (path.empty() || path == "/") return invalid_url(url, "names no database file");
        // SOCI's connect string splits on blanks and quotes; such paths are not worth it.
        if (path.find_first_of(" \t\"'") != std::string_view::npos) {
            return invalid_url(url, "has a blank or a quote in its path, which is not supported");
        }
        parsed.connect_string = "db=" + std::string(path);
        parsed.sqlite_file = std::string(path);
        return parsed;
    }
    if (starts_with(url, "postgresql://") || starts_with(url, "postgres://")) {
        auto view = boost::urls::parse_uri(url);
        if (!view) return invalid_url("postgresql://***", "is not a valid URL");
        boost::urls::url redacted(*view);
        if (redacted.has_password()) redacted.set_password("***");
        for (auto param : redacted.params()) {
            if (param.key == "password") {
                redacted.params().set("password", "***");
                break;
            }
        }
        parsed.backend = DatabaseBackend::postgresql;
        parsed.redacted = std::string(redacted.buffer());
        if (view->encoded_path().empty() || view->encoded_path() == "/") {
            return invalid_url(parsed.redacted, "names no database");
        }
        // SOCI re-parses its connect string as libpq keyword=value pairs (a URI would be
        // mangled), so translate the URL, decoded, into that form.
        std::string connect;
        auto add = [&connect](std::string_view key, std::string_view value) {
            if (value.empty()) return;
            if (!connect.empty()) connect += ' ';
            connect += key;
            connect += "='";
            for (char c : value) {
                if (c == '\\' || c == '\'') connect += '\\';
                connect += c;
            }
            connect += '\'';
        };
        add("host", view->host());
        add("port", view->port());
        add("dbname", std::string(view->path()).substr(1));
        add("user", view->user());
        add("password", view->password());
        for (auto param : view->params()) {
            if (param.has_value) add(param.key, param.value);
        }
        parsed.connect_string = connect;
        return parsed;
    }
    // Never echo an unknown URL: it may hold a password.
    const std::string scheme(url.substr(0, std::min(url.find(':'), std::size_t{20})));
    return Error(ErrorKind::invalid_input, "invalid_database_url",
                 "database URL scheme '" + scheme +
                     "' is not supported: use sqlite:///path, sqlite://path, sqlite::memory: "
                     "or postgresql://",
                 "database.url");
}

} // namespace switchboard::store
