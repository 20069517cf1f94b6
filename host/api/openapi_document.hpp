// The OpenAPI 3.1 document of the whole API, generated at start-up from the route table
// (each ApiRoute carries its Operation Objects) and the category contracts embedded in the
// host (sdk/schemas, see core/plugin/embedded_schemas.hpp): every `definitions` entry of
// <category>.schema.json becomes components.schemas.<Category><Name> (common.schema.json's
// become Common<Name>), with its local $refs rewritten to point there. The contracts are
// draft-07; the keywords they use mean the same in JSON Schema 2020-12, the dialect of
// OpenAPI 3.1, so only `$schema`/`$id` are dropped and the $refs rewritten.
#pragma once

#include "host/api/api_route.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::api {

struct OpenApiInfo {
    std::string title = "Switchboard API";
    std::string version;    // the host's version
    std::string server_url; // public_urls.api_base_url; empty: no `servers` entry
};

// The document. Error responses are added to each operation from its route's
// error_statuses as $refs to components.responses (one per status, all with the ApiError
// shape).
nlohmann::json build_openapi_document(const std::vector<ApiRoute>& routes, const OpenApiInfo& info);

// components.schemas for the category contracts (see above) and the assistant tools'
// schema (core/connectors/assistant/assistant.schema.json: Assistant<Name>).
nlohmann::json contract_component_schemas();

// The component name of a contract definition: ("calendar", "Event") -> "CalendarEvent".
std::string contract_schema_name(std::string_view category, std::string_view definition);

// Helpers for writing Operation Objects.
nlohmann::json schema_ref(std::string_view component);  // {"$ref": "#/components/schemas/<c>"}
nlohmann::json json_content(nlohmann::json schema);     // {"application/json": {"schema": ...}}
nlohmann::json path_parameter(std::string_view name, std::string_view description,
                              nlohmann::json schema = {{"type", "string"}});
inline constexpr std::string_view bearer_scheme = "bearerAuth";
// An operation's `security`: the bearer scheme (an API key or a JWT).
nlohmann::json bearer_security();

} // namespace switchboard::api
