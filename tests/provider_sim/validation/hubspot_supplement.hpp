// HubSpot endpoints the shared description (tests/specs/providers/hubspot_crm_v3.schema.json)
// does not cover, described here in the same form and merged into it when the catalog loads:
// companies (create, list), the deal pipelines and the account details. Each operation cites
// the page of HubSpot's developer documentation it follows; the shapes keep what those pages
// publish (required fields, types, enumerations) and nothing the simulator would invent.
#pragma once

#include <nlohmann/json.hpp>

namespace switchboard::sim {

// {"definitions": {...}, "operations": {...}} in the description's own layout.
const nlohmann::json& hubspot_supplement();

} // namespace switchboard::sim
