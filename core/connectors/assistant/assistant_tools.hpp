// AssistantTools: the seed's assistant tools (book_meeting_via_connector,
// send_email_via_connector, create_crm_contact), run for a caller through the ActionService —
// so each runs exactly like the category action it composes: contract checks, idempotency,
// audit, refresh. Served on the REST API (POST /api/v1/assistant/{tool}) and as MCP tools.
//
// Answers follow the seed: a failure of the action ("No calendar connected", a provider that
// refuses, a rate limit) is {"success": false, "error": <reason>, "code": <the API's code>},
// not an error; only arguments that do not match the tool's schema (invalid_params) and the
// host's own faults (internal) are errors.
#pragma once

#include "core/auth/principal.hpp"
#include "core/common/error.hpp"
#include "core/connectors/action_service.hpp"
#include "core/connectors/assistant/assistant_tool.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::connectors::assistant {

// The three tools, in a fixed order.
const std::vector<AssistantTool>& assistant_tools();
const AssistantTool* find_assistant_tool(std::string_view name);

struct AssistantAnswer {
    nlohmann::json answer; // valid against the tool's result schema
    bool replayed = false; // the stored answer of an earlier call with the Idempotency-Key
};

class AssistantTools {
public:
    // `actions` outlives this object.
    explicit AssistantTools(ActionService& actions) : actions_(actions) {}

    // Runs on the connector the `connector` argument names (by name), or on `connector_id`
    // when given (the MCP server resolves the argument itself), or on the tenant's only active
    // connector of the category. Errors: not_found `unknown_tool`; invalid_input
    // `invalid_params` (field: a JSON Pointer into the arguments); internal ones from the
    // action service.
    Result<AssistantAnswer> run(const auth::Principal& caller, std::string_view tool,
                                const nlohmann::json& arguments,
                                const std::optional<std::string>& idempotency_key,
                                const std::optional<std::string>& connector_id = {}) const;

private:
    ActionService& actions_;
};

} // namespace switchboard::connectors::assistant
