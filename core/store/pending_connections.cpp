#include "core/store/pending_connections.hpp"

#include "core/crypto/secure_random.hpp"
#include "core/store/connector_fields.hpp"
#include "core/store/connector_status_change.hpp"

#include <soci/soci.h>

#include <initializer_list>
#include <utility>

namespace switchboard::store {
namespace {

Error completion_not_found() {
    return Error(ErrorKind::not_found, "completion_not_found",
                 "the completion code is unknown, expired or already used");
}

Error not_pending(std::string_view connector_id) {
    return Error(ErrorKind::not_found, "connector_not_found",
                 "connector '" + std::string(connector_id) + "' does not exist");
}

Result<void> check_fields(std::string_view tenant_id, const NewConnector& connector) {
    if (auto checked = check_new_connector(tenant_id, connector); !checked) return checked;
    if (connector.tokens.access_token.empty()) {
        return invalid_connector("access_token", "a pending connection needs its access token");
    }
    return {};
}

// The claim statement's common part: the code dies, and the row is the claimer's until
// `until` (then any sweep may take it again).
constexpr std::string_view claim_set =
    "UPDATE connector_accounts SET completion_hash = NULL, pending_until = :until WHERE ";
constexpr std::string_view claim_returning = " RETURNING tenant_id, id, provider, created_at";

// Reads the rows a claim statement returns (draining it: SQLite finishes the statement only
// after its last row).
std::vector<PendingClaim> fetch_claims(soci::statement& st, PendingClaim& row, long long& created) {
    std::vector<PendingClaim> out;
    st.execute();
    while (st.fetch()) {
        row.created_at = from_epoch_seconds(created);
        out.push_back(row);
    }
    return out;
}

} // namespace

PendingConnections::PendingConnections(std::shared_ptr<Database> database,
                                       std::shared_ptr<const crypto::MultiFernet> keys,
                                       WallClock clock, PendingOptions options,
                                       std::shared_ptr<const EventOutbox> outbox)
    : database_(std::move(database)), keys_(std::move(keys)), clock_(std::move(clock)),
      options_(options),
      outbox_(outbox ? std::move(outbox) : std::make_shared<const EventOutbox>()) {}

std::chrono::system_clock::time_point PendingConnections::now() const {
    return clock_ ? clock_() : std::chrono::system_clock::now();
}

Result<ConnectorRef> PendingConnections::park(std::string_view tenant_id,
                                              const NewConnector& connector,
                                              std::string_view completion_hash, Timestamp until) {
    if (auto checked = check_fields(tenant_id, connector); !checked) return checked.error();
    if (completion_hash.size() != 64) {
        return invalid_connector("completion_hash", "the completion hash must be 64 hex digits");
    }
    // Encrypt before taking any database lock.
    auto access = keys_->encrypt(connector.tokens.access_token);
    if (!access) return access.error();
    std::string refresh;
    soci::indicator refresh_ind = soci::i_null;
    if (connector.tokens.refresh_token && !connector.tokens.refresh_token->empty()) {
        auto sealed = keys_->encrypt(*connector.tokens.refresh_token);
        if (!sealed) return sealed.error();
        refresh = std::move(*sealed);
        refresh_ind = soci::i_ok;
    }
    auto id = crypto::random_uuid();
    if (!id) return id.error();

    auto stored = database_->with_session("parking a pending connection", [&](soci::session& sql)
                                                                               -> Result<void> {
        std::string tenant(tenant_id), hash(completion_hash);
        std::string identity = connector.account_identity;
        soci::indicator identity_ind = identity.empty() ? soci::i_null : soci::i_ok;
        std::string account = connector.account_id;
        std::string scopes = join_scopes(connector.scopes);
        long long expires = connector.tokens.expires_at
                                ? connector.tokens.expires_at->time_since_epoch().count()
                                : 0;
        soci::indicator expires_ind = connector.tokens.expires_at ? soci::i_ok : soci::i_null;
        long long created = to_epoch_seconds(now());
        long long pending_until = until.time_since_epoch().count();
        sql << "INSERT INTO connector_accounts (id, tenant_id, user_id, type, provider, name, "
               "status, account_identity, account_id, scopes, access_token_encrypted, "
               "refresh_token_encrypted, token_expires_at, created_at, updated_at, "
               "credential_version, completion_hash, pending_until) VALUES (:id, :t, :u, :ty, "
               ":p, :n, 'pending', :i, :acc, :sc, :a, :r, :e, :c, :up, 1, :h, :pu)",
            soci::use(*id), soci::use(tenant), soci::use(connector.user_id),
            soci::use(connector.category), soci::use(connector.provider),
            soci::use(connector.name), soci::use(identity, identity_ind), soci::use(account),
            soci::use(scopes), soci::use(*access), soci::use(refresh, refresh_ind),
            soci::use(expires, expires_ind), soci::use(created), soci::use(created),
            soci::use(hash), soci::use(pending_until);
        return {};
    });
    if (!stored) return stored.error();
    return ConnectorRef{std::string(tenant_id), std::move(*id)};
}

Result<Confirmation> PendingConnections::confirm(std::string_view completion_hash,
                                                 std::string_view tenant_id,
                                                 std::string_view user_id) {
    if (completion_hash.size() != 64) return completion_not_found();
    auto confirmed = confirm_once(completion_hash, tenant_id, user_id);
    if (confirmed || confirmed.error().kind != ErrorKind::conflict) return confirmed;
    // PostgreSQL: another confirmation activated the same account between this one's check
    // and its activation (the unique index on active accounts refused it, and the transaction
    // rolled back). The account is connected: this pending row is a duplicate.
    std::string provider;
    auto dropped = database_->with_session(
        "dropping a duplicate pending connection", [&](soci::session& sql) -> Result<void> {
            std::string hash(completion_hash), tenant(tenant_id), user(user_id);
            WriteTransaction transaction(sql, database_->backend());
            sql << "SELECT provider FROM connector_accounts WHERE completion_hash = :h AND "
                   "tenant_id = :t AND user_id = :u AND status = 'pending'",
                soci::into(provider), soci::use(hash), soci::use(tenant), soci::use(user);
            if (!sql.got_data()) return completion_not_found();
            sql << "DELETE FROM connector_accounts WHERE completion_hash = :h AND status = "
                   "'pending'",
                soci::use(hash);
            transaction.commit();
            return {};
        });
    if (!dropped) return dropped.error();
    Confirmation out;
    out.kind = ConfirmationKind::already_connected;
    out.provider = std::move(provider);
    return out;
}

Result<Confirmation> PendingConnections::confirm_once(std::string_view completion_hash,
                                                      std::string_view tenant_id,
                                                      std::string_view user_id) {
    const long long at = to_epoch_seconds(now());
    return database_->query<Confirmation>(
        "confirming a pending connection", [&](soci::session& sql) -> Result<Confirmation> {
            const bool postgres = database_->backend() == DatabaseBackend::postgresql;
            WriteTransaction transaction(sql, database_->backend());
            std::string hash(completion_hash);
            std::string id, tenant, user, provider, identity, account, access, refresh, scopes;
            long long until = 0, expires = 0;
            soci::indicator identity_ind = soci::i_null, refresh_ind = soci::i_null,
                            expires_ind = soci::i_null;
            sql << "SELECT id, tenant_id, user_id, provider, account_identity, account_id, "
                   "access_token_encrypted, refresh_token_encrypted, token_expires_at, scopes, "
                   "pending_until FROM connector_accounts WHERE completion_hash = :h AND status "
                   "= 'pending'"
                       + std::string(postgres ? " FOR UPDATE" : ""),
                soci::into(id), soci::into(tenant), soci::into(user), soci::into(provider),
                soci::into(identity, identity_ind), soci::into(account), soci::into(access),
                soci::into(refresh, refresh_ind), soci::into(expires, expires_ind),
                soci::into(scopes), soci::into(until), soci::use(hash);
            // An expired code is left to the sweeper, which revokes its tokens.
            if (!sql.got_data() || until <= at) return completion_not_found();

            Confirmation out;
            out.provider = provider;
            out.connector = ConnectorRef{tenant, id};
            if (tenant != tenant_id || user != user_id) {
                long long claimed_until = at + options_.claim_duration.count();
                sql << "UPDATE connector_accounts SET completion_hash = NULL, pending_until = :u "
                       "WHERE id = :id",
                    soci::use(claimed_until), soci::use(id);
                transaction.commit();
                out.kind = ConfirmationKind::forbidden;
                return out;
            }

            // The tenant's other connectors of the same account (no identity: never the
            // same). An account id on only one side (a row older than account ids) matches.
            std::optional<std::string> target;
            ConnectorStatus target_status = ConnectorStatus::error;
            if (identity_ind == soci::i_ok && !identity.empty()) {
                std::string other_id, status;
                std::string account_again = account;
                soci::statement st =
                    (sql.prepare << "SELECT id, status FROM connector_accounts WHERE tenant_id = "
                                    ":t AND provider = :p AND account_identity = :i AND "
                                    "(account_id = :a OR account_id = '' OR :a2 = '') AND "
                                    "status <> 'pending' ORDER BY created_at, id"
                                 << (postgres ? " FOR UPDATE" : ""),
                     soci::into(other_id), soci::into(status), soci::use(tenant),
                     soci::use(provider), soci::use(identity), soci::use(account),
                     soci::use(account_again));
                st.execute();
                bool active = false;
                while (st.fetch()) {
                    if (status == "active") active = true;
                    target = other_id; // the latest one wins (oldest first)
                    target_status = parse_connector_status(status).value_or(ConnectorStatus::error);
                }
                if (active) {
                    sql << "DELETE FROM connector_accounts WHERE id = :id", soci::use(id);
                    transaction.commit();
                    out.kind = ConfirmationKind::already_connected;
                    return out;
                }
            }

            if (target) {
                // What ConnectorRepository::update_tokens() does to a connector given new
                // tokens, with the ciphertexts taken over as they are.
                sql << "UPDATE connector_accounts SET access_token_encrypted = :a, "
                       "refresh_token_encrypted = COALESCE(:r, refresh_token_encrypted), "
                       "token_expires_at = :e, scopes = :s, account_id = :acc, "
                       "credential_version = credential_version + 1, status = 'active', "
                       "last_error = NULL, refresh_leased_until = NULL, refresh_lease_owner = "
                       "NULL, refresh_failures = 0, refresh_retry_at = NULL, last_refreshed_at = "
                       ":now, updated_at = :now2 WHERE tenant_id = :t AND id = :id",
                    soci::use(access), soci::use(refresh, refresh_ind),
                    soci::use(expires, expires_ind), soci::use(scopes), soci::use(account),
                    soci::use(at), soci::use(at), soci::use(tenant), soci::use(*target);
                auto recorded =
                    record_status_change(sql, *outbox_,
                                         {tenant, *target, target_status, ConnectorStatus::active,
                                          "reconnected", {}, {}});
                if (!recorded) return recorded.error();
                sql << "DELETE FROM connector_accounts WHERE id = :id", soci::use(id);
                transaction.commit();
                out.kind = ConfirmationKind::reconnected;
                out.connector.connector_id = *target;
                return out;
            }

            sql << "UPDATE connector_accounts SET status = 'active', completion_hash = NULL, "
                   "pending_until = NULL, updated_at = :now WHERE id = :id",
                soci::use(at), soci::use(id);
            auto recorded = record_status_change(
                sql, *outbox_,
                {tenant, id, ConnectorStatus::pending, ConnectorStatus::active, "confirmed", {}, {}});
            if (!recorded) return recorded.error();
            transaction.commit();
            out.kind = ConfirmationKind::activated;
            return out;
        });
}

Result<std::vector<PendingClaim>> PendingConnections::claim_due(std::size_t limit) {
    const long long at = to_epoch_seconds(now());
    return database_->query<std::vector<PendingClaim>>(
        "claiming expired pending connections",
        [&](soci::session& sql) -> Result<std::vector<PendingClaim>> {
            const bool postgres = database_->backend() == DatabaseBackend::postgresql;
            long long until = at + options_.claim_duration.count();
            long long due = at;
            long long most = static_cast<long long>(limit == 0 ? 1 : limit);
            std::string query = std::string(claim_set) +
                                "id IN (SELECT id FROM connector_accounts WHERE status = "
                                "'pending' AND pending_until <= :now ORDER BY pending_until, id "
                                "LIMIT :limit" +
                                (postgres ? " FOR UPDATE SKIP LOCKED)" : ")") +
                                std::string(claim_returning);
            WriteTransaction transaction(sql, database_->backend());
            PendingClaim row;
            long long created = 0;
            soci::statement st = (sql.prepare << query, soci::use(until), soci::use(due),
                                  soci::use(most), soci::into(row.connector.tenant_id),
                                  soci::into(row.connector.connector_id),
                                  soci::into(row.provider), soci::into(created));
            auto claims = fetch_claims(st, row, created);
            transaction.commit();
            return claims;
        });
}

Result<PendingClaim> PendingConnections::claim(std::string_view tenant_id,
                                               std::string_view connector_id) {
    const long long at = to_epoch_seconds(now());
    return database_->query<PendingClaim>(
        "claiming a pending connection", [&](soci::session& sql) -> Result<PendingClaim> {
            long long until = at + options_.claim_duration.count();
            std::string tenant(tenant_id), id(connector_id);
            std::string query = std::string(claim_set) +
                                "tenant_id = :t AND id = :id AND status = 'pending'" +
                                std::string(claim_returning);
            WriteTransaction transaction(sql, database_->backend());
            PendingClaim row;
            long long created = 0;
            soci::statement st = (sql.prepare << query, soci::use(until), soci::use(tenant),
                                  soci::use(id), soci::into(row.connector.tenant_id),
                                  soci::into(row.connector.connector_id),
                                  soci::into(row.provider), soci::into(created));
            auto claims = fetch_claims(st, row, created);
            transaction.commit();
            if (claims.empty()) return not_pending(connector_id);
            return claims.front();
        });
}

Result<void> PendingConnections::remove(const ConnectorRef& connector) {
    return database_->with_session(
        "removing a pending connection", [&](soci::session& sql) -> Result<void> {
            std::string tenant = connector.tenant_id, id = connector.connector_id;
            sql << "DELETE FROM connector_accounts WHERE tenant_id = :t AND id = :id AND status = "
                   "'pending'",
                soci::use(tenant), soci::use(id);
            return {};
        });
}

} // namespace switchboard::store
