#include "tests/provider_sim/validation/json_schema.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <algorithm>
#include <exception>

namespace switchboard::sim {
namespace {

// Valijson names a node "<root>", "[start]", "[dateTime]", "[0]"; make it "start.dateTime[0]".
std::string describe_path(const std::vector<std::string>& context) {
    std::string out;
    for (const auto& part : context) {
        if (part == "<root>") {
            continue;
        }
        if (part.size() >= 2 && part.front() == '[' && part.back() == ']') {
            const std::string inner = part.substr(1, part.size() - 2);
            const bool index = !inner.empty() &&
                               inner.find_first_not_of("0123456789") == std::string::npos;
            if (index) {
                out += part;
            } else {
                out += (out.empty() ? "" : ".") + inner;
            }
        } else {
            out += (out.empty() ? "" : ".") + part;
        }
    }
    return out;
}

// Valijson 1.0 compiles a "propertyNames" subschema under its parent's cache key, so when the
// parent is reached through a $ref the names are checked against the parent schema itself
// (every name fails). The common shape {"propertyNames": {"pattern": P},
// "additionalProperties": S} without "properties" means exactly {"patternProperties":
// {P: S}, "additionalProperties": false}; rewrite it so. Other shapes are left alone.
void work_around_property_names(nlohmann::json& node) {
    if (node.is_array()) {
        for (auto& child : node) {
            work_around_property_names(child);
        }
        return;
    }
    if (!node.is_object()) {
        return;
    }
    for (auto& [key, child] : node.items()) {
        work_around_property_names(child);
    }
    const auto names = node.find("propertyNames");
    if (names == node.end() || !names->is_object() || names->size() != 1 || !names->contains("pattern") ||
        node.contains("properties") || node.contains("patternProperties")) {
        return;
    }
    const std::string pattern = names->at("pattern").get<std::string>();
    nlohmann::json values = node.value("additionalProperties", nlohmann::json(true));
    if (values.is_boolean()) {
        values = values.get<bool>() ? nlohmann::json::object() : nlohmann::json{{"not", nlohmann::json::object()}};
    }
    node.erase("propertyNames");
    node["patternProperties"] = {{pattern, values}};
    node["additionalProperties"] = false;
}

} // namespace

JsonSchema::JsonSchema(std::shared_ptr<const valijson::Schema> schema)
    : schema_(std::move(schema)) {}

Result<JsonSchema> JsonSchema::compile(const nlohmann::json& document) {
    try {
        nlohmann::json usable = document;
        work_around_property_names(usable);
        auto schema = std::make_shared<valijson::Schema>();
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        valijson::adapters::NlohmannJsonAdapter adapter(usable);
        parser.populateSchema(adapter, *schema);
        return JsonSchema(std::move(schema));
    } catch (const std::exception& e) {
        return Error(ErrorKind::invalid_input, "invalid_schema",
                     std::string("cannot compile a JSON Schema: ") + e.what());
    }
}

std::vector<SchemaViolation> JsonSchema::validate(const nlohmann::json& instance) const {
    std::vector<SchemaViolation> out;
    valijson::Validator validator(valijson::Validator::kStrongTypes);
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter adapter(instance);
    try {
        if (validator.validate(*schema_, adapter, &results)) {
            return out;
        }
    } catch (const std::exception& e) {
        // Valijson throws when a value cannot be read as the constraint expects (e.g. a
        // "format" check on an object); the instance is invalid either way.
        out.push_back({"", e.what()});
        return out;
    }
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        SchemaViolation v{describe_path(error.context), error.description};
        const bool seen = std::any_of(out.begin(), out.end(), [&](const SchemaViolation& o) {
            return o.path == v.path && o.description == v.description;
        });
        if (!seen) {
            out.push_back(std::move(v));
        }
    }
    if (out.empty()) {
        out.push_back({"", "does not match the schema"});
    }
    return out;
}

} // namespace switchboard::sim
