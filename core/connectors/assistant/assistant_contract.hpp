// The contract of the seed's assistant tools (assistant.schema.json, beside this file): their
// arguments and answers as JSON Schemas, in the layout of a category contract so that the
// same ContractCatalog validates them and the OpenAPI document and the MCP tool list are
// built from them the same way.
//
// Why here and not in sdk/schemas: that folder is what plugin authors build against, and
// every file in it is a category some plugin implements; no plugin implements these tools,
// the host composes them from the category actions.
#pragma once

#include "core/plugin/contract_catalog.hpp"

#include <string_view>

namespace switchboard::connectors::assistant {

// The pseudo-category of the document ("x-category": "assistant").
inline constexpr std::string_view contract_category = "assistant";

// The schema document as built into the host.
std::string_view assistant_schema_text() noexcept;

// Built on first use; aborts with a message if the embedded document does not compile (a
// build defect, which tests/connectors/assistant_tools_test.cpp catches first).
const plugin::ContractCatalog& assistant_contract();

} // namespace switchboard::connectors::assistant
