// One request/answer with HubSpot through the host: the answer's JSON on a 2xx, otherwise the
// mapped error outcome (hubspot_error.hpp). The host has already added the bearer token,
// refreshed it on 401 and retried 429/5xx with backoff; what arrives here is final.
#pragma once

#include "switchboard/outcome.hpp"

#include "switchboard/host.hpp"

#include <nlohmann/json.hpp>

#include <string_view>

namespace switchboard::plugins::hubspot {

// `operation` names the HubSpot operation (e.g. "contacts_create") in log lines and errors.
// A 2xx whose body is not a JSON object is an unreadable answer (SB_STATUS_UNAVAILABLE).
sdk::Checked<nlohmann::json> exchange(const sdk::Call& call, const sdk::HttpRequest& request,
                                 std::string_view operation);

} // namespace switchboard::plugins::hubspot
