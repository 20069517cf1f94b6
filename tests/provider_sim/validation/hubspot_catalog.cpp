#include "tests/provider_sim/validation/hubspot_catalog.hpp"

#include "tests/provider_sim/validation/hubspot_supplement.hpp"

#include <charconv>
#include <fstream>

namespace switchboard::sim {
namespace {

using nlohmann::json;

std::string host_of(const std::string& base) {
    std::string_view rest = base;
    if (const auto scheme = rest.find("://"); scheme != std::string_view::npos) {
        rest.remove_prefix(scheme + 3);
    }
    return std::string(rest.substr(0, rest.find('/')));
}

// A schema that may $ref the document's definitions.
json with_definitions(const json& schema, const json& definitions) {
    return json{{"allOf", json::array({schema})}, {"definitions", definitions}};
}

json typed_query_value(const json& schema, const std::string& text) {
    const std::string type = schema.value("type", "");
    if (type == "integer") {
        long long value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc() && end == text.data() + text.size()) {
            return value;
        }
    } else if (type == "boolean") {
        if (text == "true" || text == "false") {
            return text == "true";
        }
    }
    return text;
}

std::string reason_for(const std::string& description) {
    return description.rfind("Missing required property", 0) == 0 ? "required" : "invalid";
}

} // namespace

Result<std::shared_ptr<const HubSpotCatalog>> HubSpotCatalog::load(const std::filesystem::path& specs_dir) {
    const auto file = specs_dir / "providers" / std::string(kDocument);
    std::ifstream in(file);
    if (!in) {
        return Error(ErrorKind::not_found, "spec_missing", "cannot read the HubSpot description " + file.string());
    }
    auto catalog = std::make_shared<HubSpotCatalog>();
    try {
        catalog->document_ = json::parse(in);
        // What the shared description does not cover (hubspot_supplement.hpp); a name in
        // both would be a mistake in one of them.
        for (const char* part : {"definitions", "operations"}) {
            for (const auto& [name, value] : hubspot_supplement().at(part).items()) {
                if (catalog->document_.at(part).contains(name)) {
                    return Error(ErrorKind::internal, "spec_unusable",
                                 "the simulator's HubSpot supplement redefines " +
                                     std::string(part) + "." + name);
                }
                catalog->document_[part][name] = value;
            }
        }
        const json& definitions = catalog->document_.at("definitions");
        const auto compile = [&](const std::string& key, const json& schema) -> Result<void> {
            auto compiled = JsonSchema::compile(schema);
            if (!compiled) {
                return Error(ErrorKind::internal, "spec_unusable",
                             file.string() + " " + key + ": " + compiled.error().message);
            }
            catalog->schemas_.emplace(key, std::move(*compiled));
            return {};
        };
        for (const auto& [name, _] : definitions.items()) {
            if (auto r = compile(name, json{{"$ref", "#/definitions/" + name}, {"definitions", definitions}}); !r) {
                return r.error();
            }
        }
        for (const auto& [id, o] : catalog->document_.at("operations").items()) {
            HubSpotOperation op;
            op.id = id;
            op.method = o.at("method").get<std::string>();
            op.path = PathTemplate("/" + host_of(o.at("base").get<std::string>()) + o.at("path").get<std::string>());
            const json headers = o.value("headers", json::object());
            op.requires_token = headers.contains("Authorization") &&
                                headers.at("Authorization").value("required", false);
            op.request_content_type = o.value("requestContentType", json()).is_string()
                                          ? o.at("requestContentType").get<std::string>()
                                          : "";
            const auto ref_name = [](const json& ref) {
                if (!ref.is_object() || !ref.contains("$ref")) {
                    return std::string{};
                }
                const std::string r = ref.at("$ref").get<std::string>();
                return r.substr(r.rfind('/') + 1);
            };
            op.request_definition = ref_name(o.value("requestBody", json()));
            op.response_definition = ref_name(o.value("response", json()));
            op.success_status = o.value("successStatus", 200u);
            op.scopes = o.value("scopes", std::vector<std::string>{});
            op.query = o.value("query", json::object());
            for (const auto& [name, q] : op.query.items()) {
                if (auto r = compile(id + "?" + name, with_definitions(q.at("schema"), definitions)); !r) {
                    return r.error();
                }
            }
            const json path_params = o.value("pathParams", json::object()); // items() does not own it
            for (const auto& [name, p] : path_params.items()) {
                if (auto r = compile(id + "/" + name, with_definitions(p.at("schema"), definitions)); !r) {
                    return r.error();
                }
            }
            catalog->operations_.push_back(std::move(op));
        }
        for (const auto& [scope, _] : catalog->document_.at("scopes").items()) {
            catalog->known_scopes_.insert(scope);
        }
    } catch (const std::exception& e) {
        return Error(ErrorKind::invalid_input, "spec_invalid", "cannot read " + file.string() + ": " + e.what());
    }
    return std::shared_ptr<const HubSpotCatalog>(std::move(catalog));
}

std::optional<HubSpotCatalog::Match> HubSpotCatalog::match(std::string_view verb,
                                                           const std::vector<std::string>& segments) const {
    std::optional<Match> best;
    std::size_t best_length = 0;
    for (const auto& op : operations_) {
        if (op.method != verb) {
            continue;
        }
        if (auto values = op.path.match(segments); values && (!best || op.path.literal_length() > best_length)) {
            best = Match{&op, std::move(*values)};
            best_length = op.path.literal_length();
        }
    }
    return best;
}

const JsonSchema& HubSpotCatalog::compiled(std::string_view key) const {
    const auto it = schemas_.find(key);
    if (it == schemas_.end()) {
        throw std::logic_error("no compiled HubSpot schema named " + std::string(key));
    }
    return it->second;
}

std::vector<ValidationIssue> HubSpotCatalog::validate_parameters(const Match& match, const Params& query) const {
    std::vector<ValidationIssue> issues;
    const HubSpotOperation& op = *match.operation;
    for (const auto& [name, value] : match.path_params) {
        const std::string key = op.id + "/" + name;
        if (schemas_.contains(key)) {
            for (const auto& v : compiled(key).validate(json(value))) {
                issues.push_back({"path", name, "Invalid path parameter '" + name + "': " + v.description, "invalid"});
            }
        }
    }
    std::map<std::string, std::vector<std::string>> values;
    for (const auto& [name, value] : query) {
        if (!op.query.contains(name)) {
            issues.push_back({"query", name, "unknown query parameter '" + name + "' for " + op.id, "invalid"});
            continue;
        }
        values[name].push_back(value);
    }
    for (const auto& [name, spec] : op.query.items()) {
        const auto it = values.find(name);
        if (it == values.end()) {
            if (spec.value("required", false)) {
                issues.push_back({"query", name, "Missing required parameter: " + name, "required"});
            }
            continue;
        }
        std::string text = it->second.front();
        if (it->second.size() > 1) {
            if (spec.value("style", "form") == "csv-or-repeated") {
                for (std::size_t i = 1; i < it->second.size(); ++i) {
                    text += "," + it->second[i];
                }
            } else {
                issues.push_back({"query", name, "parameter '" + name + "' given more than once", "invalid"});
                continue;
            }
        }
        for (const auto& v : compiled(op.id + "?" + name).validate(typed_query_value(spec.at("schema"), text))) {
            issues.push_back({"query", name, "Invalid value for '" + name + "': " + v.description, "invalid"});
        }
    }
    return issues;
}

std::vector<ValidationIssue> HubSpotCatalog::validate_body(const HubSpotOperation& op, const json& body) const {
    std::vector<ValidationIssue> issues;
    if (op.request_definition.empty()) {
        return issues;
    }
    for (const auto& v : compiled(op.request_definition).validate(body)) {
        std::string message = v.path.empty() ? v.description : v.path + ": " + v.description;
        issues.push_back({"body", v.path, std::move(message), reason_for(v.description)});
    }
    // The limits draft-07 cannot express, named by the definition's x- keywords.
    const json& def = definition(op.request_definition);
    if (def.contains("x-maxTotalFilters") && body.is_object() && body.contains("filterGroups") &&
        body.at("filterGroups").is_array()) {
        std::size_t total = 0;
        for (const auto& group : body.at("filterGroups")) {
            if (group.is_object() && group.contains("filters") && group.at("filters").is_array()) {
                total += group.at("filters").size();
            }
        }
        const auto max = def.at("x-maxTotalFilters").get<std::size_t>();
        if (total > max) {
            issues.push_back({"body", "filterGroups",
                              "Too many filters: " + std::to_string(total) + " in all, at most " +
                                  std::to_string(max),
                              "invalid"});
        }
    }
    if (def.contains("x-maxTotalResults") && body.is_object()) {
        long long after = 0;
        if (body.contains("after")) {
            const json& a = body.at("after");
            if (a.is_number_integer()) {
                after = a.get<long long>();
            } else if (a.is_string()) {
                const std::string s = a.get<std::string>();
                std::from_chars(s.data(), s.data() + s.size(), after);
            }
        }
        long long limit = def.at("properties").at("limit").value("default", 10LL);
        if (body.contains("limit") && body.at("limit").is_number_integer()) {
            limit = body.at("limit").get<long long>();
        }
        const auto max = def.at("x-maxTotalResults").get<long long>();
        if (after + limit > max) {
            issues.push_back({"body", "after",
                              "Paging past " + std::to_string(max) + " results is not allowed", "invalid"});
        }
    }
    return issues;
}

std::vector<SchemaViolation> HubSpotCatalog::validate_definition(std::string_view definition_name,
                                                                 const json& instance) const {
    return compiled(definition_name).validate(instance);
}

const HubSpotOperation* HubSpotCatalog::operation(std::string_view id) const {
    for (const auto& op : operations_) {
        if (op.id == id) {
            return &op;
        }
    }
    return nullptr;
}

const json& HubSpotCatalog::definition(std::string_view name) const {
    return document_.at("definitions").at(std::string(name));
}

} // namespace switchboard::sim
