// What an OAuth authorization request leaves behind until its callback: the `state`
// parameter, bound to who started the flow, and the PKCE verifier.
#pragma once

#include "core/common/error.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace switchboard::oauth {

// Who started the flow and where it returns. All fields are required.
struct OAuthStateBinding {
    std::string tenant_id;
    std::string user_id;
    std::string provider;       // e.g. google_calendar
    std::string category;       // e.g. calendar
    std::string connector_name; // the name the user gave the connector
    std::string redirect_uri;   // must match at the token exchange

    friend bool operator==(const OAuthStateBinding&, const OAuthStateBinding&) = default;
};

// What create() returns: `state` and `code_challenge` go into the authorization URL;
// `code_verifier` is stored and comes back from consume(). Both state and verifier are
// secrets: never log them.
struct OAuthStateTicket {
    std::string state;
    std::string code_verifier;
    std::string code_challenge; // S256
    std::chrono::system_clock::time_point expires_at;
};

// What consume() returns for a valid state.
struct ConsumedOAuthState {
    OAuthStateBinding binding;
    std::string code_verifier;
    std::chrono::system_clock::time_point created_at;
    std::chrono::system_clock::time_point expires_at;
};

struct OAuthStateStoreOptions {
    // How long a state stays valid (the user's time at the provider's consent screen).
    std::chrono::seconds ttl{300};
    // The time source (tests inject one); the system clock when empty.
    std::function<std::chrono::system_clock::time_point()> clock;
};

namespace detail {

// 32 bytes from the CSPRNG: 256 bits, 43 base64url characters.
inline constexpr std::size_t state_entropy_bytes = 32;
inline constexpr std::size_t state_length = 43;

// A new state and PKCE pair for `binding`, after checking the binding.
Result<OAuthStateTicket> make_ticket(const OAuthStateBinding& binding,
                                     const OAuthStateStoreOptions& options);
Result<void> validate_binding(const OAuthStateBinding& binding);
// True when `state` has the shape make_ticket() produces (no store lookup needed otherwise).
bool is_well_formed_state(std::string_view state);
// The storage key of a state: SHA-256 hex, so a dump of the store holds no usable state.
Result<std::string> state_key(std::string_view state);
std::chrono::system_clock::time_point now(const OAuthStateStoreOptions& options);

// The single answer for an unknown, expired or already used state: callers must not be
// able to tell these apart.
Error invalid_state();
Error state_store_unavailable(std::string message);

} // namespace detail
} // namespace switchboard::oauth
