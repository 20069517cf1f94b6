#include "tests/plugins/google_calendar/discovery_check.hpp"

#include "tests/support/specs.hpp"

#include <functional>
#include <map>
#include <regex>
#include <stdexcept>

namespace switchboard::plugins::google_calendar::testing {

using nlohmann::json;

namespace {

std::string percent_decode(std::string_view text) {
    const auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
            out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const auto at = text.find(separator, start);
        out.emplace_back(text.substr(start, at == std::string_view::npos ? at : at - start));
        if (at == std::string_view::npos) break;
        start = at + 1;
    }
    return out;
}

bool is_date_time(const std::string& text) {
    static const std::regex pattern(
        R"(^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$)");
    return std::regex_match(text, pattern);
}

bool is_date(const std::string& text) {
    static const std::regex pattern(R"(^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$)");
    return std::regex_match(text, pattern);
}

// The discovery document's numbers (minimum, maximum, ...) are strings.
long long number_of(const json& value) {
    return value.is_string() ? std::stoll(value.get<std::string>()) : value.get<long long>();
}

// Checks one query parameter value against its discovery description.
void check_parameter(const std::string& name, const std::string& value, const json& spec,
                     std::vector<std::string>& out) {
    const std::string type = spec.value("type", "string");
    if (type == "integer") {
        static const std::regex integer(R"(^-?\d+$)");
        if (!std::regex_match(value, integer)) {
            out.push_back("query " + name + "=" + value + " is not an integer");
            return;
        }
        const long long n = std::stoll(value);
        if (spec.contains("minimum") && n < number_of(spec["minimum"])) {
            out.push_back("query " + name + "=" + value + " is below its minimum");
        }
        if (spec.contains("maximum") && n > number_of(spec["maximum"])) {
            out.push_back("query " + name + "=" + value + " is above its maximum");
        }
    } else if (type == "boolean") {
        if (value != "true" && value != "false") {
            out.push_back("query " + name + "=" + value + " is not a boolean");
        }
    }
    if (spec.contains("enum")) {
        bool known = false;
        for (const auto& e : spec["enum"]) known = known || e == value;
        if (!known) out.push_back("query " + name + "=" + value + " is not one of its enum values");
    }
    if (spec.value("format", "") == "date-time" && !is_date_time(value)) {
        out.push_back("query " + name + "=" + value + " is not an RFC 3339 date-time");
    }
}

} // namespace

const DiscoveryDocument& DiscoveryDocument::calendar_v3() {
    static const DiscoveryDocument document(
        json::parse(switchboard::testing::read_spec("google/calendar_v3.json")));
    return document;
}

DiscoveryDocument::DiscoveryDocument(json document) : doc_(std::move(document)) {}

std::vector<std::string> DiscoveryDocument::check(std::string_view method_id,
                                                  std::string_view http_method,
                                                  std::string_view path,
                                                  std::string_view body) const {
    std::vector<std::string> out;
    // Find the method: resources.<r>[.resources.<s>].methods.<m> whose id is method_id.
    const json* method = nullptr;
    std::function<void(const json&)> search = [&](const json& resources) {
        for (const auto& [name, resource] : resources.items()) {
            if (resource.contains("methods")) {
                for (const auto& [m, spec] : resource["methods"].items()) {
                    if (spec.value("id", "") == method_id) method = &spec;
                }
            }
            if (resource.contains("resources")) search(resource["resources"]);
        }
    };
    search(doc_.at("resources"));
    if (method == nullptr) return {"no method " + std::string(method_id) + " in the document"};

    if ((*method)["httpMethod"] != http_method) {
        out.push_back("HTTP method " + std::string(http_method) + ", the method wants " +
                      (*method)["httpMethod"].get<std::string>());
    }

    const auto question = path.find('?');
    const std::string_view route = path.substr(0, question);
    const std::string_view query =
        question == std::string_view::npos ? std::string_view() : path.substr(question + 1);
    static const json no_parameters = json::object();
    const json& params = method->contains("parameters") ? (*method)["parameters"] : no_parameters;

    // Path: "/" + servicePath + the method's path template, {var} = one segment.
    const std::string expected = "/" + doc_.value("servicePath", "") + (*method)["path"].get<std::string>();
    const auto want = split(expected, '/');
    const auto got = split(route, '/');
    std::map<std::string, std::string> seen_path;
    if (want.size() != got.size()) {
        out.push_back("path " + std::string(route) + " does not match " + expected);
    } else {
        for (std::size_t i = 0; i < want.size(); ++i) {
            if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
                const std::string var = want[i].substr(1, want[i].size() - 2);
                if (got[i].empty()) out.push_back("path parameter " + var + " is empty");
                seen_path[var] = percent_decode(got[i]);
            } else if (want[i] != got[i]) {
                out.push_back("path " + std::string(route) + " does not match " + expected);
                break;
            }
        }
    }

    // Query parameters.
    std::map<std::string, int> counts;
    if (!query.empty()) {
        for (const auto& pair : split(query, '&')) {
            const auto eq = pair.find('=');
            if (eq == std::string::npos) {
                out.push_back("query part '" + pair + "' has no value");
                continue;
            }
            const std::string name = percent_decode(pair.substr(0, eq));
            const std::string value = percent_decode(pair.substr(eq + 1));
            const json* spec = nullptr;
            if (params.contains(name) && params[name].value("location", "") == "query") {
                spec = &params[name];
            } else if (doc_.contains("parameters") && doc_["parameters"].contains(name)) {
                spec = &doc_["parameters"][name];
            }
            if (spec == nullptr) {
                out.push_back("query parameter " + name + " is not one of the method's");
                continue;
            }
            if (++counts[name] > 1 && !spec->value("repeated", false)) {
                out.push_back("query parameter " + name + " appears twice");
            }
            check_parameter(name, value, *spec, out);
        }
    }
    for (const auto& [name, spec] : params.items()) {
        if (!spec.value("required", false)) continue;
        const bool in_path = spec.value("location", "") == "path";
        if (in_path ? !seen_path.contains(name) : !counts.contains(name)) {
            out.push_back("required parameter " + name + " is missing");
        }
    }

    // Body.
    if (method->contains("request")) {
        const json parsed = json::parse(body, nullptr, false);
        if (!parsed.is_object()) {
            out.push_back("the body is not a JSON object");
        } else {
            const bool patch = std::string_view(method_id).ends_with(".patch");
            check_value((*method)["request"], parsed, "body", patch, out);
        }
    } else if (!body.empty()) {
        out.push_back("the method takes no body but one was sent");
    }
    return out;
}

void DiscoveryDocument::check_value(const json& schema, const json& value, const std::string& where,
                                    bool patch, std::vector<std::string>& out) const {
    if (schema.contains("$ref")) {
        const std::string name = schema["$ref"];
        if (!doc_["schemas"].contains(name)) {
            out.push_back(where + ": unknown schema " + name);
            return;
        }
        check_value(doc_["schemas"][name], value, where, patch, out);
        return;
    }
    if (value.is_null()) {
        if (!patch) out.push_back(where + " is null");
        return;
    }
    const std::string type = schema.value("type", "");
    if (type == "object") {
        if (!value.is_object()) {
            out.push_back(where + " must be an object");
            return;
        }
        for (const auto& [key, member] : value.items()) {
            if (schema.contains("properties") && schema["properties"].contains(key)) {
                check_value(schema["properties"][key], member, where + "." + key, patch, out);
            } else if (schema.contains("additionalProperties")) {
                check_value(schema["additionalProperties"], member, where + "." + key, patch, out);
            } else {
                out.push_back(where + "." + key + " is not a property of the schema");
            }
        }
    } else if (type == "array") {
        if (!value.is_array()) {
            out.push_back(where + " must be an array");
            return;
        }
        for (std::size_t i = 0; i < value.size(); ++i) {
            check_value(schema["items"], value[i], where + "[" + std::to_string(i) + "]", patch, out);
        }
    } else if (type == "string") {
        if (!value.is_string()) {
            out.push_back(where + " must be a string");
            return;
        }
        const std::string format = schema.value("format", "");
        if (format == "date-time" && !is_date_time(value.get<std::string>())) {
            out.push_back(where + " is not an RFC 3339 date-time");
        }
        if (format == "date" && !is_date(value.get<std::string>())) {
            out.push_back(where + " is not a date");
        }
        if (format == "int64" && !std::regex_match(value.get<std::string>(), std::regex(R"(^-?\d+$)"))) {
            out.push_back(where + " is not an int64 string");
        }
    } else if (type == "integer") {
        if (!value.is_number_integer()) out.push_back(where + " must be an integer");
    } else if (type == "boolean") {
        if (!value.is_boolean()) out.push_back(where + " must be a boolean");
    } else if (type == "number") {
        if (!value.is_number()) out.push_back(where + " must be a number");
    } else if (type == "any" || type.empty()) {
        // anything goes
    }
}

} // namespace switchboard::plugins::google_calendar::testing
