// ActionService: the assistant's tools, POST /api/v1/actions/{category}.{action}: run an
// action on the tenant's active connector of that category (or the one named), at most once
// per Idempotency-Key, and record it in the audit log.
#pragma once

#include "core/auth/principal.hpp"
#include "core/common/error.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace switchboard::connectors {

struct ActionRequest {
    std::string category;                        // e.g. "calendar"
    std::string action;                          // e.g. "create_event"
    std::optional<std::string> connector_id;     // a specific connector of the tenant
    std::optional<std::string> connector_name;   // or one by name
    std::string params_json;
    std::optional<std::string> idempotency_key;  // same key within 24 h: the first result
};

struct ActionResult {
    nlohmann::json result;
    std::string connector_id;
    std::string provider;
    bool replayed = false; // true when an earlier result for the idempotency key was returned
};

class ActionService {
public:
    virtual ~ActionService() = default;

    // Errors: not_found `no_active_connector` when the tenant has no active connector of the
    // category (or none with that id/name), conflict `ambiguous_connector` when several match
    // and none was named, conflict `idempotency_key_reused` when the key was used with other
    // params, plus everything ConnectorService::invoke returns.
    virtual Result<ActionResult> run(const auth::Principal& caller, const ActionRequest& request) = 0;
};

} // namespace switchboard::connectors
