#include "core/store/idempotency_store.hpp"

#include <soci/soci.h>
#include <spdlog/spdlog.h>

namespace switchboard::store {
namespace {

constexpr long long purge_interval_seconds = 600;

Error in_progress() {
    return Error(ErrorKind::conflict, "idempotency_key_in_progress",
                 "a request with this Idempotency-Key is still running; retry later");
}

Error reused() {
    return Error(ErrorKind::conflict, "idempotency_key_reused",
                 "this Idempotency-Key was already used with a different request");
}

Result<void> check_tenant(std::string_view tenant_id) {
    if (tenant_id.empty() || tenant_id.size() > 255) {
        return Error(ErrorKind::invalid_input, "invalid_tenant", "the tenant id is empty or too long",
                     "tenant_id");
    }
    return {};
}

} // namespace

IdempotencyStore::IdempotencyStore(std::shared_ptr<Database> database,
                                   std::shared_ptr<const crypto::MultiFernet> keys,
                                   WallClock clock, IdempotencyOptions options)
    : database_(std::move(database)), keys_(std::move(keys)), clock_(std::move(clock)),
      options_(options) {}

std::chrono::system_clock::time_point IdempotencyStore::now() const {
    return clock_ ? clock_() : std::chrono::system_clock::now();
}

Result<void> IdempotencyStore::validate_key(std::string_view key) {
    if (key.empty() || key.size() > 255) {
        return Error(ErrorKind::invalid_input, "invalid_idempotency_key",
                     "the Idempotency-Key must be 1 to 255 characters", "Idempotency-Key");
    }
    for (char c : key) {
        if (c < 0x21 || c > 0x7e) {
            return Error(ErrorKind::invalid_input, "invalid_idempotency_key",
                         "the Idempotency-Key must be printable ASCII without blanks",
                         "Idempotency-Key");
        }
    }
    return {};
}

Result<IdempotencyClaim> IdempotencyStore::claim(std::string_view tenant_id, std::string_view key,
                                                 std::string_view request_hash) {
    if (auto checked = check_tenant(tenant_id); !checked) return checked.error();
    if (auto checked = validate_key(key); !checked) return checked.error();
    const long long at = to_epoch_seconds(now());
    if (at - last_purge_.load() >= purge_interval_seconds) {
        last_purge_.store(at);
        if (auto purged = purge_expired(); !purged) {
            spdlog::warn("purging expired idempotency keys failed: {}", purged.error().message);
        }
    }

    struct Found {
        std::string hash, status, result, connector_id, provider;
        long long created_at = 0, updated_at = 0;
    };
    auto attempt = [&]() -> Result<std::optional<Found>> {
        return database_->query<std::optional<Found>>(
            "claiming an idempotency key", [&](soci::session& sql) -> Result<std::optional<Found>> {
                WriteTransaction transaction(sql, database_->backend());
                std::string tenant(tenant_id), k(key), hash(request_hash);
                Found found;
                soci::indicator result_ind = soci::i_null, connector_ind = soci::i_null,
                                provider_ind = soci::i_null;
                std::string select =
                    "SELECT request_hash, status, result_encrypted, connector_id, provider, "
                    "created_at, updated_at FROM idempotency_keys WHERE tenant_id = :t AND "
                    "idempotency_key = :k";
                if (database_->backend() == DatabaseBackend::postgresql) select += " FOR UPDATE";
                sql << select, soci::into(found.hash), soci::into(found.status),
                    soci::into(found.result, result_ind), soci::into(found.connector_id, connector_ind),
                    soci::into(found.provider, provider_ind), soci::into(found.created_at),
                    soci::into(found.updated_at), soci::use(tenant), soci::use(k);
                const bool exists = sql.got_data();
                const long long expired_before = at - options_.retention.count();
                if (exists && found.created_at > expired_before) {
                    if (found.hash != hash) return reused();
                    if (found.status == "completed") {
                        transaction.commit();
                        return std::optional<Found>(found);
                    }
                    if (found.updated_at > at - options_.pending_timeout.count()) {
                        return in_progress();
                    }
                    // A claim abandoned by an instance that died: take it over.
                    sql << "UPDATE idempotency_keys SET updated_at = :now WHERE tenant_id = :t "
                           "AND idempotency_key = :k",
                        soci::use(at), soci::use(tenant), soci::use(k);
                    transaction.commit();
                    return std::optional<Found>();
                }
                if (exists) {
                    sql << "DELETE FROM idempotency_keys WHERE tenant_id = :t AND "
                           "idempotency_key = :k",
                        soci::use(tenant), soci::use(k);
                }
                sql << "INSERT INTO idempotency_keys (tenant_id, idempotency_key, request_hash, "
                       "status, created_at, updated_at) VALUES (:t, :k, :h, 'pending', :c, :u)",
                    soci::use(tenant), soci::use(k), soci::use(hash), soci::use(at),
                    soci::use(at);
                transaction.commit();
                return std::optional<Found>();
            });
    };

    auto found = attempt();
    // Two first claims at once on PostgreSQL: the loser's INSERT violates the primary key
    // once the winner commits. Read again: the winner's row answers it.
    if (!found && found.error().code == "conflict") found = attempt();
    if (!found) {
        if (found.error().code == "conflict") return in_progress();
        return found.error();
    }
    IdempotencyClaim claim;
    if (!*found) {
        claim.acquired = true;
        return claim;
    }
    auto plaintext = keys_->decrypt((*found)->result);
    if (!plaintext) {
        return Error(ErrorKind::internal, "idempotency_result_unreadable",
                     "the stored result of this Idempotency-Key cannot be decrypted with the "
                     "configured keys");
    }
    claim.completed = StoredActionResult{std::move(*plaintext), (*found)->connector_id,
                                         (*found)->provider};
    return claim;
}

Result<std::optional<CompletedRequest>>
IdempotencyStore::find_completed(std::string_view tenant_id, std::string_view key) {
    if (auto checked = check_tenant(tenant_id); !checked) return checked.error();
    if (auto checked = validate_key(key); !checked) return checked.error();
    const long long expired_before = to_epoch_seconds(now()) - options_.retention.count();
    std::optional<CompletedRequest> found;
    std::string sealed;
    auto read = database_->with_session(
        "reading an idempotent result", [&](soci::session& sql) -> Result<void> {
            std::string tenant(tenant_id), k(key);
            CompletedRequest row;
            soci::indicator result_ind = soci::i_null, connector_ind = soci::i_null,
                            provider_ind = soci::i_null;
            long long created_before = expired_before;
            sql << "SELECT request_hash, result_encrypted, connector_id, provider FROM "
                   "idempotency_keys WHERE tenant_id = :t AND idempotency_key = :k AND "
                   "status = 'completed' AND created_at > :c",
                soci::into(row.request_hash), soci::into(sealed, result_ind),
                soci::into(row.result.connector_id, connector_ind),
                soci::into(row.result.provider, provider_ind), soci::use(tenant), soci::use(k),
                soci::use(created_before);
            if (sql.got_data() && result_ind == soci::i_ok) found = std::move(row);
            return {};
        });
    if (!read) return read.error();
    if (!found) return found;
    auto plaintext = keys_->decrypt(sealed);
    if (!plaintext) {
        return Error(ErrorKind::internal, "idempotency_result_unreadable",
                     "the stored result of this Idempotency-Key cannot be decrypted with the "
                     "configured keys");
    }
    found->result.result_json = std::move(*plaintext);
    return found;
}

Result<void> IdempotencyStore::complete(std::string_view tenant_id, std::string_view key,
                                        const StoredActionResult& result) {
    auto sealed = keys_->encrypt(result.result_json);
    if (!sealed) return sealed.error();
    const long long at = to_epoch_seconds(now());
    return database_->with_session(
        "storing an idempotent result", [&](soci::session& sql) -> Result<void> {
            std::string tenant(tenant_id), k(key);
            soci::statement st =
                (sql.prepare << "UPDATE idempotency_keys SET status = 'completed', "
                                "result_encrypted = :r, connector_id = :c, provider = :p, "
                                "updated_at = :u WHERE tenant_id = :t AND idempotency_key = :k "
                                "AND status = 'pending'",
                 soci::use(*sealed), soci::use(result.connector_id), soci::use(result.provider),
                 soci::use(at), soci::use(tenant), soci::use(k));
            st.execute(true);
            if (st.get_affected_rows() != 1) {
                return Error(ErrorKind::conflict, "idempotency_key_lost",
                             "the claim on this Idempotency-Key was lost before its result was "
                             "stored");
            }
            return {};
        });
}

Result<void> IdempotencyStore::abandon(std::string_view tenant_id, std::string_view key) {
    return database_->with_session(
        "releasing an idempotency key", [&](soci::session& sql) -> Result<void> {
            std::string tenant(tenant_id), k(key);
            sql << "DELETE FROM idempotency_keys WHERE tenant_id = :t AND idempotency_key = :k "
                   "AND status = 'pending'",
                soci::use(tenant), soci::use(k);
            return {};
        });
}

Result<std::size_t> IdempotencyStore::purge_expired() {
    const long long before = to_epoch_seconds(now()) - options_.retention.count();
    return database_->query<std::size_t>(
        "purging expired idempotency keys", [&](soci::session& sql) -> Result<std::size_t> {
            long long cutoff = before;
            soci::statement st =
                (sql.prepare << "DELETE FROM idempotency_keys WHERE created_at <= :c",
                 soci::use(cutoff));
            st.execute(true);
            return static_cast<std::size_t>(st.get_affected_rows());
        });
}

} // namespace switchboard::store
