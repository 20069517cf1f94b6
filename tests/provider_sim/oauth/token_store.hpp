// Authorization codes, access tokens and refresh tokens of both providers, in memory.
// Every token belongs to a "family": the tokens issued from one authorization (the code,
// the refresh token and every access token refreshed from it), so that revoking one can
// revoke its grant, as Google does.
#pragma once

#include "tests/provider_sim/common/clock.hpp"
#include "tests/provider_sim/oauth/provider.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::sim {

// What a user approved for one client.
struct Grant {
    Provider provider = Provider::google;
    std::string client_id;
    std::string user;        // the account's e-mail
    std::int64_t hub_id = 0; // HubSpot's account id; 0 for Google
    std::vector<std::string> scopes;

    bool has_scope(std::string_view scope) const;
};

struct AuthorizationCode {
    Grant grant;
    std::string redirect_uri;
    std::string code_challenge;        // empty: the client sent no PKCE challenge
    std::string code_challenge_method; // "S256" or "plain"
    bool issue_refresh_token = false;  // Google: access_type=offline and first consent
    TimePoint expires_at;
};

struct IssuedTokens {
    std::string access_token;
    std::optional<std::string> refresh_token;
    std::chrono::seconds expires_in{0};
};

struct AccessToken {
    Grant grant;
    TimePoint expires_at;
    std::uint64_t family = 0;
    // A HubSpot private app's token: issued outside OAuth, never expires, never refreshed.
    bool never_expires = false;
};

struct RefreshToken {
    Grant grant;
    std::uint64_t family = 0;
};

class TokenStore {
public:
    explicit TokenStore(const Clock& clock) : clock_(clock) {}

    // [thread-safe] Every member function.
    std::string issue_code(AuthorizationCode code);

    enum class CodeState { valid, unknown, expired, reused };
    struct Redeemed {
        CodeState state = CodeState::unknown;
        AuthorizationCode code; // set when state is valid
        std::uint64_t family = 0;
    };
    // Takes a code once. A second presentation answers `reused` and revokes every token
    // issued from the first (RFC 6749 §4.1.2).
    Redeemed redeem_code(Provider provider, std::string_view code);

    // New tokens for `grant`; `family` 0 starts a new family.
    IssuedTokens issue(const Grant& grant, std::chrono::seconds lifetime, bool with_refresh,
                       std::uint64_t family = 0);

    enum class AccessState { valid, expired, unknown };
    struct AccessLookup {
        AccessState state = AccessState::unknown;
        AccessToken token;
        std::chrono::seconds remaining{0}; // negative when expired
    };
    AccessLookup find_access(Provider provider, std::string_view token) const;

    // A HubSpot private app's access token for `grant` ("pat-na1-<uuid>"): valid until deleted.
    std::string issue_private_app_token(const Grant& grant);
    // Fault control: an access token stops working (a private app's token deleted or
    // rotated). False if unknown.
    bool revoke_access(std::string_view token);
    std::optional<RefreshToken> find_refresh(Provider provider, std::string_view token) const;

    // The refresh grant: a new access token. With `rotate`, also a new refresh token, and the
    // presented one stops working. nullopt if the refresh token is (no longer) valid.
    std::optional<IssuedTokens> refresh(Provider provider, std::string_view refresh_token,
                                        std::chrono::seconds lifetime, bool rotate);

    // Google's revoke: the token and every token of its family. False if unknown.
    bool revoke_family(Provider provider, std::string_view token);
    // HubSpot's DELETE refresh-tokens/{token}: that refresh token only. False if unknown.
    bool delete_refresh(Provider provider, std::string_view token);
    // Fault control: a refresh token stops working (either provider). False if unknown.
    bool revoke_refresh(std::string_view token);
    // Fault control: every refresh token of `user` stops working.
    std::size_t revoke_refresh_of_user(std::string_view user);
    // Fault control: every access token (of one provider, or all) is expired now.
    std::size_t expire_access_tokens(std::optional<Provider> provider);

    // Whether `user` still has a working refresh token for `client_id`.
    bool has_refresh(Provider provider, std::string_view client_id, std::string_view user) const;
    // The scopes of `user`'s working grants for `client_id` (incremental authorization).
    std::vector<std::string> granted_scopes(Provider provider, std::string_view client_id,
                                            std::string_view user) const;

    // Every code, access token and refresh token issued and every PKCE verifier presented
    // since the start (or the last clear), for tests that look for them where they must not
    // be (logs, API answers).
    std::vector<std::string> issued_secrets() const;
    void note_verifier(std::string_view verifier);

    void clear();

private:
    struct StoredCode {
        AuthorizationCode code;
        std::uint64_t family = 0;
        bool used = false;
    };

    std::string new_access_token(Provider provider) const;
    std::string new_refresh_token(Provider provider) const;
    void revoke_family_locked(std::uint64_t family);

    const Clock& clock_;
    mutable std::mutex mutex_;
    std::uint64_t next_family_ = 1;
    std::map<std::string, StoredCode, std::less<>> codes_;
    std::map<std::string, AccessToken, std::less<>> access_;
    std::map<std::string, RefreshToken, std::less<>> refresh_;
    std::vector<std::string> issued_;
};

} // namespace switchboard::sim
