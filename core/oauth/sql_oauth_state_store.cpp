#include "core/oauth/sql_oauth_state_store.hpp"

#include <soci/soci.h>

namespace switchboard::oauth {
namespace {

constexpr long long purge_interval_seconds = 60;

Error map_database_error(const Error& error) {
    if (error.kind == ErrorKind::unavailable) {
        return detail::state_store_unavailable("the OAuth state store is unavailable: " +
                                               error.message);
    }
    return error;
}

} // namespace

SqlOAuthStateStore::SqlOAuthStateStore(std::shared_ptr<store::Database> database,
                                       OAuthStateStoreOptions options)
    : database_(std::move(database)), options_(std::move(options)) {}

Result<OAuthStateTicket> SqlOAuthStateStore::create(const OAuthStateBinding& binding) {
    auto ticket = detail::make_ticket(binding, options_);
    if (!ticket) return ticket.error();
    auto key = detail::state_key(ticket->state);
    if (!key) return key.error();
    const auto now = detail::now(options_);
    long long created_at = store::to_epoch_seconds(now);
    long long expires_at = store::to_epoch_seconds(ticket->expires_at);

    auto stored =
        database_->with_session("storing an OAuth state", [&](soci::session& sql) -> Result<void> {
            OAuthStateBinding b = binding;
            sql << "INSERT INTO oauth_states (state_hash, tenant_id, user_id, provider, category, "
                   "connector_name, redirect_uri, code_verifier, created_at, expires_at) VALUES "
                   "(:h, :t, :u, :p, :c, :n, :r, :v, :ca, :ea)",
                soci::use(*key), soci::use(b.tenant_id), soci::use(b.user_id),
                soci::use(b.provider), soci::use(b.category), soci::use(b.connector_name),
                soci::use(b.redirect_uri), soci::use(ticket->code_verifier), soci::use(created_at),
                soci::use(expires_at);
            return {};
        });
    if (!stored) return map_database_error(stored.error());

    // Housekeeping, at most once a minute per store; a failure here is not the caller's.
    long long last = last_purge_.load();
    if (created_at - last >= purge_interval_seconds &&
        last_purge_.compare_exchange_strong(last, created_at)) {
        (void)purge_expired();
    }
    return std::move(*ticket);
}

Result<ConsumedOAuthState> SqlOAuthStateStore::consume(std::string_view state) {
    if (!detail::is_well_formed_state(state)) return detail::invalid_state();
    auto key = detail::state_key(state);
    if (!key) return key.error();
    auto consumed = database_->query<ConsumedOAuthState>(
        "consuming an OAuth state", [&](soci::session& sql) -> Result<ConsumedOAuthState> {
            ConsumedOAuthState out;
            long long created_at = 0, expires_at = 0;
            // One statement: the row is gone for everyone else the moment we read it.
            soci::statement st =
                (sql.prepare
                     << "DELETE FROM oauth_states WHERE state_hash = :h RETURNING tenant_id, "
                        "user_id, provider, category, connector_name, redirect_uri, code_verifier, "
                        "created_at, expires_at",
                 soci::use(*key), soci::into(out.binding.tenant_id),
                 soci::into(out.binding.user_id), soci::into(out.binding.provider),
                 soci::into(out.binding.category), soci::into(out.binding.connector_name),
                 soci::into(out.binding.redirect_uri), soci::into(out.code_verifier),
                 soci::into(created_at), soci::into(expires_at));
            st.execute();
            const bool found = st.fetch();
            while (st.fetch()) {
            } // drain: SQLite finishes the statement only after its last row
            if (!found) return detail::invalid_state();
            out.created_at = store::from_epoch_seconds(created_at);
            out.expires_at = store::from_epoch_seconds(expires_at);
            return out;
        });
    if (!consumed) return map_database_error(consumed.error());
    if (consumed->expires_at <= detail::now(options_)) return detail::invalid_state();
    return consumed;
}

Result<std::size_t> SqlOAuthStateStore::purge_expired() {
    long long now = store::to_epoch_seconds(detail::now(options_));
    auto purged = database_->query<std::size_t>(
        "purging expired OAuth states", [&](soci::session& sql) -> Result<std::size_t> {
            soci::statement st =
                (sql.prepare << "DELETE FROM oauth_states WHERE expires_at <= :now",
                 soci::use(now));
            st.execute(true);
            return static_cast<std::size_t>(st.get_affected_rows());
        });
    if (!purged) return map_database_error(purged.error());
    return purged;
}

} // namespace switchboard::oauth
