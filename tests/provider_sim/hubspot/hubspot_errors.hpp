// Error responses as HubSpot sends them (providers/hubspot_oauth_and_crm.md "Errors"):
//  - CRM v3: {"status":"error","message","correlationId","category",...}, with the
//    correlation id also in X-HubSpot-Correlation-Id;
//  - 429: {"status":"error","message","errorType":"RATE_LIMIT","correlationId","policyName",
//    "requestId"} (RateLimitError);
//  - OAuth v1: {"status":"BAD_AUTH_CODE","message","correlationId"} (OAuthV1Error).
#pragma once

#include "tests/provider_sim/server/request.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace switchboard::sim {

// A random UUID (version 4), HubSpot's correlation id format.
std::string new_correlation_id();

// `extra` members (errors, context, links, subCategory) are merged into the body.
Response hubspot_error(unsigned status, std::string message, std::string category,
                       nlohmann::json extra = nlohmann::json::object());

// 429 for the named policy ("TEN_SECONDLY_ROLLING", "SECONDLY", "DAILY").
Response hubspot_rate_limited(const std::string& policy_name);

Response hubspot_oauth_error(unsigned status, std::string code, std::string message);

} // namespace switchboard::sim
