#include "contract_compat.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>

namespace switchboard::sdk_tests {
namespace {

using nlohmann::json;

// Keywords for people and tools, not for validation: they may change freely.
constexpr std::array<std::string_view, 6> kAnnotations = {
    "title", "description", "$comment", "examples", "$id", "$schema"};

// Keywords whose value is one schema, or a list of schemas compared item by item.
constexpr std::array<std::string_view, 9> kSchemaKeywords = {
    "items", "additionalItems", "additionalProperties", "not", "contains",
    "propertyNames", "if", "then", "else"};
constexpr std::array<std::string_view, 3> kSchemaListKeywords = {"allOf", "anyOf", "oneOf"};

template <std::size_t N>
bool among(const std::array<std::string_view, N>& names, std::string_view key) {
    return std::find(names.begin(), names.end(), key) != names.end();
}

std::string token(const std::string& key) {
    std::string out;
    for (const char c : key) {
        if (c == '~') out += "~0";
        else if (c == '/') out += "~1";
        else out += c;
    }
    return out;
}

// `value` without annotations, at every depth of a schema.
json stripped(const json& value) {
    if (value.is_array()) {
        json out = json::array();
        for (const auto& item : value) out.push_back(stripped(item));
        return out;
    }
    if (!value.is_object()) return value;
    json out = json::object();
    for (const auto& [key, item] : value.items()) {
        if (!among(kAnnotations, key)) out[key] = stripped(item);
    }
    return out;
}

std::set<std::string> string_set(const json& list) {
    std::set<std::string> out;
    if (list.is_array()) {
        for (const auto& item : list) {
            if (item.is_string()) out.insert(item.get<std::string>());
        }
    }
    return out;
}

class Comparison {
public:
    std::vector<std::string> problems;

    void schema(const json& before, const json& after, const std::string& at) {
        if (!before.is_object() || !after.is_object()) {
            if (stripped(before) != stripped(after)) problems.push_back(at + ": changed");
            return;
        }
        std::set<std::string> keys;
        for (const auto& [key, unused] : before.items()) keys.insert(key);
        for (const auto& [key, unused] : after.items()) keys.insert(key);
        for (const auto& key : keys) {
            if (among(kAnnotations, key)) continue;
            const std::string where = at + "/" + token(key);
            if (!before.contains(key)) {
                problems.push_back(where + ": added");
                continue;
            }
            if (!after.contains(key)) {
                problems.push_back(where + ": removed");
                continue;
            }
            const json& b = before[key];
            const json& a = after[key];
            if (key == "properties" && b.is_object() && a.is_object()) {
                properties(b, a, string_set(after.value("required", json::array())), where);
            } else if (key == "required") {
                if (string_set(b) != string_set(a)) problems.push_back(where + ": changed");
            } else if (among(kSchemaKeywords, key) && b.is_object() && a.is_object()) {
                schema(b, a, where);
            } else if (among(kSchemaListKeywords, key) && b.is_array() && a.is_array() &&
                       b.size() == a.size()) {
                for (std::size_t i = 0; i < b.size(); ++i) {
                    schema(b[i], a[i], where + "/" + std::to_string(i));
                }
            } else if (stripped(b) != stripped(a)) {
                problems.push_back(where + ": changed");
            }
        }
    }

private:
    void properties(const json& before, const json& after, const std::set<std::string>& required,
                    const std::string& at) {
        for (const auto& [name, property] : before.items()) {
            const std::string where = at + "/" + token(name);
            if (!after.contains(name)) {
                problems.push_back(where + ": removed");
            } else {
                schema(property, after[name], where);
            }
        }
        for (const auto& [name, unused] : after.items()) {
            if (!before.contains(name) && required.count(name) != 0) {
                problems.push_back(at + "/" + token(name) + ": added as a required member");
            }
        }
    }
};

} // namespace

std::vector<std::string> revision_breaks(const json& released, const json& current) {
    Comparison c;
    for (const char* key : {"x-category", "x-revision"}) {
        if (released.value(key, json()) != current.value(key, json())) {
            c.problems.push_back(std::string("/") + key + ": changed");
        }
    }
    const json no_actions = json::object();
    const json& before = released.contains("x-actions") ? released["x-actions"] : no_actions;
    const json& after = current.contains("x-actions") ? current["x-actions"] : no_actions;
    for (const auto& [name, action] : before.items()) {
        const std::string at = "/x-actions/" + token(name);
        if (!after.contains(name)) {
            c.problems.push_back(at + ": removed");
            continue;
        }
        c.schema(action, after[name], at);
    }
    for (const auto& [name, unused] : after.items()) {
        if (!before.contains(name)) c.problems.push_back("/x-actions/" + token(name) + ": added");
    }
    const json no_definitions = json::object();
    const json& old_defs = released.contains("definitions") ? released["definitions"] : no_definitions;
    const json& new_defs = current.contains("definitions") ? current["definitions"] : no_definitions;
    for (const auto& [name, definition] : old_defs.items()) {
        const std::string at = "/definitions/" + token(name);
        if (!new_defs.contains(name)) {
            c.problems.push_back(at + ": removed");
            continue;
        }
        c.schema(definition, new_defs[name], at);
    }
    // New definitions are allowed: only an added member can reach them, and that member is
    // checked where it is added.
    return c.problems;
}

} // namespace switchboard::sdk_tests
