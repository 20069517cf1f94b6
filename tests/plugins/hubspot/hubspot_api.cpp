#include "tests/plugins/hubspot/hubspot_api.hpp"

#include "tests/provider_sim/validation/hubspot_supplement.hpp"
#include "tests/support/specs.hpp"

#include <cctype>
#include <map>
#include <stdexcept>

namespace switchboard::testing::hubspot {

using nlohmann::json;

namespace {

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t at = text.find(separator, start);
        out.emplace_back(text.substr(start, at == std::string_view::npos ? text.npos : at - start));
        if (at == std::string_view::npos) break;
        start = at + 1;
    }
    return out;
}

// The decoded query text as the JSON value the parameter's schema describes.
json typed(const std::string& text, const json& schema) {
    const std::string type = schema.value("type", "string");
    if (type == "integer") {
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return text;
        return std::stoll(text);
    }
    if (type == "boolean") {
        if (text == "true") return true;
        if (text == "false") return false;
    }
    return text;
}

// Matches `segments` to the operation's path template; fills the path parameters.
bool match_path(const std::string& path_template, const std::vector<std::string>& segments,
                std::map<std::string, std::string>& params) {
    const auto parts = split(path_template, '/');
    if (parts.size() != segments.size()) return false;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const std::string& part = parts[i];
        if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
            params[part.substr(1, part.size() - 2)] = segments[i];
        } else if (part != segments[i]) {
            return false;
        }
    }
    return true;
}

} // namespace

std::string percent_decode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out.push_back(text[i]);
            continue;
        }
        if (i + 2 >= text.size() || !std::isxdigit(static_cast<unsigned char>(text[i + 1])) ||
            !std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            throw std::invalid_argument("malformed percent escape in " + std::string(text));
        }
        out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
        i += 2;
    }
    return out;
}

std::filesystem::path hubspot_description_path() {
    return specs_dir() / "providers" / "hubspot_crm_v3.schema.json";
}

std::filesystem::path crm_contract_path() {
    return std::filesystem::path(SB_SDK_SCHEMA_DIR) / "crm.schema.json";
}

// With the endpoints the simulator adds to the shared description (the deal pipelines...).
HubSpotApi::HubSpotApi() : schema_(hubspot_description_path(), sim::hubspot_supplement()) {}

RequestCheck HubSpotApi::check(std::string_view method, std::string_view path,
                               std::string_view body, std::string_view content_type) {
    RequestCheck out;
    const std::size_t question = path.find('?');
    const std::string_view raw_path = path.substr(0, question);
    const std::string_view raw_query =
        question == std::string_view::npos ? std::string_view() : path.substr(question + 1);

    std::vector<std::string> segments;
    try {
        for (const auto& segment : split(raw_path, '/')) segments.push_back(percent_decode(segment));
    } catch (const std::exception& e) {
        out.problems.emplace_back(e.what());
        return out;
    }

    const json& operations = schema_.document().at("operations");
    std::map<std::string, std::string> path_params;
    const json* operation = nullptr;
    for (const auto& [id, candidate] : operations.items()) {
        if (candidate.value("method", "") != method) continue;
        if (candidate.value("base", "") != "https://api.hubapi.com") continue;
        std::map<std::string, std::string> params;
        if (!match_path(candidate.at("path").get<std::string>(), segments, params)) continue;
        if (operation != nullptr) {
            out.problems.push_back("the request matches both " + out.operation + " and " + id);
            return out;
        }
        operation = &candidate;
        out.operation = id;
        path_params = std::move(params);
    }
    if (operation == nullptr) {
        out.problems.push_back("no operation of the description is " + std::string(method) + " " +
                               std::string(raw_path));
        return out;
    }

    for (const auto& [name, value] : path_params) {
        const json& schema = operation->at("pathParams").at(name).at("schema");
        for (auto& p : schema_problems(schema, value)) {
            out.problems.push_back("path parameter " + name + ": " + p);
        }
    }

    // Query: every name declared, each value valid; csv-or-repeated may repeat, form not.
    const json& declared = operation->at("query");
    std::map<std::string, int> seen;
    if (!raw_query.empty()) {
        for (const auto& pair : split(raw_query, '&')) {
            const std::size_t equals = pair.find('=');
            if (equals == std::string::npos) {
                out.problems.push_back("query item '" + pair + "' has no value");
                continue;
            }
            std::string name;
            std::string value;
            try {
                name = percent_decode(pair.substr(0, equals));
                value = percent_decode(pair.substr(equals + 1));
            } catch (const std::exception& e) {
                out.problems.emplace_back(e.what());
                continue;
            }
            if (!declared.contains(name)) {
                out.problems.push_back("query parameter '" + name + "' is not declared");
                continue;
            }
            const json& parameter = declared.at(name);
            if (++seen[name] > 1 && parameter.value("style", "form") != "csv-or-repeated") {
                out.problems.push_back("query parameter '" + name + "' is repeated");
            }
            for (auto& p : schema_problems(parameter.at("schema"), typed(value, parameter.at("schema")))) {
                out.problems.push_back("query parameter " + name + "='" + value + "': " + p);
            }
        }
    }
    for (const auto& [name, parameter] : declared.items()) {
        if (parameter.value("required", false) && seen.count(name) == 0) {
            out.problems.push_back("required query parameter '" + name + "' is missing");
        }
    }

    // Body: exactly when the operation takes one, of its content type, valid.
    const json& request_body = operation->at("requestBody");
    if (request_body.is_null()) {
        if (!body.empty()) out.problems.push_back(out.operation + " takes no body");
        return out;
    }
    const std::string expected_type = operation->value("requestContentType", "");
    if (content_type.substr(0, expected_type.size()) != expected_type) {
        out.problems.push_back("Content-Type is '" + std::string(content_type) + "', not " +
                               expected_type);
    }
    const json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
        out.problems.push_back("the body is not JSON");
        return out;
    }
    const std::string ref = request_body.at("$ref").get<std::string>();
    const std::string definition = ref.substr(ref.rfind('/') + 1);
    for (auto& p : schema_.problems(definition, parsed)) {
        out.problems.push_back(definition + ": " + p);
    }
    // What draft-07 cannot say about a search (x-maxTotalFilters, x-maxTotalResults).
    if (definition == "PublicObjectSearchRequest") {
        std::size_t filters = 0;
        for (const auto& group : parsed.value("filterGroups", json::array())) {
            filters += group.value("filters", json::array()).size();
        }
        const json& limits = schema_.document().at("definitions").at(definition);
        if (filters > limits.at("x-maxTotalFilters").get<std::size_t>()) {
            out.problems.push_back("more filters than x-maxTotalFilters");
        }
        long long after = 0;
        if (const auto a = parsed.find("after"); a != parsed.end()) {
            if (a->is_number_integer()) after = a->get<long long>();
            const std::string text = a->is_string() ? a->get<std::string>() : "";
            if (!text.empty() && text.size() < 19 &&
                text.find_first_not_of("0123456789") == std::string::npos) {
                after = std::stoll(text);
            }
        }
        if (after + parsed.value("limit", 10LL) > limits.at("x-maxTotalResults").get<long long>()) {
            out.problems.push_back("after + limit exceeds x-maxTotalResults");
        }
    }
    return out;
}

CrmContract::CrmContract()
    : crm_(crm_contract_path()),
      common_(std::filesystem::path(SB_SDK_SCHEMA_DIR) / "common.schema.json") {}

std::vector<std::string> CrmContract::result_problems(const std::string& action,
                                                      const json& result) {
    const json& actions = crm_.document().at("x-actions");
    if (!actions.contains(action)) return {"crm.schema.json has no action " + action};
    const std::string ref = actions.at(action).at("result").at("$ref").get<std::string>();
    return crm_.problems(ref.substr(ref.rfind('/') + 1), result);
}

std::vector<std::string> CrmContract::error_problems(const json& error) {
    return common_.problems("Error", error);
}

} // namespace switchboard::testing::hubspot
