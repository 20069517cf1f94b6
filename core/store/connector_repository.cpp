#include "core/store/connector_repository.hpp"

#include "core/crypto/secure_random.hpp"
#include "core/store/connector_fields.hpp"
#include "core/store/connector_status_change.hpp"
#include "core/store/prepared_statements.hpp"

#include <soci/soci.h>

#include <algorithm>
#include <array>

namespace switchboard::store {
namespace {

constexpr std::size_t max_connector_error_length = 2000;

// The columns every read returns, in the order SummaryRow::bind expects. Never a ciphertext.
constexpr std::string_view summary_columns =
    "id, tenant_id, user_id, type, provider, name, status, account_identity, scopes, "
    "CASE WHEN access_token_encrypted IS NULL THEN 0 ELSE 1 END, "
    "CASE WHEN refresh_token_encrypted IS NULL THEN 0 ELSE 1 END, "
    "token_expires_at, created_at, updated_at, last_refreshed_at, last_error, credential_version, "
    "account_id, auth_method";

struct SummaryRow {
    std::string id, tenant_id, user_id, type, provider, name, status, identity, scopes, last_error,
        account_id, auth_method;
    int has_access = 0, has_refresh = 0;
    long long expires_at = 0, created_at = 0, updated_at = 0, refreshed_at = 0, version = 0;
    soci::indicator identity_ind = soci::i_ok, expires_ind = soci::i_ok, refreshed_ind = soci::i_ok,
                    error_ind = soci::i_ok;

    void bind(soci::statement& statement) {
        statement.exchange(soci::into(id));
        statement.exchange(soci::into(tenant_id));
        statement.exchange(soci::into(user_id));
        statement.exchange(soci::into(type));
        statement.exchange(soci::into(provider));
        statement.exchange(soci::into(name));
        statement.exchange(soci::into(status));
        statement.exchange(soci::into(identity, identity_ind));
        statement.exchange(soci::into(scopes));
        statement.exchange(soci::into(has_access));
        statement.exchange(soci::into(has_refresh));
        statement.exchange(soci::into(expires_at, expires_ind));
        statement.exchange(soci::into(created_at));
        statement.exchange(soci::into(updated_at));
        statement.exchange(soci::into(refreshed_at, refreshed_ind));
        statement.exchange(soci::into(last_error, error_ind));
        statement.exchange(soci::into(version));
        statement.exchange(soci::into(account_id));
        statement.exchange(soci::into(auth_method));
    }

    ConnectorSummary summary() const {
        ConnectorSummary out;
        out.id = id;
        out.tenant_id = tenant_id;
        out.user_id = user_id;
        out.category = type;
        out.provider = provider;
        out.name = name;
        out.status = parse_connector_status(status).value_or(ConnectorStatus::error);
        if (identity_ind == soci::i_ok) out.account_identity = identity;
        out.scopes = split_scopes(scopes);
        out.has_access_token = has_access != 0;
        out.has_refresh_token = has_refresh != 0;
        if (expires_ind == soci::i_ok) out.token_expires_at = from_epoch_seconds(expires_at);
        out.created_at = from_epoch_seconds(created_at);
        out.updated_at = from_epoch_seconds(updated_at);
        if (refreshed_ind == soci::i_ok) out.last_refreshed_at = from_epoch_seconds(refreshed_at);
        if (error_ind == soci::i_ok) out.last_error = last_error;
        out.credential_version = version;
        out.account_id = account_id;
        out.auth_method = parse_auth_method(auth_method).value_or(AuthMethod::oauth);
        return out;
    }
};

// A kept SELECT of the summary columns (PreparedStatements): the row it reads into, and the
// tenant and up to four more values it binds (a connector id, or list's filters), in order.
struct SummaryQuery {
    static constexpr std::size_t most_values = 4;

    SummaryQuery(soci::session& sql, const std::string& text, std::size_t value_count)
        : statement(sql) {
        row.bind(statement);
        statement.exchange(soci::use(tenant));
        for (std::size_t i = 0; i < value_count; ++i) statement.exchange(soci::use(values[i]));
        prepare_kept(statement, text);
    }

    // Runs it with the inputs as set, reading every row (so the statement ends its read).
    std::vector<ConnectorSummary> run() {
        std::vector<ConnectorSummary> out;
        statement.execute();
        while (statement.fetch()) out.push_back(row.summary());
        return out;
    }

    SummaryRow row;
    std::string tenant;
    std::array<std::string, most_values> values;
    soci::statement statement;
};

Error not_found(std::string_view connector_id) {
    return Error(ErrorKind::not_found, "connector_not_found",
                 "connector '" + std::string(connector_id) + "' does not exist");
}

// A connector id that cannot exist is simply not found (no database round trip).
bool plausible_connector_id(std::string_view id) {
    return id.size() == 36 && std::all_of(id.begin(), id.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-';
           });
}

// Maps the unique index on active (tenant, provider, identity) to its API error.
Error duplicate_active(std::string_view provider) {
    return Error(ErrorKind::conflict, "connector_exists",
                 "an active " + std::string(provider) +
                     " connector for this account already exists in this tenant");
}

Error version_conflict(std::string_view connector_id, std::int64_t expected, long long current) {
    return Error(ErrorKind::conflict, "credential_version_conflict",
                 "the tokens of connector '" + std::string(connector_id) +
                     "' changed since version " + std::to_string(expected) + " (now " +
                     std::to_string(current) + ")");
}

// A connector's status and credential version, read inside a write transaction: on
// PostgreSQL the row stays locked until the transaction ends (SQLite's BEGIN IMMEDIATE holds
// the whole file's write lock already), so the write that follows decides on what it read.
struct LockedRow {
    ConnectorStatus status = ConnectorStatus::error;
    long long version = 0;
};

Result<LockedRow> read_for_update(soci::session& sql, DatabaseBackend backend,
                                  std::string& tenant, std::string& id) {
    std::string query = "SELECT status, credential_version FROM connector_accounts WHERE "
                        "tenant_id = :t AND id = :id";
    if (backend == DatabaseBackend::postgresql) query += " FOR UPDATE";
    std::string status;
    LockedRow row;
    sql << query, soci::into(status), soci::into(row.version), soci::use(tenant), soci::use(id);
    if (!sql.got_data()) return not_found(id);
    row.status = parse_connector_status(status).value_or(ConnectorStatus::error);
    return row;
}

Error unreadable(std::string_view connector_id) {
    return Error(ErrorKind::internal, "credentials_unreadable",
                 "the stored tokens of connector '" + std::string(connector_id) +
                     "' cannot be decrypted with the configured keys");
}

} // namespace

ConnectorRepository::ConnectorRepository(std::shared_ptr<Database> database,
                                         std::shared_ptr<const crypto::MultiFernet> keys,
                                         WallClock clock,
                                         std::shared_ptr<const EventOutbox> outbox)
    : database_(std::move(database)), keys_(std::move(keys)), clock_(std::move(clock)),
      outbox_(outbox ? std::move(outbox) : std::make_shared<const EventOutbox>()) {}

std::chrono::system_clock::time_point ConnectorRepository::now() const {
    return clock_ ? clock_() : std::chrono::system_clock::now();
}

Result<std::string> ConnectorRepository::encrypt(std::string_view plaintext) const {
    return keys_->encrypt(plaintext);
}

Result<ConnectorSummary> ConnectorRepository::create(std::string_view tenant_id,
                                                     const NewConnector& connector) {
    if (auto checked = check_new_connector(tenant_id, connector); !checked) return checked.error();

    // Encrypt before taking any database lock.
    std::string access, refresh;
    soci::indicator access_ind = soci::i_null, refresh_ind = soci::i_null;
    if (!connector.tokens.access_token.empty()) {
        auto sealed = encrypt(connector.tokens.access_token);
        if (!sealed) return sealed.error();
        access = std::move(*sealed);
        access_ind = soci::i_ok;
    }
    if (connector.tokens.refresh_token && !connector.tokens.refresh_token->empty()) {
        auto sealed = encrypt(*connector.tokens.refresh_token);
        if (!sealed) return sealed.error();
        refresh = std::move(*sealed);
        refresh_ind = soci::i_ok;
    }
    auto id = crypto::random_uuid();
    if (!id) return id.error();

    ConnectorSummary summary;
    summary.id = *id;
    summary.tenant_id = std::string(tenant_id);
    summary.user_id = connector.user_id;
    summary.category = connector.category;
    summary.provider = connector.provider;
    summary.name = connector.name;
    summary.status = connector.status;
    summary.account_identity = connector.account_identity;
    summary.account_id = connector.account_id;
    summary.auth_method = connector.auth_method;
    summary.scopes = split_scopes(join_scopes(connector.scopes));
    summary.has_access_token = access_ind == soci::i_ok;
    summary.has_refresh_token = refresh_ind == soci::i_ok;
    summary.token_expires_at = connector.tokens.expires_at;
    summary.created_at = summary.updated_at =
        std::chrono::time_point_cast<std::chrono::seconds>(now());
    summary.credential_version = 1;

    auto created =
        database_->with_session("creating a connector", [&](soci::session& sql) -> Result<void> {
            WriteTransaction transaction(sql, database_->backend());
            std::string tenant(tenant_id), status(to_string(connector.status));
            std::string identity = connector.account_identity;
            std::string account = connector.account_id;
            soci::indicator identity_ind = identity.empty() ? soci::i_null : soci::i_ok;
            if (connector.status == ConnectorStatus::active && !identity.empty()) {
                int existing = 0;
                sql << "SELECT COUNT(*) FROM connector_accounts WHERE tenant_id = :t AND "
                       "provider = :p AND account_identity = :i AND account_id = :a AND "
                       "status = 'active'",
                    soci::into(existing), soci::use(tenant), soci::use(summary.provider),
                    soci::use(identity), soci::use(account);
                if (existing != 0) return duplicate_active(summary.provider);
            }
            std::string scopes = join_scopes(connector.scopes);
            std::string auth_method(to_string(connector.auth_method));
            long long expires =
                summary.token_expires_at ? summary.token_expires_at->time_since_epoch().count() : 0;
            soci::indicator expires_ind = summary.token_expires_at ? soci::i_ok : soci::i_null;
            long long created_at = summary.created_at.time_since_epoch().count();
            sql << "INSERT INTO connector_accounts (id, tenant_id, user_id, type, provider, name, "
                   "status, account_identity, account_id, scopes, access_token_encrypted, "
                   "refresh_token_encrypted, "
                   "token_expires_at, created_at, updated_at, credential_version, auth_method) "
                   "VALUES (:id, :t, :u, :ty, :p, :n, :s, :i, :acc, :sc, :a, :r, :e, :c, :up, 1, "
                   ":am)",
                soci::use(summary.id), soci::use(tenant), soci::use(summary.user_id),
                soci::use(summary.category), soci::use(summary.provider), soci::use(summary.name),
                soci::use(status), soci::use(identity, identity_ind), soci::use(account),
                soci::use(scopes),
                soci::use(access, access_ind), soci::use(refresh, refresh_ind),
                soci::use(expires, expires_ind), soci::use(created_at), soci::use(created_at),
                soci::use(auth_method);
            if (connector.status == ConnectorStatus::active) {
                auto recorded = record_status_change(
                    sql, *outbox_,
                    {tenant_id, summary.id, std::nullopt, ConnectorStatus::active, {}, {}, {}});
                if (!recorded) return recorded.error();
            }
            transaction.commit();
            return {};
        });
    if (!created) {
        if (created.error().kind == ErrorKind::conflict)
            return duplicate_active(connector.provider);
        return created.error();
    }
    return summary;
}

Result<ConnectorSummary> ConnectorRepository::get(std::string_view tenant_id,
                                                  std::string_view connector_id) {
    if (auto checked = check_connector_id("tenant_id", tenant_id); !checked) return checked.error();
    if (!plausible_connector_id(connector_id)) return not_found(connector_id);
    static const std::string text = "SELECT " + std::string(summary_columns) +
                                    " FROM connector_accounts WHERE tenant_id = :t AND id = :id";
    return database_->query_prepared<ConnectorSummary>(
        "reading a connector",
        [&](soci::session& sql, PreparedStatements& statements) -> Result<ConnectorSummary> {
            auto& query = statements.get<SummaryQuery>(sql, text, std::size_t{1});
            query.tenant = tenant_id;
            query.values[0] = connector_id;
            auto rows = query.run();
            if (rows.empty()) return not_found(connector_id);
            return std::move(rows.front());
        });
}

Result<std::vector<ConnectorSummary>> ConnectorRepository::list(std::string_view tenant_id,
                                                                const ConnectorFilter& filter) {
    if (auto checked = check_connector_id("tenant_id", tenant_id); !checked) return checked.error();
    return database_->query_prepared<std::vector<ConnectorSummary>>(
        "listing connectors",
        [&](soci::session& sql,
            PreparedStatements& statements) -> Result<std::vector<ConnectorSummary>> {
            // Optional filters as "(:x IS NULL OR column = :x)" would bind each twice; build
            // the WHERE clause from the filters present instead (values are still bound), one
            // kept statement for each combination of filters.
            std::string where = " WHERE tenant_id = :t";
            std::vector<std::string> values;
            auto add = [&](const std::optional<std::string>& value, std::string_view column) {
                if (!value) return;
                where += " AND " + std::string(column) + " = :f" + std::to_string(values.size());
                values.push_back(*value);
            };
            add(filter.user_id, "user_id");
            add(filter.provider, "provider");
            add(filter.category, "type");
            add(filter.status ? std::optional<std::string>(std::string(to_string(*filter.status)))
                              : std::nullopt,
                "status");
            const std::string text = "SELECT " + std::string(summary_columns) +
                                     " FROM connector_accounts" + where + " ORDER BY created_at, id";
            auto& query = statements.get<SummaryQuery>(sql, text, values.size());
            query.tenant = tenant_id;
            for (std::size_t i = 0; i < values.size(); ++i) query.values[i] = std::move(values[i]);
            return query.run();
        });
}

Result<ConnectorCredentials> ConnectorRepository::get_credentials(std::string_view tenant_id,
                                                                  std::string_view connector_id) {
    if (auto checked = check_connector_id("tenant_id", tenant_id); !checked) return checked.error();
    if (!plausible_connector_id(connector_id)) return not_found(connector_id);
    std::string access, refresh;
    soci::indicator access_ind = soci::i_null, refresh_ind = soci::i_null,
                    expires_ind = soci::i_null;
    long long expires = 0, version = 0;
    auto read = database_->with_session(
        "reading connector credentials", [&](soci::session& sql) -> Result<void> {
            std::string tenant(tenant_id), id(connector_id);
            sql << "SELECT access_token_encrypted, refresh_token_encrypted, token_expires_at, "
                   "credential_version FROM connector_accounts WHERE tenant_id = :t AND id = :id",
                soci::into(access, access_ind), soci::into(refresh, refresh_ind),
                soci::into(expires, expires_ind), soci::into(version), soci::use(tenant),
                soci::use(id);
            if (!sql.got_data()) return not_found(connector_id);
            return {};
        });
    if (!read) return read.error();

    ConnectorCredentials credentials;
    credentials.connector_id = std::string(connector_id);
    credentials.credential_version = version;
    if (access_ind == soci::i_ok) {
        auto plaintext = keys_->decrypt(access);
        if (!plaintext) return unreadable(connector_id);
        credentials.tokens.access_token = std::move(*plaintext);
    }
    if (refresh_ind == soci::i_ok) {
        auto plaintext = keys_->decrypt(refresh);
        if (!plaintext) return unreadable(connector_id);
        credentials.tokens.refresh_token = std::move(*plaintext);
    }
    if (expires_ind == soci::i_ok) credentials.tokens.expires_at = from_epoch_seconds(expires);
    return credentials;
}

Result<std::int64_t> ConnectorRepository::update_tokens(std::string_view tenant_id,
                                                        std::string_view connector_id,
                                                        std::int64_t expected_version,
                                                        const TokenUpdate& update) {
    if (auto checked = check_connector_id("tenant_id", tenant_id); !checked) return checked.error();
    if (!plausible_connector_id(connector_id)) return not_found(connector_id);
    if (update.access_token.empty()) return invalid_connector("access_token", "access_token is empty");
    if (update.scopes) {
        if (auto checked = check_scopes(*update.scopes); !checked) return checked.error();
    }
    auto access = encrypt(update.access_token);
    if (!access) return access.error();
    std::string refresh;
    soci::indicator refresh_ind = soci::i_null;
    if (update.refresh_token && !update.refresh_token->empty()) {
        auto sealed = encrypt(*update.refresh_token);
        if (!sealed) return sealed.error();
        refresh = std::move(*sealed);
        refresh_ind = soci::i_ok;
    }
    std::string scopes = update.scopes ? join_scopes(*update.scopes) : std::string();
    soci::indicator scopes_ind = update.scopes ? soci::i_ok : soci::i_null;
    long long expires = update.expires_at ? update.expires_at->time_since_epoch().count() : 0;
    soci::indicator expires_ind = update.expires_at ? soci::i_ok : soci::i_null;

    return database_->query<std::int64_t>(
        "updating connector tokens", [&](soci::session& sql) -> Result<std::int64_t> {
            std::string tenant(tenant_id), id(connector_id);
            WriteTransaction transaction(sql, database_->backend());
            auto row = read_for_update(sql, database_->backend(), tenant, id);
            if (!row) return row.error();
            if (row->version != expected_version) {
                return version_conflict(connector_id, expected_version, row->version);
            }
            long long at = to_epoch_seconds(now());
            long long expected = expected_version;
            sql << "UPDATE connector_accounts SET access_token_encrypted = :a, "
                   "refresh_token_encrypted = COALESCE(:r, refresh_token_encrypted), "
                   "token_expires_at = :e, scopes = COALESCE(:s, scopes), "
                   "credential_version = credential_version + 1, status = 'active', "
                   "last_error = NULL, refresh_leased_until = NULL, refresh_lease_owner = NULL, "
                   "refresh_failures = 0, refresh_retry_at = NULL, last_refreshed_at = :now, "
                   "updated_at = :now2 WHERE tenant_id = :t AND id = :id AND "
                   "credential_version = :v",
                soci::use(*access), soci::use(refresh, refresh_ind),
                soci::use(expires, expires_ind), soci::use(scopes, scopes_ind), soci::use(at),
                soci::use(at), soci::use(tenant), soci::use(id), soci::use(expected);
            const auto event = update.cause == TokenUpdateCause::reconnect
                                   ? ConnectorEventType::connected
                                   : ConnectorEventType::refreshed;
            auto recorded = record_status_change(
                sql, *outbox_,
                {tenant_id, connector_id, row->status, ConnectorStatus::active,
                 update.cause == TokenUpdateCause::reconnect ? "reconnected" : "",
                 event, {}});
            if (!recorded) return recorded.error();
            transaction.commit();
            return expected_version + 1;
        });
}

Result<void> ConnectorRepository::set_status(std::string_view tenant_id,
                                             std::string_view connector_id,
                                             std::int64_t expected_version, ConnectorStatus status,
                                             std::string_view last_error,
                                             std::string_view error_code) {
    if (auto checked = check_connector_id("tenant_id", tenant_id); !checked) return checked.error();
    if (!plausible_connector_id(connector_id)) return not_found(connector_id);
    std::string error_text(last_error.substr(0, max_connector_error_length));
    soci::indicator error_ind = error_text.empty() ? soci::i_null : soci::i_ok;
    auto updated = database_->with_session(
        "updating a connector status", [&](soci::session& sql) -> Result<void> {
            std::string tenant(tenant_id), id(connector_id), status_text(to_string(status));
            WriteTransaction transaction(sql, database_->backend());
            auto row = read_for_update(sql, database_->backend(), tenant, id);
            if (!row) return row.error();
            if (row->version != expected_version) {
                return version_conflict(connector_id, expected_version, row->version);
            }
            long long at = to_epoch_seconds(now());
            sql << "UPDATE connector_accounts SET status = :s, last_error = :e, updated_at = :now "
                   "WHERE tenant_id = :t AND id = :id",
                soci::use(status_text), soci::use(error_text, error_ind), soci::use(at),
                soci::use(tenant), soci::use(id);
            if (row->status != status) {
                auto recorded = record_status_change(
                    sql, *outbox_,
                    {tenant_id, connector_id, row->status, status, error_text, {}, error_code});
                if (!recorded) return recorded.error();
            }
            transaction.commit();
            return {};
        });
    if (!updated && updated.error().code == "conflict") {
        return Error(ErrorKind::conflict, "connector_exists",
                     "another active connector for this account already exists in this tenant");
    }
    return updated;
}

Result<void> ConnectorRepository::record_refresh_failure(std::string_view tenant_id,
                                                         std::string_view connector_id,
                                                         std::int64_t expected_version,
                                                         std::string_view error_code,
                                                         std::string_view message) {
    if (auto checked = check_connector_id("tenant_id", tenant_id); !checked) return checked.error();
    if (!plausible_connector_id(connector_id)) return not_found(connector_id);
    std::string error_text(message.substr(0, max_connector_error_length));
    soci::indicator error_ind = error_text.empty() ? soci::i_null : soci::i_ok;
    return database_->with_session(
        "recording a failed refresh", [&](soci::session& sql) -> Result<void> {
            std::string tenant(tenant_id), id(connector_id);
            WriteTransaction transaction(sql, database_->backend());
            auto row = read_for_update(sql, database_->backend(), tenant, id);
            if (!row) return row.error();
            if (row->version != expected_version) return {}; // about tokens that are gone
            long long at = to_epoch_seconds(now());
            sql << "UPDATE connector_accounts SET last_error = :e, updated_at = :now WHERE "
                   "tenant_id = :t AND id = :id",
                soci::use(error_text, error_ind), soci::use(at), soci::use(tenant), soci::use(id);
            auto recorded = record_status_change(
                sql, *outbox_,
                {tenant_id, connector_id, row->status, row->status, error_text,
                 ConnectorEventType::refresh_failed, error_code});
            if (!recorded) return recorded.error();
            transaction.commit();
            return {};
        });
}

Result<void> ConnectorRepository::set_account_id(std::string_view tenant_id,
                                                 std::string_view connector_id,
                                                 std::string_view account_id) {
    if (auto checked = check_connector_id("tenant_id", tenant_id); !checked) return checked.error();
    if (!plausible_connector_id(connector_id)) return not_found(connector_id);
    if (account_id.size() > max_connector_id_length) {
        return invalid_connector("account_id", "account_id is longer than 255 characters");
    }
    return database_->with_session(
        "recording a connector's account id", [&](soci::session& sql) -> Result<void> {
            std::string tenant(tenant_id), id(connector_id), account(account_id);
            soci::statement st =
                (sql.prepare << "UPDATE connector_accounts SET account_id = :a WHERE tenant_id = "
                                ":t AND id = :id",
                 soci::use(account), soci::use(tenant), soci::use(id));
            st.execute(true);
            if (st.get_affected_rows() == 0) return not_found(connector_id);
            return {};
        });
}

Result<void> ConnectorRepository::remove(std::string_view tenant_id,
                                         std::string_view connector_id) {
    if (auto checked = check_connector_id("tenant_id", tenant_id); !checked) return checked.error();
    if (!plausible_connector_id(connector_id)) return not_found(connector_id);
    return database_->with_session("deleting a connector", [&](soci::session& sql) -> Result<void> {
        std::string tenant(tenant_id), id(connector_id);
        WriteTransaction transaction(sql, database_->backend());
        auto row = read_for_update(sql, database_->backend(), tenant, id);
        if (!row) return row.error();
        // A pending connection was never announced: its discarding announces nothing.
        if (row->status != ConnectorStatus::pending) {
            auto recorded = record_status_change(
                sql, *outbox_,
                {tenant_id, connector_id, row->status, ConnectorStatus::disconnected, {}, {}, {}});
            if (!recorded) return recorded.error();
        }
        sql << "DELETE FROM connector_accounts WHERE tenant_id = :t AND id = :id",
            soci::use(tenant), soci::use(id);
        transaction.commit();
        return {};
    });
}

} // namespace switchboard::store
