#include "tests/provider_sim/validation/google_catalog.hpp"

#include "tests/provider_sim/validation/google_rules.hpp"

#include <charconv>

namespace switchboard::sim {
namespace {

using nlohmann::json;

// Scopes Google's OpenID Connect endpoints use; they are in no API's discovery document.
constexpr std::array<std::string_view, 5> kIdentityScopes = {
    "openid", "email", "profile", "https://www.googleapis.com/auth/userinfo.email",
    "https://www.googleapis.com/auth/userinfo.profile"};

std::string reason_for(const std::string& description) {
    return description.rfind("Missing required property", 0) == 0 ? "required" : "invalid";
}

json parameters_schema(const DiscoveryMethod& method, std::string_view location) {
    json properties = json::object();
    json required = json::array();
    for (const auto& p : method.parameters) {
        if (p.location != location) {
            continue;
        }
        properties[p.name] = discovery_parameter_schema(p.description);
        if (p.required) {
            required.push_back(p.name);
        }
    }
    json schema{{"type", "object"}, {"properties", properties}, {"additionalProperties", false}};
    if (!required.empty()) {
        schema["required"] = required;
    }
    return schema;
}

// A query value is text; give it the JSON type its parameter declares, so that the schema
// sees 5 (not "5") for an integer and rejects "five".
json typed_value(const DiscoveryParameter& p, const std::string& text) {
    if (p.type == "integer") {
        long long value = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec == std::errc() && end == text.data() + text.size()) {
            return value;
        }
    } else if (p.type == "number") {
        try {
            std::size_t used = 0;
            const double value = std::stod(text, &used);
            if (used == text.size()) {
                return value;
            }
        } catch (const std::exception&) {
        }
    } else if (p.type == "boolean") {
        if (text == "true") {
            return true;
        }
        if (text == "false") {
            return false;
        }
    }
    return text;
}

// Google-like wording: "Invalid value at 'start.dateTime': ..." for bodies, "Invalid value
// for parameter 'timeMin': ..." for parameters.
void collect_annotated(const json& node, std::set<std::string>& out) {
    if (node.is_object()) {
        if (node.contains("annotations") && node.at("annotations").contains("required")) {
            for (const auto& id : node.at("annotations").at("required")) {
                out.insert(id.get<std::string>());
            }
        }
        for (const auto& [key, value] : node.items()) {
            collect_annotated(value, out);
        }
    } else if (node.is_array()) {
        for (const auto& value : node) {
            collect_annotated(value, out);
        }
    }
}

void add_violations(std::vector<ValidationIssue>& issues, std::string_view location,
                    const std::vector<SchemaViolation>& violations) {
    for (const auto& v : violations) {
        std::string message = v.description;
        if (!v.path.empty()) {
            message = location == "body" ? "Invalid value at '" + v.path + "': " + v.description
                                         : "Invalid value for parameter '" + v.path + "': " + v.description;
        }
        issues.push_back({std::string(location), v.path, std::move(message), reason_for(v.description)});
    }
}

} // namespace

Result<std::shared_ptr<const GoogleCatalog>> GoogleCatalog::load(const std::filesystem::path& specs_dir) {
    auto catalog = std::make_shared<GoogleCatalog>();
    for (const auto name : kDocuments) {
        auto doc = DiscoveryDocument::load(specs_dir / "google" / std::string(name));
        if (!doc) {
            return doc.error();
        }
        catalog->documents_.push_back(std::move(*doc));
    }
    for (const auto& doc : catalog->documents_) {
        collect_annotated(doc.schemas(), catalog->annotated_methods_);
        catalog->known_scopes_.insert(doc.scopes().begin(), doc.scopes().end());
    }
    for (const auto scope : kIdentityScopes) {
        catalog->known_scopes_.insert(std::string(scope));
    }
    return std::shared_ptr<const GoogleCatalog>(std::move(catalog));
}

Result<void> GoogleCatalog::compile_all() const {
    for (const auto& doc : documents_) {
        for (const auto& method : doc.methods()) {
            if (const Compiled& c = compiled(method); !c.error.empty()) {
                return Error(ErrorKind::internal, "spec_unusable", c.error);
            }
        }
    }
    return {};
}

const DiscoveryDocument& GoogleCatalog::document_of(const DiscoveryMethod& method) const {
    for (const auto& doc : documents_) {
        if (doc.name() == method.document) {
            return doc;
        }
    }
    throw std::logic_error("no discovery document " + method.document);
}

const GoogleCatalog::Compiled& GoogleCatalog::compiled(const DiscoveryMethod& method) const {
    std::lock_guard lock(mutex_);
    if (const auto it = compiled_.find(method.id); it != compiled_.end()) {
        return it->second;
    }
    auto c = compile(method);
    if (!c) {
        Compiled failed;
        failed.error = c.error().message;
        return compiled_.emplace(method.id, std::move(failed)).first->second;
    }
    return compiled_.emplace(method.id, std::move(*c)).first->second;
}

Result<GoogleCatalog::Compiled> GoogleCatalog::compile(const DiscoveryMethod& method) const {
    Compiled c;
    const auto schema_error = [&](const Error& e) {
        return Error(ErrorKind::internal, "spec_unusable", method.document + " " + method.id + ": " + e.message);
    };
    if (!method.request_schema.empty()) {
        auto body = body_schema(method, false);
        if (!body) {
            return schema_error(body.error());
        }
        c.body = std::move(*body);
        if (method.media_upload) {
            auto metadata = body_schema(method, true);
            if (!metadata) {
                return schema_error(metadata.error());
            }
            c.metadata = std::move(*metadata);
        }
    }
    if (!method.response_schema.empty()) {
        ConversionOptions options;
        const auto overrides = google_schema_overrides();
        options.overrides.assign(overrides.begin(), overrides.end());
        const std::string variant = method.document + "||";
        auto definitions = definitions_cache_.find(variant);
        if (definitions == definitions_cache_.end()) {
            definitions =
                definitions_cache_.emplace(variant, discovery_definitions(document_of(method).schemas(), options)).first;
        }
        auto response = JsonSchema::compile(
            json{{"$ref", "#/definitions/" + method.response_schema}, {"definitions", definitions->second}});
        if (!response) {
            return schema_error(response.error());
        }
        c.response = std::move(*response);
    }
    for (const auto location : {"query", "path"}) {
        auto schema = JsonSchema::compile(parameters_schema(method, location));
        if (!schema) {
            return schema_error(schema.error());
        }
        (std::string_view(location) == "query" ? c.query : c.path) = std::move(*schema);
    }
    for (const auto& rule : google_body_rules()) {
        if (rule.method_id != method.id) {
            continue;
        }
        auto schema = JsonSchema::compile(json::parse(rule.schema));
        if (!schema) {
            return schema_error(schema.error());
        }
        c.rules.emplace_back(&rule, std::move(*schema));
    }
    return c;
}

Result<JsonSchema> GoogleCatalog::body_schema(const DiscoveryMethod& method, bool metadata) const {
    ConversionOptions options;
    // An upload's metadata leaves out what the method requires of plain bodies (it travels
    // as media), and only methods some annotation names convert differently from the rest.
    if (!metadata && annotated_methods_.contains(method.id)) {
        options.method_id = method.id;
    }
    options.allow_null = method.http_method == "PATCH";
    const std::string variant = method.document + "|" + options.method_id + "|" + (options.allow_null ? "null" : "");
    const std::string key = variant + "|" + method.request_schema;
    if (const auto it = body_cache_.find(key); it != body_cache_.end()) {
        return it->second;
    }
    auto definitions = definitions_cache_.find(variant);
    if (definitions == definitions_cache_.end()) {
        const auto overrides = google_schema_overrides();
        options.overrides.assign(overrides.begin(), overrides.end());
        definitions =
            definitions_cache_.emplace(variant, discovery_definitions(document_of(method).schemas(), options)).first;
    }
    auto schema = JsonSchema::compile(
        json{{"$ref", "#/definitions/" + method.request_schema}, {"definitions", definitions->second}});
    if (schema) {
        body_cache_.emplace(key, *schema);
    }
    return schema;
}

std::optional<GoogleCatalog::Match> GoogleCatalog::match(std::string_view verb,
                                                         const std::vector<std::string>& segments) const {
    std::optional<Match> best;
    std::size_t best_length = 0;
    const auto consider = [&](const DiscoveryMethod& m, const PathTemplate& path, Route route) {
        if (path.text().empty()) {
            return;
        }
        auto values = path.match(segments);
        if (values && (!best || path.literal_length() > best_length)) {
            best = Match{&m, std::move(*values), route};
            best_length = path.literal_length();
        }
    };
    for (const auto& doc : documents_) {
        for (const auto& m : doc.methods()) {
            if (m.http_method != verb) {
                continue;
            }
            consider(m, m.path, Route::rest);
            if (m.media_upload) {
                consider(m, m.media_upload->simple, Route::simple_upload);
                consider(m, m.media_upload->resumable, Route::resumable_upload);
            }
        }
    }
    return best;
}

std::vector<ValidationIssue> GoogleCatalog::validate_parameters(const Match& match,
                                                                const Params& query) const {
    std::vector<ValidationIssue> issues;
    const DiscoveryMethod& method = *match.method;
    const Compiled& c = compiled(method);
    if (!c.error.empty()) {
        issues.push_back({"route", "", "provider-sim cannot use the description of " + method.id + ": " + c.error,
                          "backendError"});
        return issues;
    }

    json path = json::object();
    for (const auto& [name, value] : match.path_params) {
        const DiscoveryParameter* p = method.parameter(name);
        path[name] = p ? typed_value(*p, value) : json(value);
    }
    add_violations(issues, "path", c.path->validate(path));

    json values = json::object();
    for (const auto& [name, value] : query) {
        const DiscoveryParameter* p = method.parameter(name);
        if (!p || p->location != "query") {
            issues.push_back({"query", name, "unknown parameter: the method has no parameter '" + name + "'",
                              "invalid"});
            continue;
        }
        if (p->repeated) {
            values[name].push_back(typed_value(*p, value));
        } else if (values.contains(name)) {
            issues.push_back({"query", name, "parameter given more than once", "invalid"});
        } else {
            values[name] = typed_value(*p, value);
        }
    }
    add_violations(issues, "query", c.query->validate(values));
    return issues;
}

std::vector<ValidationIssue> GoogleCatalog::validate_body(const DiscoveryMethod& method,
                                                          const json& body, bool metadata) const {
    std::vector<ValidationIssue> issues;
    const Compiled& c = compiled(method);
    if (!c.error.empty()) {
        return issues; // validate_parameters reported it
    }
    const auto& schema = metadata && c.metadata ? c.metadata : c.body;
    if (!schema) {
        return issues; // the method takes no body; Google ignores one
    }
    // The reference pages' rules come first: their messages are the ones Google answers.
    for (const auto& [rule, rule_schema] : c.rules) {
        if (!rule_schema.validate(body).empty()) {
            issues.push_back({"body", std::string(rule->field), std::string(rule->message),
                              std::string(rule->reason)});
        }
    }
    add_violations(issues, "body", schema->validate(body));
    return issues;
}

std::vector<SchemaViolation> GoogleCatalog::validate_response(const DiscoveryMethod& method, const json& body) const {
    const Compiled& c = compiled(method);
    if (!c.error.empty()) {
        return {{"", c.error}};
    }
    if (!c.response) {
        return {{"", method.id + " has no response schema"}};
    }
    return c.response->validate(body);
}

const DiscoveryMethod* GoogleCatalog::method(std::string_view id) const {
    for (const auto& doc : documents_) {
        for (const auto& m : doc.methods()) {
            if (m.id == id) {
                return &m;
            }
        }
    }
    return nullptr;
}

} // namespace switchboard::sim
