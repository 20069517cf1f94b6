// The tools an MCP client of a tenant sees, worked out per request from what the tenant has
// connected now: one tool per category action that an active connector's provider implements
// (named <category>_<action>, e.g. calendar_create_event: the characters every mainstream
// client accepts), and the seed's assistant tools whose category is connected. Schemas come
// from the category contracts and assistant.schema.json. When several connectors of a
// category are active, the tool takes a required `connector` argument naming one of them.
#pragma once

#include "core/auth/principal.hpp"
#include "core/common/error.hpp"
#include "core/connectors/connector_service.hpp"
#include "core/plugin/contract_catalog.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::mcp {

inline constexpr std::string_view connector_argument = "connector";

// One connector a tool may run on, and the value of `connector` that names it: its name, or
// its id when another active connector of the category has the same name.
struct ConnectorChoice {
    std::string value;
    std::string connector_id;
};

struct McpTool {
    std::string name;
    std::string category;
    std::string action;      // the category action, or the assistant tool's name
    bool assistant = false;  // one of the seed's tools (AssistantTools runs it)
    std::vector<ConnectorChoice> connectors;
    nlohmann::json definition; // the Tool object of tools/list
};

class ToolCatalog {
public:
    // Both outlive this object.
    ToolCatalog(connectors::ConnectorService& connectors, const plugin::ContractCatalog& contracts)
        : connectors_(connectors), contracts_(contracts) {}

    // The caller's tools, shaped for `protocol_version`, sorted by name.
    Result<std::vector<McpTool>> tools_for(const auth::Principal& caller,
                                           std::string_view protocol_version) const;

private:
    connectors::ConnectorService& connectors_;
    const plugin::ContractCatalog& contracts_;
};

} // namespace switchboard::mcp
