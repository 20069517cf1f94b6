// The embedded OAuth state store: a table in the SQL database of the token store.
#pragma once

#include "core/oauth/oauth_state_store.hpp"
#include "core/store/database.hpp"

#include <atomic>
#include <memory>

namespace switchboard::oauth {

// For the single-process default (and it works on PostgreSQL too). consume() is one
// `DELETE ... RETURNING` statement, so exactly one caller gets a state. Expired rows are
// purged now and then by create(). Database failures become `state_store_unavailable`.
class SqlOAuthStateStore final : public OAuthStateStore {
public:
    explicit SqlOAuthStateStore(std::shared_ptr<store::Database> database,
                                OAuthStateStoreOptions options = {});

    Result<OAuthStateTicket> create(const OAuthStateBinding& binding) override;
    Result<ConsumedOAuthState> consume(std::string_view state) override;

    // Deletes expired states; returns how many.
    Result<std::size_t> purge_expired();

private:
    std::shared_ptr<store::Database> database_;
    OAuthStateStoreOptions options_;
    std::atomic<long long> last_purge_{0};
};

} // namespace switchboard::oauth
