// The public keys of a JWKS published at a URL (auth.jwt.jwks_url), as Supabase, Auth0 and
// other identity providers publish them: fetched at start-up, fetched again when the copy is
// older than its maximum age, and at once when a token names a key id the copy lacks (the
// provider rotated its keys), at most once per minimum interval so that tokens with made-up
// key ids cannot turn the host into a load generator against the identity provider.
#pragma once

#include "core/auth/jwks.hpp"
#include "core/common/error.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::auth {

using PublicKeys = std::vector<PublicKey>;

struct JwksCacheOptions {
    // Fetches the JWKS document (the HTTP GET of the URL; tests inject one). Errors are
    // logged by the cache with their code and message, so they must not carry secrets.
    std::function<Result<std::string>()> fetch;
    // A copy older than this is fetched again by the next token that needs a key.
    std::chrono::seconds max_age{300};
    // Two fetches caused by unknown key ids (or by a failed fetch) are at least this far
    // apart.
    std::chrono::seconds min_refetch_interval{30};
    // The current time; tests inject one. Default: the steady clock.
    std::function<std::chrono::steady_clock::time_point()> now;
};

class JwksCache {
public:
    explicit JwksCache(JwksCacheOptions options);

    // Fetches the JWKS now. The keys are kept only when the whole document parses; on an
    // error the previous keys stay.
    Result<void> refresh();

    // [thread-safe] The keys to verify with: the copy, fetched again first when it is older
    // than max_age (by one caller; the others keep using the copy meanwhile). Empty when no
    // fetch has succeeded yet.
    std::shared_ptr<const PublicKeys> keys();

    // [thread-safe] For a token whose key id (or algorithm) no key in `seen` matches: fetches
    // again unless a fetch began less than min_refetch_interval ago, and answers the keys to
    // try again with, or nullptr when nothing newer than `seen` is available.
    std::shared_ptr<const PublicKeys> keys_after_unknown_key(
        const std::shared_ptr<const PublicKeys>& seen);

private:
    using Clock = std::chrono::steady_clock;
    // Callers hold fetch_mutex_. Fetches and keeps the keys if they parse.
    Result<void> fetch_locked();
    // Fetches unless one began less than `spacing` ago; a failure is logged.
    void fetch_if_due(std::chrono::seconds spacing);

    JwksCacheOptions options_;
    std::mutex fetch_mutex_; // one fetch at a time
    mutable std::mutex state_mutex_;
    std::shared_ptr<const PublicKeys> keys_ = std::make_shared<const PublicKeys>();
    std::optional<Clock::time_point> fetched_at_;       // last successful fetch
    std::optional<Clock::time_point> attempted_at_;     // last fetch begun
};

} // namespace switchboard::auth
