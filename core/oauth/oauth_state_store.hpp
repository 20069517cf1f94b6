// OAuthStateStore: the single-use, short-lived store of OAuth `state` values.
#pragma once

#include "core/common/error.hpp"
#include "core/oauth/oauth_state.hpp"

#include <string_view>

namespace switchboard::oauth {

// Implementations: RedisOAuthStateStore (several instances share Redis) and
// SqlOAuthStateStore (the embedded default, in the token store's database). Both are
// thread-safe.
//
// Errors: kind invalid_input / code `invalid_state` for an unknown, expired or replayed
// state (deliberately indistinguishable); kind invalid_input / code `invalid_oauth_state`
// (with `field`) for a bad binding; kind unavailable / code `state_store_unavailable` when
// the backend cannot be reached within its timeouts.
class OAuthStateStore {
public:
    virtual ~OAuthStateStore() = default;

    // Stores a fresh state (256 bits from the CSPRNG) bound to `binding`, with a fresh PKCE
    // verifier, for the configured TTL.
    virtual Result<OAuthStateTicket> create(const OAuthStateBinding& binding) = 0;

    // Atomically removes `state` and returns what it was bound to. A state is consumed at
    // most once, even under concurrent calls; a failed callback does not get it back.
    virtual Result<ConsumedOAuthState> consume(std::string_view state) = 0;
};

} // namespace switchboard::oauth
