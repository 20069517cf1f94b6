// The consent step both providers share: a checked authorization request waits here until
// a person (or auto-approve) approves it as some account, or denies it. The page is a plain
// HTML form: an e-mail field, "Allow" and "Deny".
#pragma once

#include "tests/provider_sim/common/clock.hpp"
#include "tests/provider_sim/oauth/token_store.hpp"

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace switchboard::sim {

// An authorization request that passed its provider's checks.
struct PendingAuthorization {
    AuthorizationCode code; // grant.user is filled in on approval
    std::string state;      // echoed on the redirect; empty: none was sent
    bool has_state = false;
    std::string suggested_user; // login_hint, or the default account
    std::string prompt;         // Google's prompt parameter
    bool include_granted_scopes = false;
};

class ConsentRequests {
public:
    explicit ConsentRequests(const Clock& clock) : clock_(clock) {}

    // [thread-safe] Keeps the request for 10 minutes; returns its id for the form.
    std::string add(PendingAuthorization pending);
    // [thread-safe] Takes it back once (a form posted twice finds nothing).
    std::optional<PendingAuthorization> take(const std::string& id);
    void clear();

private:
    const Clock& clock_;
    std::mutex mutex_;
    std::map<std::string, std::pair<PendingAuthorization, TimePoint>> pending_;
};

// The consent page for `pending`, posting to `action` (a path on the simulator).
std::string render_consent_page(const std::string& provider_name, const std::string& id,
                                const PendingAuthorization& pending, const std::string& action);

// The page a provider shows instead of redirecting (unknown client, bad redirect URI, ...).
std::string render_error_page(const std::string& provider_name, const std::string& title,
                              const std::string& detail);

} // namespace switchboard::sim
