#include "host/mcp/tool_schema.hpp"

#include <set>
#include <string>
#include <vector>

namespace switchboard::mcp {

using nlohmann::json;

namespace {

constexpr std::string_view kPrefix = "#/definitions/";

// Every definition name `schema` references, at any depth.
void collect_references(const json& schema, std::vector<std::string>& out) {
    if (schema.is_object()) {
        for (const auto& [key, value] : schema.items()) {
            if (key == "$ref" && value.is_string()) {
                const auto& ref = value.get_ref<const std::string&>();
                if (ref.starts_with(kPrefix)) out.push_back(ref.substr(kPrefix.size()));
            } else {
                collect_references(value, out);
            }
        }
    } else if (schema.is_array()) {
        for (const auto& item : schema) collect_references(item, out);
    }
}

} // namespace

json tool_schema(const plugin::ContractCatalog& catalog, std::string_view category,
                 std::string_view definition) {
    const json* root = catalog.definition(category, definition);
    json schema = root != nullptr ? *root : json{{"type", "object"}};
    json definitions = json::object();
    std::vector<std::string> pending;
    collect_references(schema, pending);
    std::set<std::string> seen;
    while (!pending.empty()) {
        std::string name = std::move(pending.back());
        pending.pop_back();
        if (!seen.insert(name).second) continue;
        if (const json* found = catalog.definition(category, name)) {
            definitions[name] = *found;
            collect_references(*found, pending);
        }
    }
    json out = {{"$schema", "http://json-schema.org/draft-07/schema#"}};
    out.update(schema);
    if (!definitions.empty()) out["definitions"] = std::move(definitions);
    return out;
}

} // namespace switchboard::mcp
