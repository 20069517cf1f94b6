// A contract definition as a tool's own JSON Schema: MCP wants each tool's inputSchema and
// outputSchema self-contained, so the definition is copied with every definition it reaches
// through "#/definitions/..." (draft-07, as the contracts are written; the spec lets a schema
// name its dialect with $schema).
#pragma once

#include "core/plugin/contract_catalog.hpp"

#include <nlohmann/json.hpp>

#include <string_view>

namespace switchboard::mcp {

// `definition` of `category` in `catalog`, with "$schema" and the "definitions" it needs.
// The definition must exist (the catalog's own action contracts name only existing ones).
nlohmann::json tool_schema(const plugin::ContractCatalog& catalog, std::string_view category,
                           std::string_view definition);

} // namespace switchboard::mcp
