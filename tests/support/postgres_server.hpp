// A real PostgreSQL for integration tests: a throwaway database on a throwaway server.
#pragma once

#include "tests/support/child_process.hpp"
#include "tests/support/temp_dir.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::testing {

// If $SB_TEST_POSTGRES_URL is set (postgresql://user:pass@host:port/db, a role that may
// CREATE DATABASE), a fresh database named sb_test_<random> is created on that server and
// dropped at the end. Otherwise a private server is started:
//  - a temporary directory holds the cluster and the unix socket; when the test runs as
//    root the directory is chowned to the `postgres` system user and initdb/postgres run
//    as that user (PostgreSQL refuses to run as root); as any other user they run as that
//    user;
//  - initdb (trust auth, no fsync), then postgres on a free 127.0.0.1 port;
//  - the database `sb_test` is created; the destructor stops the server (fast shutdown)
//    and removes the directory.
// Binaries come from $SB_POSTGRES_BIN_DIR or /usr/lib/postgresql/15/bin. Throws
// std::runtime_error (with the server log) when anything fails.
// A private server that speaks TLS with the given certificate and key (PEM files, copied for
// the server), and refuses plain TCP connections: only hostssl lines in its pg_hba.conf. Its
// URLs then carry sslmode=require.
struct PostgresTls {
    std::string certificate_file;
    std::string private_key_file;
};

class PostgresServer {
public:
    // With `tls` and $SB_TEST_POSTGRES_URL set, the external server is not used (its TLS is
    // not ours to set): a private one is started.
    explicit PostgresServer(std::optional<PostgresTls> tls = std::nullopt);
    ~PostgresServer();
    PostgresServer(const PostgresServer&) = delete;
    PostgresServer& operator=(const PostgresServer&) = delete;

    // postgresql://user[:password]@host:port/database of the throwaway database.
    const std::string& url() const { return url_; }
    const std::string& database() const { return database_; }
    bool external() const { return !server_.has_value(); }

    // Creates another empty database on the same server and returns its URL (one per test
    // when several tests share a server). It is dropped with the server (or, on an
    // external server, in the destructor).
    std::string create_database();

    // Runs one SQL statement on the throwaway database; throws with the server's message.
    void execute(const std::string& sql);

    // A private server only: a fast shutdown (every connection dropped), then the same
    // server again on the same port and data, ready when this returns.
    void restart();

private:
    void start_private_server(const std::optional<PostgresTls>& tls);
    void start_process(); // runs server_options_, waits until it accepts connections
    std::string log_tail() const;

    std::optional<TempDir> dir_;
    std::optional<ChildProcess> server_;
    ProcessOptions server_options_;
    std::string admin_url_; // the maintenance database, for CREATE/DROP DATABASE
    std::string url_;
    std::string database_;
    std::vector<std::string> extra_databases_;
};

// One server for the whole test program, started on first use and stopped at exit; each
// test takes its own database with create_database().
PostgresServer& shared_postgres_server();

} // namespace switchboard::testing
