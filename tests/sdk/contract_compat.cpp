#include "contract_compat.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <string_view>
#include <utility>

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

// The member names of two objects, each once, in order.
std::set<std::string> keys_of_both(const json& before, const json& after) {
    std::set<std::string> keys;
    for (const auto& [key, unused] : before.items()) keys.insert(key);
    for (const auto& [key, unused] : after.items()) keys.insert(key);
    return keys;
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

// The schema a local reference ("#/definitions/<name>") names in `document`, or nullptr.
const json* referenced(const json& document, const json& schema) {
    if (!schema.is_object() || !schema.contains("$ref") || !schema["$ref"].is_string()) {
        return nullptr;
    }
    constexpr std::string_view prefix = "#/definitions/";
    const std::string& ref = schema["$ref"].get_ref<const std::string&>();
    if (ref.rfind(prefix, 0) != 0) return nullptr;
    const auto definitions = document.find("definitions");
    if (definitions == document.end() || !definitions->is_object()) return nullptr;
    const auto it = definitions->find(ref.substr(prefix.size()));
    return it == definitions->end() ? nullptr : &*it;
}

class Comparison {
public:
    Comparison(const json& released, const json& current)
        : released_(released), current_(current) {}

    std::vector<std::string> problems;

    // Compares two schemas by what they accept: a `$ref` is followed (in draft 7 it replaces
    // its siblings), so moving a shape to a new definition, e.g. an action's params from a
    // shared `FileIdParams` to its own `DownloadFileParams`, is judged by what changed in it.
    void schema(const json& before, const json& after, const std::string& at) {
        const json* before_target = referenced(released_, before);
        const json* after_target = referenced(current_, after);
        if (before_target != nullptr || after_target != nullptr) {
            const std::pair<const json*, const json*> pair{before_target ? before_target : &before,
                                                           after_target ? after_target : &after};
            // Each pair is compared once: a shared definition's problems are named where it is
            // defined, and a recursive shape does not recurse forever.
            if (compared_.count(pair) != 0 || !following_.insert(pair).second) return;
            schema(*pair.first, *pair.second, at);
            following_.erase(pair);
            compared_.insert(pair);
            return;
        }
        if (!before.is_object() || !after.is_object()) {
            if (stripped(before) != stripped(after)) problems.push_back(at + ": changed");
            return;
        }
        for (const auto& key : keys_of_both(before, after)) {
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

    // An action: its params and result are schemas, anything else is compared as it is.
    void action(const json& before, const json& after, const std::string& at) {
        for (const auto& key : keys_of_both(before, after)) {
            if (among(kAnnotations, key)) continue;
            const std::string where = at + "/" + token(key);
            if (!before.contains(key)) {
                problems.push_back(where + ": added");
            } else if (!after.contains(key)) {
                problems.push_back(where + ": removed");
            } else if (key == "params" || key == "result") {
                schema(before[key], after[key], where);
            } else if (stripped(before[key]) != stripped(after[key])) {
                problems.push_back(where + ": changed");
            }
        }
    }

    // A definition of both documents, compared as if reached through its own name.
    void definition(const json& before, const json& after, const std::string& at) {
        const std::pair<const json*, const json*> pair{&before, &after};
        following_.insert(pair);
        schema(before, after, at);
        following_.erase(pair);
        compared_.insert(pair);
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

    const json& released_;
    const json& current_;
    // The pairs of referenced schemas being compared on the way here (cycle guard), and those
    // compared already.
    std::set<std::pair<const json*, const json*>> following_;
    std::set<std::pair<const json*, const json*>> compared_;
};

} // namespace

std::vector<std::string> revision_breaks(const json& released, const json& current) {
    Comparison c(released, current);
    std::vector<std::string> problems;
    for (const char* key : {"x-category", "x-revision"}) {
        if (released.value(key, json()) != current.value(key, json())) {
            problems.push_back(std::string("/") + key + ": changed");
        }
    }
    // The definitions first, so that a problem in a shared one is named once, at its
    // definition; an action then only adds what changed in its own shapes.
    const json no_definitions = json::object();
    const json& old_defs =
        released.contains("definitions") ? released["definitions"] : no_definitions;
    const json& new_defs =
        current.contains("definitions") ? current["definitions"] : no_definitions;
    for (const auto& [name, definition] : old_defs.items()) {
        const std::string at = "/definitions/" + token(name);
        if (!new_defs.contains(name)) {
            c.problems.push_back(at + ": removed");
            continue;
        }
        c.definition(definition, new_defs[name], at);
    }
    // New definitions are allowed: only an added member can reach them, and that member is
    // checked where it is added.
    std::vector<std::string> in_definitions = std::move(c.problems);
    c.problems.clear();
    const json no_actions = json::object();
    const json& before = released.contains("x-actions") ? released["x-actions"] : no_actions;
    const json& after = current.contains("x-actions") ? current["x-actions"] : no_actions;
    for (const auto& [name, action] : before.items()) {
        const std::string at = "/x-actions/" + token(name);
        if (!after.contains(name)) {
            c.problems.push_back(at + ": removed");
            continue;
        }
        c.action(action, after[name], at);
    }
    for (const auto& [name, unused] : after.items()) {
        if (!before.contains(name)) c.problems.push_back("/x-actions/" + token(name) + ": added");
    }
    problems.insert(problems.end(), c.problems.begin(), c.problems.end());
    problems.insert(problems.end(), in_definitions.begin(), in_definitions.end());
    return problems;
}

} // namespace switchboard::sdk_tests
