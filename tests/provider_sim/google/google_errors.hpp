// Error responses as Google sends them.
//  - REST APIs (Calendar, Gmail, Drive): {"error":{"code","message","errors":[{"message",
//    "domain","reason","location","locationType"}],"status"}}; providers/google_oauth.md §6.
//  - OAuth token and revoke endpoints: RFC 6749 §5.2 {"error","error_description"}; §2.
#pragma once

#include "tests/provider_sim/server/request.hpp"

#include <string>
#include <utility>
#include <vector>

namespace switchboard::sim {

struct GoogleErrorItem {
    GoogleErrorItem() = default;
    GoogleErrorItem(std::string message_, std::string reason_, std::string domain_ = "global",
                    std::string location_ = {}, std::string location_type_ = {})
        : message(std::move(message_)), reason(std::move(reason_)), domain(std::move(domain_)),
          location(std::move(location_)), location_type(std::move(location_type_)) {}

    std::string message;
    std::string reason;            // "required", "invalid", "notFound", "authError", ...
    std::string domain = "global"; // "global", "calendar", "usageLimits"
    std::string location;          // "timeMin", "Authorization"
    std::string location_type;     // "parameter", "header"
};

// The canonical status string for an HTTP code ("INVALID_ARGUMENT" for 400, ...).
std::string google_status(unsigned code);

// One error response; with no items, one is made from `message` and a reason fitting `code`.
Response google_error(unsigned code, std::string message, std::vector<GoogleErrorItem> items = {});

// 401 for a missing or bad access token, with WWW-Authenticate.
Response google_unauthenticated(bool token_missing);
// 403 for a token without any of the method's scopes.
Response google_insufficient_scope(const std::vector<std::string>& accepted_scopes);
// 501 for a method of the description the simulator does not implement.
Response google_unimplemented(const std::string& method_id);

// RFC 6749 §5.2 body with Cache-Control: no-store.
Response oauth_error(unsigned status, std::string error, std::string description);

} // namespace switchboard::sim
