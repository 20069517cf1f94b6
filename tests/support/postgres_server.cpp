#include "tests/support/postgres_server.hpp"

#include "tests/support/free_port.hpp"

#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace switchboard::testing {
namespace {

constexpr const char* system_user = "postgres";

std::string bin_dir() {
    const char* dir = std::getenv("SB_POSTGRES_BIN_DIR");
    return dir != nullptr && *dir != '\0' ? dir : SB_POSTGRES_BIN_DIR;
}

struct Connection {
    PGconn* conn = nullptr;
    explicit Connection(const std::string& url) : conn(PQconnectdb(url.c_str())) {}
    ~Connection() { PQfinish(conn); }
    bool ok() const { return conn != nullptr && PQstatus(conn) == CONNECTION_OK; }
    std::string error() const { return conn != nullptr ? PQerrorMessage(conn) : "out of memory"; }
};

void run_sql(const std::string& url, const std::string& sql) {
    Connection connection(url);
    if (!connection.ok())
        throw std::runtime_error("cannot connect to PostgreSQL: " + connection.error());
    PGresult* result = PQexec(connection.conn, sql.c_str());
    const auto status = PQresultStatus(result);
    std::string message = PQresultErrorMessage(result);
    PQclear(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
        throw std::runtime_error("PostgreSQL refused `" + sql + "`: " + message);
    }
}

// Replaces the database of a postgresql:// URL (the path), keeping any query string.
std::string with_database(const std::string& url, const std::string& database) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string::npos)
        throw std::runtime_error("SB_TEST_POSTGRES_URL is not a postgresql:// URL");
    const auto query = url.find('?', scheme_end + 3);
    const auto path = url.find('/', scheme_end + 3);
    const std::string authority = url.substr(0, std::min(path, query));
    const std::string rest = query == std::string::npos ? "" : url.substr(query);
    return authority + "/" + database + rest;
}

std::string random_suffix() {
    std::random_device device;
    std::ostringstream out;
    out << std::hex << device() << device();
    return out.str();
}

} // namespace

PostgresServer::PostgresServer(std::optional<PostgresTls> tls) {
    const char* external_url = std::getenv("SB_TEST_POSTGRES_URL");
    if (!tls && external_url != nullptr && *external_url != '\0') {
        admin_url_ = external_url;
        database_ = "sb_test_" + random_suffix();
        run_sql(admin_url_, "CREATE DATABASE " + database_);
        url_ = with_database(admin_url_, database_);
        return;
    }
    start_private_server(tls);
}

PostgresServer::~PostgresServer() {
    try {
        if (server_) {
            server_->stop(SIGINT, std::chrono::seconds(30)); // fast shutdown
        } else if (!admin_url_.empty()) {
            for (const auto& name : extra_databases_) {
                run_sql(admin_url_, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
            run_sql(admin_url_, "DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
        }
    } catch (...) {
    }
}

namespace {

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

// Writes `text` to `path` with mode 0600, owned by the server's user when running as root
// (PostgreSQL refuses a key others can read).
void write_private_file(const std::filesystem::path& path, const std::string& text, bool as_root) {
    std::ofstream(path) << text;
    std::filesystem::permissions(path, std::filesystem::perms::owner_read |
                                           std::filesystem::perms::owner_write);
    if (as_root) {
        const passwd* user = ::getpwnam(system_user);
        if (user == nullptr || ::chown(path.c_str(), user->pw_uid, user->pw_gid) != 0) {
            throw std::runtime_error("cannot chown " + path.string() + " to postgres");
        }
    }
}

} // namespace

void PostgresServer::start_private_server(const std::optional<PostgresTls>& tls) {
    dir_.emplace("sb-postgres-");
    const bool as_root = ::geteuid() == 0;
    if (as_root) {
        const passwd* user = ::getpwnam(system_user);
        if (user == nullptr)
            throw std::runtime_error(
                "running as root, but there is no 'postgres' user to run PostgreSQL as");
        if (::chown(dir_->path().c_str(), user->pw_uid, user->pw_gid) != 0) {
            throw std::runtime_error("cannot chown " + dir_->path().string() + " to postgres");
        }
    }
    const std::string data = (*dir_ / "data").string();

    ProcessOptions initdb;
    initdb.argv = {
        bin_dir() + "/initdb", "-D",        data, "-U", "postgres", "--auth=trust", "--no-sync",
        "--encoding=UTF8",     "--locale=C"};
    initdb.working_directory = dir_->path();
    if (as_root) initdb.user = system_user;
    const auto initialised = run_process(initdb, {}, std::chrono::seconds(120));
    if (!initialised.status.exited_with(0)) {
        throw std::runtime_error("initdb " + initialised.status.describe() + ": " +
                                 initialised.error + initialised.output);
    }

    std::vector<std::string> tls_settings;
    if (tls) {
        write_private_file(*dir_ / "server.crt", read_file(tls->certificate_file), as_root);
        write_private_file(*dir_ / "server.key", read_file(tls->private_key_file), as_root);
        // TCP only with TLS; the unix socket stays for nothing but is harmless.
        write_private_file(std::filesystem::path(data) / "pg_hba.conf",
                           "local all all trust\n"
                           "hostssl all all 127.0.0.1/32 trust\n"
                           "hostnossl all all 127.0.0.1/32 reject\n",
                           as_root);
        tls_settings = {"-c", "ssl=on",
                        "-c", "ssl_cert_file=" + (*dir_ / "server.crt").string(),
                        "-c", "ssl_key_file=" + (*dir_ / "server.key").string()};
    }

    const std::uint16_t port = free_loopback_port();
    ProcessOptions postgres;
    postgres.argv = {bin_dir() + "/postgres",
                     "-D",
                     data,
                     "-p",
                     std::to_string(port),
                     "-k",
                     dir_->path().string(),
                     "-c",
                     "listen_addresses=127.0.0.1",
                     "-c",
                     "fsync=off",
                     "-c",
                     "synchronous_commit=off",
                     "-c",
                     "full_page_writes=off",
                     "-c",
                     "max_connections=50"};
    postgres.argv.insert(postgres.argv.end(), tls_settings.begin(), tls_settings.end());
    postgres.working_directory = dir_->path();
    postgres.output_file = *dir_ / "postgres.log";
    postgres.parent_death_signal = SIGQUIT; // immediate shutdown if the test dies
    if (as_root) postgres.user = system_user;
    server_options_ = postgres;
    admin_url_ = "postgresql://postgres@127.0.0.1:" + std::to_string(port) + "/postgres" +
                 (tls ? "?sslmode=require" : "");
    start_process();
    database_ = "sb_test";
    run_sql(admin_url_, "CREATE DATABASE " + database_);
    url_ = with_database(admin_url_, database_);
}

void PostgresServer::start_process() {
    server_ = ChildProcess::start(server_options_);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (PQping(admin_url_.c_str()) != PQPING_OK) {
        if (!server_->running())
            throw std::runtime_error("postgres exited at start-up: " + log_tail());
        if (std::chrono::steady_clock::now() > deadline) {
            throw std::runtime_error("postgres did not accept connections: " + log_tail());
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void PostgresServer::restart() {
    if (!server_) throw std::runtime_error("an external PostgreSQL cannot be restarted");
    server_->stop(SIGINT, std::chrono::seconds(30));
    server_.reset();
    start_process();
}

std::string PostgresServer::create_database() {
    const std::string name = database_ + "_" + std::to_string(extra_databases_.size() + 1);
    run_sql(admin_url_, "CREATE DATABASE " + name);
    extra_databases_.push_back(name);
    return with_database(admin_url_, name);
}

PostgresServer& shared_postgres_server() {
    static PostgresServer server;
    return server;
}

void PostgresServer::execute(const std::string& sql) {
    run_sql(url_, sql);
}

std::string PostgresServer::log_tail() const {
    if (!dir_) return {};
    std::ifstream log(*dir_ / "postgres.log");
    std::stringstream text;
    text << log.rdbuf();
    std::string all = text.str();
    return all.size() > 2000 ? all.substr(all.size() - 2000) : all;
}

} // namespace switchboard::testing
