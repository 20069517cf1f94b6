#include "host/mcp/tool_catalog.hpp"

#include "core/connectors/assistant/assistant_contract.hpp"
#include "core/connectors/assistant/assistant_tools.hpp"
#include "host/mcp/protocol_version.hpp"
#include "host/mcp/tool_schema.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace switchboard::mcp {

using nlohmann::json;

namespace {

struct CategoryConnectors {
    std::vector<store::ConnectorSummary> active;
    std::set<std::string> actions; // implemented by at least one of their providers
    std::vector<ConnectorChoice> choices;
};

std::string describe(const store::ConnectorSummary& connector) {
    std::string text = "'" + connector.name + "' (" + connector.provider;
    if (!connector.account_identity.empty()) text += ", " + connector.account_identity;
    return text + ")";
}

std::string humanise(std::string text) {
    std::replace(text.begin(), text.end(), '_', ' ');
    return text;
}

// Where the tool runs, for the model: the one connector, or the choice it must make.
std::string runs_on(const std::string& category, const CategoryConnectors& group) {
    if (group.active.size() == 1) {
        return " Runs on the tenant's connected " + category + " account " +
               describe(group.active.front()) + ".";
    }
    std::string text = " The tenant has several " + category +
                       " accounts connected; name the one to use with `connector`: ";
    for (std::size_t i = 0; i < group.active.size(); ++i) {
        if (i > 0) text += ", ";
        text += "\"" + group.choices[i].value + "\" = " + describe(group.active[i]);
    }
    return text + ".";
}

json connector_property(const std::string& category, const CategoryConnectors& group) {
    json values = json::array();
    for (const auto& choice : group.choices) values.push_back(choice.value);
    return {{"type", "string"},
            {"enum", std::move(values)},
            {"description", "Which connected " + category + " account to use."}};
}

// Puts `connector` into an input schema: required when there is a choice to make.
void add_connector_argument(json& schema, const std::string& category,
                            const CategoryConnectors& group) {
    auto& properties = schema["properties"];
    properties.erase(std::string(connector_argument));
    if (group.active.size() < 2) return;
    properties[std::string(connector_argument)] = connector_property(category, group);
    auto& required = schema["required"];
    if (!required.is_array()) required = json::array();
    required.push_back(connector_argument);
}

json annotations(const std::string& action) {
    const bool reads = action.starts_with("get_") || action.starts_with("list_") ||
                       action.starts_with("find_") || action.starts_with("download_");
    return {{"readOnlyHint", reads},
            {"destructiveHint", action.starts_with("delete_")},
            {"openWorldHint", true}};
}

json tool_definition(const std::string& name, const std::string& title, std::string description,
                     json input, json output, const std::string& action,
                     std::string_view protocol_version) {
    json tool = {{"name", name},
                 {"description", std::move(description)},
                 {"inputSchema", std::move(input)},
                 {"annotations", annotations(action)}};
    if (has_structured_tools(protocol_version)) {
        tool["title"] = title;
        tool["outputSchema"] = std::move(output);
    }
    return tool;
}

} // namespace

Result<std::vector<McpTool>> ToolCatalog::tools_for(const auth::Principal& caller,
                                                    std::string_view protocol_version) const {
    auto listed = connectors_.list(caller);
    if (!listed) return listed.error();
    std::map<std::string, std::set<std::string>> provider_actions;
    for (const auto& provider : connectors_.providers()) {
        provider_actions[provider.provider].insert(provider.actions.begin(),
                                                   provider.actions.end());
    }
    std::map<std::string, CategoryConnectors> groups;
    for (const auto& connector : *listed) {
        if (connector.status != store::ConnectorStatus::active) continue;
        if (!contracts_.has_category(connector.category)) continue;
        auto& group = groups[connector.category];
        group.active.push_back(connector);
        const auto& actions = provider_actions[connector.provider];
        group.actions.insert(actions.begin(), actions.end());
    }
    for (auto& [category, group] : groups) {
        std::map<std::string, int> names;
        for (const auto& connector : group.active) ++names[connector.name];
        for (const auto& connector : group.active) {
            group.choices.push_back({names[connector.name] == 1 ? connector.name : connector.id,
                                     connector.id});
        }
    }

    std::vector<McpTool> tools;
    for (const auto& [category, group] : groups) {
        for (const auto& action : *contracts_.actions(category)) {
            if (!group.actions.contains(action.name)) continue;
            McpTool tool;
            tool.name = category + "_" + action.name;
            tool.category = category;
            tool.action = action.name;
            tool.connectors = group.choices;
            json input = tool_schema(contracts_, category, action.params_definition);
            add_connector_argument(input, category, group);
            tool.definition = tool_definition(
                tool.name, humanise(category) + ": " + humanise(action.name),
                action.description + runs_on(category, group), std::move(input),
                tool_schema(contracts_, category, action.result_definition), action.name,
                protocol_version);
            tools.push_back(std::move(tool));
        }
    }
    const plugin::ContractCatalog& assistant = connectors::assistant::assistant_contract();
    for (const auto& composed : connectors::assistant::assistant_tools()) {
        auto group = groups.find(composed.category);
        if (group == groups.end() || !group->second.actions.contains(composed.action)) continue;
        const plugin::ActionContract* contract =
            assistant.find_action(connectors::assistant::contract_category, composed.name);
        if (contract == nullptr) continue;
        McpTool tool;
        tool.name = composed.name;
        tool.category = composed.category;
        tool.action = composed.name;
        tool.assistant = true;
        tool.connectors = group->second.choices;
        json input = tool_schema(assistant, connectors::assistant::contract_category,
                                 contract->params_definition);
        add_connector_argument(input, composed.category, group->second);
        tool.definition = tool_definition(
            tool.name, humanise(composed.name),
            contract->description + runs_on(composed.category, group->second) +
                " A failure (nothing connected, the provider refusing) is answered with "
                "success false and the reason.",
            std::move(input),
            tool_schema(assistant, connectors::assistant::contract_category,
                        contract->result_definition),
            composed.action, protocol_version);
        tools.push_back(std::move(tool));
    }
    std::sort(tools.begin(), tools.end(),
              [](const McpTool& a, const McpTool& b) { return a.name < b.name; });
    return tools;
}

} // namespace switchboard::mcp
