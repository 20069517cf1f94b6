// A failed HubSpot answer as the SDK's error outcome. HubSpot's CRM v3 error body is
//   {"status": "error", "message": "...", "correlationId": "<uuid>", "category": "...",
//    "subCategory": ..., "errors": [{"message", "in", "code", ...}], "context": {...}}
// (every field optional when parsing, per HubSpot's error FAQ); 429 bodies carry
// "errorType": "RATE_LIMIT" and/or "category": "RATE_LIMITS" with a "policyName".
//
//   answer                                        status                  code
//   host could not get an answer                  (the SDK's mapping: credentials_unavailable,
//                                                  provider_unreachable, internal)
//   409 "Contact already exists. Existing ID: N"  SB_STATUS_CONFLICT      contact_exists
//                                                 (details.existing_id, field /email)
//   other 409                                     SB_STATUS_CONFLICT      conflict
//   (SB_STATUS_CONFLICT is ABI 1.1; a 1.0 host receives SB_STATUS_INVALID_INPUT)
//   400 (VALIDATION_ERROR and the rest), 4xx      SB_STATUS_INVALID_INPUT provider_rejected_request
//   404, 410, category OBJECT_NOT_FOUND           SB_STATUS_NOT_FOUND     not_found
//   401                                           SB_STATUS_AUTH          unauthorized
//   403 category MISSING_SCOPES                   SB_STATUS_AUTH          missing_scopes
//                                                 (details.required_scopes when given)
//   other 403                                     SB_STATUS_AUTH          forbidden
//   429 (or category RATE_LIMITS)                 SB_STATUS_RATE_LIMITED  rate_limited
//                                                 (details.retry_after_seconds, policy_name)
//   5xx                                           SB_STATUS_UNAVAILABLE   provider_unavailable
//   anything else                                 SB_STATUS_UNAVAILABLE   unexpected_provider_status
//
// Messages carry HubSpot's own words ("HubSpot: <message> (HTTP 400)"), which tell the user
// what HubSpot disliked; credentials travel in headers and never appear there. details
// always carries HubSpot's correlation_id and category when the body has them.
#pragma once

#include "switchboard/host.hpp"
#include "switchboard/outcome.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins::hubspot {

// What a HubSpot error body says; empty fields when the body is not one.
struct HubSpotError {
    std::string message;
    std::string category;       // e.g. VALIDATION_ERROR, OBJECT_NOT_FOUND, MISSING_SCOPES
    std::string sub_category;
    std::string correlation_id;
    std::string error_type;     // 429: RATE_LIMIT
    std::string policy_name;    // 429: DAILY, SECONDLY, TEN_SECONDLY_ROLLING
    std::vector<std::string> required_scopes; // 403 MISSING_SCOPES (see parse_hubspot_error)
};

HubSpotError parse_hubspot_error(std::string_view body);

// The id in HubSpot's duplicate-contact message "Contact already exists. Existing ID: 123".
std::optional<std::string> existing_contact_id(std::string_view message);

// The outcome for a response that is not a success (!response.ok()). `now_unix_ms` is the
// host's clock, for a Retry-After given as an HTTP-date.
sdk::Outcome hubspot_error_outcome(const sdk::HttpResponse& response, std::int64_t now_unix_ms);

// The outcome for a 2xx answer whose body the plugin cannot read as what the operation
// returns: HubSpot misbehaved, so retrying may help.
sdk::Outcome unreadable_answer(std::string_view operation);

} // namespace switchboard::plugins::hubspot
