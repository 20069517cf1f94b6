#include "core/store/migrations.hpp"

#include "core/store/database.hpp"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include <chrono>

namespace switchboard::store {
namespace {

// Any constant: the PostgreSQL advisory lock that serialises concurrent migrators.
constexpr long long migration_lock_key = 0x5357424452444231; // "SWBDRDB1"

// Timestamps are BIGINT seconds since the epoch on both backends, so that SQL comparisons
// ("due for refresh", "expired") mean the same thing everywhere.
constexpr std::string_view connector_accounts_table = R"sql(
CREATE TABLE connector_accounts (
    id                      VARCHAR(36)  PRIMARY KEY,
    tenant_id               VARCHAR(255) NOT NULL,
    user_id                 VARCHAR(255) NOT NULL,
    type                    VARCHAR(64)  NOT NULL,
    provider                VARCHAR(128) NOT NULL,
    name                    VARCHAR(255) NOT NULL,
    status                  VARCHAR(16)  NOT NULL
        CHECK (status IN ('pending', 'active', 'expired', 'revoked', 'error', 'disconnected')),
    account_identity        VARCHAR(320),
    scopes                  TEXT         NOT NULL DEFAULT '',
    access_token_encrypted  TEXT,
    refresh_token_encrypted TEXT,
    token_expires_at        BIGINT,
    created_at              BIGINT       NOT NULL,
    updated_at              BIGINT       NOT NULL,
    last_refreshed_at       BIGINT,
    last_error              TEXT,
    credential_version      BIGINT       NOT NULL DEFAULT 1,
    refresh_leased_until    BIGINT
))sql";

// One active account per tenant, provider and identity (NULL identities never collide).
constexpr std::string_view connector_accounts_indexes[] = {
    "CREATE INDEX connector_accounts_tenant ON connector_accounts (tenant_id, created_at)",
    "CREATE UNIQUE INDEX connector_accounts_active_identity "
    "ON connector_accounts (tenant_id, provider, account_identity) WHERE status = 'active'",
    "CREATE INDEX connector_accounts_refresh_due ON connector_accounts (token_expires_at) "
    "WHERE status = 'active'",
};

// The embedded OAuth state store. The key is SHA-256 of the state, so a copy of the table
// holds no usable state value.
constexpr std::string_view oauth_states_table = R"sql(
CREATE TABLE oauth_states (
    state_hash     VARCHAR(64)   PRIMARY KEY,
    tenant_id      VARCHAR(255)  NOT NULL,
    user_id        VARCHAR(255)  NOT NULL,
    provider       VARCHAR(128)  NOT NULL,
    category       VARCHAR(64)   NOT NULL,
    connector_name VARCHAR(255)  NOT NULL,
    redirect_uri   TEXT          NOT NULL,
    code_verifier  VARCHAR(128)  NOT NULL,
    created_at     BIGINT        NOT NULL,
    expires_at     BIGINT        NOT NULL
))sql";
constexpr std::string_view oauth_states_index =
    "CREATE INDEX oauth_states_expires ON oauth_states (expires_at)";

// Idempotency-Key records of POST /api/v1/actions (per tenant): a hash of the request, and
// once the action succeeded its result, Fernet-encrypted like the tokens (results may hold
// personal data). Rows older than the retention window are purged.
constexpr std::string_view idempotency_keys_table = R"sql(
CREATE TABLE idempotency_keys (
    tenant_id        VARCHAR(255) NOT NULL,
    idempotency_key  VARCHAR(255) NOT NULL,
    request_hash     VARCHAR(64)  NOT NULL,
    status           VARCHAR(16)  NOT NULL CHECK (status IN ('pending', 'completed')),
    connector_id     VARCHAR(36),
    provider         VARCHAR(128),
    result_encrypted TEXT,
    created_at       BIGINT       NOT NULL,
    updated_at       BIGINT       NOT NULL,
    PRIMARY KEY (tenant_id, idempotency_key)
))sql";
constexpr std::string_view idempotency_keys_index =
    "CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)";

// The audit log of action calls: metadata only, never params or results.
constexpr std::string_view action_audit_log_table = R"sql(
CREATE TABLE action_audit_log (
    id           VARCHAR(36)  PRIMARY KEY,
    tenant_id    VARCHAR(255) NOT NULL,
    user_id      VARCHAR(255) NOT NULL,
    connector_id VARCHAR(36),
    provider     VARCHAR(128),
    category     VARCHAR(64)  NOT NULL,
    action       VARCHAR(64)  NOT NULL,
    status       VARCHAR(16)  NOT NULL CHECK (status IN ('succeeded', 'failed', 'replayed')),
    error_code   VARCHAR(128),
    duration_ms  BIGINT       NOT NULL,
    created_at   BIGINT       NOT NULL
))sql";
constexpr std::string_view action_audit_log_index =
    "CREATE INDEX action_audit_log_tenant ON action_audit_log (tenant_id, created_at)";

// Token refresh across instances (refresh_lock.hpp, refresh_lease.hpp): the refresh lock
// (a lease with its holder), the holder of the background-refresh lease, and the failures
// that defer a connector's next background attempt.
constexpr std::string_view refresh_coordination_columns[] = {
    "ALTER TABLE connector_accounts ADD COLUMN refresh_lock_owner VARCHAR(36)",
    "ALTER TABLE connector_accounts ADD COLUMN refresh_lock_until BIGINT",
    "ALTER TABLE connector_accounts ADD COLUMN refresh_lease_owner VARCHAR(36)",
    "ALTER TABLE connector_accounts ADD COLUMN refresh_failures INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE connector_accounts ADD COLUMN refresh_retry_at BIGINT",
};

// Connect confirmation (issue 10): an OAuth result waits as a `pending` connector until the
// user who started the flow confirms it. `completion_hash` is SHA-256 of its one-time code
// (the code itself is never stored); `pending_until` is when the code dies, after which a
// sweep revokes and deletes the row (a claimed row's `pending_until` is when its claim
// lapses). `account_id`: the provider-side account of the identity (HubSpot's portal), part of
// what makes two connectors the same account, so the unique index on active accounts takes
// it in ('' where there is none: NULLs would never collide).
constexpr std::string_view connect_confirmation_statements[] = {
    "ALTER TABLE connector_accounts ADD COLUMN account_id VARCHAR(255) NOT NULL DEFAULT ''",
    "ALTER TABLE connector_accounts ADD COLUMN completion_hash VARCHAR(64)",
    "ALTER TABLE connector_accounts ADD COLUMN pending_until BIGINT",
    "DROP INDEX connector_accounts_active_identity",
    "CREATE UNIQUE INDEX connector_accounts_active_account "
    "ON connector_accounts (tenant_id, provider, account_identity, account_id) "
    "WHERE status = 'active'",
    "CREATE UNIQUE INDEX connector_accounts_completion ON connector_accounts (completion_hash) "
    "WHERE completion_hash IS NOT NULL",
    "CREATE INDEX connector_accounts_pending_until ON connector_accounts (pending_until) "
    "WHERE status = 'pending'",
};

// The encryption key check (issue 10): one Fernet token of a fixed text under the key the
// database is encrypted with, so a host started with a wrong key refuses to start.
constexpr std::string_view encryption_key_check_table = R"sql(
CREATE TABLE encryption_key_check (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    canary     TEXT    NOT NULL,
    updated_at BIGINT  NOT NULL
))sql";

// Connector events (issue 14): the outbox every change of a connector's state writes in the
// transaction that makes the change (connector_status_change.hpp). `sequence` numbers a
// tenant's events in commit order (event_sequences hands them out under a row lock held to
// the commit), which is what the events feed pages by. webhook_deliveries holds one row per
// event and configured endpoint until the endpoint took it (then the row goes); an instance
// claims a row with a lease, and only the oldest row of a connector and endpoint can be
// claimed, so each connector's events reach each endpoint in order. Times in milliseconds.
constexpr std::string_view connector_events_sqlite = R"sql(
CREATE TABLE connector_events (
    id              INTEGER      PRIMARY KEY AUTOINCREMENT,
    event_id        VARCHAR(36)  NOT NULL UNIQUE,
    tenant_id       VARCHAR(255) NOT NULL,
    sequence        BIGINT       NOT NULL,
    type            VARCHAR(64)  NOT NULL,
    connector_id    VARCHAR(36)  NOT NULL,
    provider        VARCHAR(128) NOT NULL,
    category        VARCHAR(64)  NOT NULL,
    user_id         VARCHAR(255) NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    previous_status VARCHAR(16),
    reason          TEXT,
    error_code      VARCHAR(128),
    occurred_at_ms  BIGINT       NOT NULL,
    UNIQUE (tenant_id, sequence)
))sql";
constexpr std::string_view connector_events_postgresql = R"sql(
CREATE TABLE connector_events (
    id              BIGSERIAL    PRIMARY KEY,
    event_id        VARCHAR(36)  NOT NULL UNIQUE,
    tenant_id       VARCHAR(255) NOT NULL,
    sequence        BIGINT       NOT NULL,
    type            VARCHAR(64)  NOT NULL,
    connector_id    VARCHAR(36)  NOT NULL,
    provider        VARCHAR(128) NOT NULL,
    category        VARCHAR(64)  NOT NULL,
    user_id         VARCHAR(255) NOT NULL,
    status          VARCHAR(16)  NOT NULL,
    previous_status VARCHAR(16),
    reason          TEXT,
    error_code      VARCHAR(128),
    occurred_at_ms  BIGINT       NOT NULL,
    UNIQUE (tenant_id, sequence)
))sql";
constexpr std::string_view connector_events_statements[] = {
    "CREATE INDEX connector_events_occurred ON connector_events (occurred_at_ms)",
    R"sql(
CREATE TABLE event_sequences (
    tenant_id     VARCHAR(255) PRIMARY KEY,
    last_sequence BIGINT       NOT NULL
))sql",
    R"sql(
CREATE TABLE webhook_deliveries (
    event_id           BIGINT       NOT NULL REFERENCES connector_events (id) ON DELETE CASCADE,
    endpoint           VARCHAR(64)  NOT NULL,
    connector_id       VARCHAR(36)  NOT NULL,
    attempts           INTEGER      NOT NULL DEFAULT 0,
    next_attempt_at_ms BIGINT       NOT NULL,
    lease_owner        VARCHAR(36),
    leased_until_ms    BIGINT,
    last_error         VARCHAR(255),
    created_at_ms      BIGINT       NOT NULL,
    PRIMARY KEY (event_id, endpoint)
))sql",
    "CREATE INDEX webhook_deliveries_queue ON webhook_deliveries (endpoint, connector_id, "
    "event_id)",
    "CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint, next_attempt_at_ms)",
};

// Connecting with an access token (issue 13): how each account was connected, `oauth` (every
// connector before) or `access_token` (handed over by the user: no refresh token, no expiry,
// nothing to revoke at the provider).
constexpr std::string_view connector_auth_method_column =
    "ALTER TABLE connector_accounts ADD COLUMN auth_method VARCHAR(16) NOT NULL DEFAULT 'oauth'";

// The tenant's connectors of one account, whatever their status: the confirmation of a
// connection looks them up (pending_connections.cpp, to bring back a revoked or expired one).
// The partial index on active accounts cannot serve that query, which walked every row of the
// tenant instead, inside the write transaction: with 27,000 connectors in a tenant a connect
// took 40 ms of the database's single writer (found by scripts/bench's refresh wave).
// created_at last: the query's order, without which SQLite prefers connector_accounts_tenant.
constexpr std::string_view connector_accounts_account_index =
    "CREATE INDEX connector_accounts_account ON connector_accounts (tenant_id, provider, "
    "account_identity, created_at)";

std::vector<Migration> build_migrations() {
    std::vector<Migration> all;
    Migration accounts{1, "connector_accounts", {}, {}};
    accounts.sqlite.push_back(connector_accounts_table);
    accounts.postgresql.push_back(connector_accounts_table);
    for (auto index : connector_accounts_indexes) {
        accounts.sqlite.push_back(index);
        accounts.postgresql.push_back(index);
    }
    all.push_back(accounts);
    all.push_back(Migration{2,
                            "oauth_states",
                            {oauth_states_table, oauth_states_index},
                            {oauth_states_table, oauth_states_index}});
    all.push_back(Migration{3,
                            "idempotency_keys",
                            {idempotency_keys_table, idempotency_keys_index},
                            {idempotency_keys_table, idempotency_keys_index}});
    all.push_back(Migration{4,
                            "action_audit_log",
                            {action_audit_log_table, action_audit_log_index},
                            {action_audit_log_table, action_audit_log_index}});
    Migration refresh{5, "refresh_coordination", {}, {}};
    for (auto column : refresh_coordination_columns) {
        refresh.sqlite.push_back(column);
        refresh.postgresql.push_back(column);
    }
    all.push_back(refresh);
    Migration confirmation{6, "connect_confirmation", {}, {}};
    for (auto statement : connect_confirmation_statements) {
        confirmation.sqlite.push_back(statement);
        confirmation.postgresql.push_back(statement);
    }
    all.push_back(confirmation);
    all.push_back(Migration{7,
                            "encryption_key_check",
                            {encryption_key_check_table},
                            {encryption_key_check_table}});
    Migration events{8, "connector_events", {connector_events_sqlite},
                     {connector_events_postgresql}};
    for (auto statement : connector_events_statements) {
        events.sqlite.push_back(statement);
        events.postgresql.push_back(statement);
    }
    all.push_back(events);
    all.push_back(Migration{9,
                            "connector_auth_method",
                            {connector_auth_method_column},
                            {connector_auth_method_column}});
    all.push_back(Migration{10,
                            "connector_accounts_account_index",
                            {connector_accounts_account_index},
                            {connector_accounts_account_index}});
    return all;
}

void lock_for_migration(soci::session& sql, DatabaseBackend backend) {
    if (backend == DatabaseBackend::postgresql) {
        long long key = migration_lock_key;
        sql << "SELECT pg_advisory_xact_lock(:key)", soci::use(key);
    }
}

} // namespace

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all = build_migrations();
    return all;
}

std::vector<int> applied_migrations(soci::session& sql) {
    std::vector<int> versions;
    int version = 0;
    soci::statement st = (sql.prepare << "SELECT version FROM schema_migrations ORDER BY version",
                          soci::into(version));
    st.execute();
    while (st.fetch()) versions.push_back(version);
    return versions;
}

Result<void> apply_migrations(soci::session& sql, DatabaseBackend backend) {
    {
        WriteTransaction transaction(sql, backend);
        lock_for_migration(sql, backend);
        sql << "CREATE TABLE IF NOT EXISTS schema_migrations ("
               "version INTEGER PRIMARY KEY, name VARCHAR(128) NOT NULL, applied_at BIGINT NOT "
               "NULL)";
        transaction.commit();
    }
    for (const auto& migration : migrations()) {
        WriteTransaction transaction(sql, backend);
        lock_for_migration(sql, backend);
        int applied = 0;
        int version = migration.version;
        sql << "SELECT COUNT(*) FROM schema_migrations WHERE version = :v", soci::into(applied),
            soci::use(version);
        if (applied != 0) continue; // the transaction rolls back: nothing to do
        const auto& statements =
            backend == DatabaseBackend::sqlite ? migration.sqlite : migration.postgresql;
        try {
            for (auto statement : statements) sql << std::string(statement);
        } catch (const soci::soci_error& error) {
            spdlog::error("migration {} ({}) failed: {}", migration.version, migration.name,
                          error.get_error_message());
            return Error(ErrorKind::internal, "migration_failed",
                         "database migration " + std::to_string(migration.version) + " (" +
                             std::string(migration.name) +
                             ") failed: " + error.get_error_message());
        }
        std::string name(migration.name);
        long long now = to_epoch_seconds(std::chrono::system_clock::now());
        sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :t)",
            soci::use(version), soci::use(name), soci::use(now);
        transaction.commit();
        spdlog::info("applied database migration {} ({})", migration.version, migration.name);
    }
    return {};
}

} // namespace switchboard::store
