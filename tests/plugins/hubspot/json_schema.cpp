#include "tests/plugins/hubspot/json_schema.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <fstream>
#include <set>
#include <string_view>
#include <stdexcept>

namespace switchboard::testing::hubspot {

namespace {

std::vector<std::string> validate(const valijson::Schema& schema, const nlohmann::json& instance) {
    valijson::Validator validator; // strict types: "1" is not an integer
    valijson::ValidationResults results;
    const valijson::adapters::NlohmannJsonAdapter target(instance);
    std::vector<std::string> out;
    if (validator.validate(schema, target, &results)) return out;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        std::string where;
        for (const auto& part : error.context) where += part;
        out.push_back(where + ": " + error.description);
    }
    if (out.empty()) out.emplace_back("invalid (Valijson gave no detail)");
    return out;
}

// Valijson 1.0 (Debian 12) validates the names under a "propertyNames" keyword against the
// wrong schema when the schema holding the keyword is the target of a $ref: it looks the
// name schema up by its parent's path, finds the parent (cached for the $ref) and checks
// each property name against the parent ({"type": "object", ...}), so every name fails. The
// definitions that hold propertyNames are therefore inlined where they are referenced, which
// changes no verdict of draft-07 (they are not recursive).
std::set<std::string> definitions_with_property_names(const nlohmann::json& definitions) {
    std::set<std::string> out;
    for (const auto& [name, schema] : definitions.items()) {
        if (schema.is_object() && schema.contains("propertyNames")) out.insert(name);
    }
    return out;
}

void inline_refs(nlohmann::json& node, const nlohmann::json& definitions,
                 const std::set<std::string>& names) {
    if (node.is_object()) {
        if (node.size() == 1 && node.contains("$ref") && node["$ref"].is_string()) {
            const std::string ref = node["$ref"].get<std::string>();
            static constexpr std::string_view prefix = "#/definitions/";
            if (ref.starts_with(prefix) && names.count(ref.substr(prefix.size())) != 0) {
                node = definitions.at(ref.substr(prefix.size()));
                return;
            }
        }
        for (auto& [key, child] : node.items()) inline_refs(child, definitions, names);
    } else if (node.is_array()) {
        for (auto& child : node) inline_refs(child, definitions, names);
    }
}

std::unique_ptr<valijson::Schema> compile(const nlohmann::json& schema) {
    auto compiled = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    const valijson::adapters::NlohmannJsonAdapter adapter(schema);
    parser.populateSchema(adapter, *compiled);
    return compiled;
}

} // namespace

nlohmann::json read_json_file(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    nlohmann::json document = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (document.is_discarded()) throw std::runtime_error(path.string() + " is not JSON");
    return document;
}

std::vector<std::string> schema_problems(const nlohmann::json& schema,
                                         const nlohmann::json& instance) {
    return validate(*compile(schema), instance);
}

JsonSchemaFile::JsonSchemaFile(const std::filesystem::path& path, const nlohmann::json& supplement)
    : path_(path), document_(read_json_file(path)) {
    if (!document_.contains("definitions") || !document_["definitions"].is_object()) {
        throw std::runtime_error(path.string() + " has no definitions");
    }
    for (const auto& [part, entries] : supplement.items()) {
        for (const auto& [name, value] : entries.items()) document_[part][name] = value;
    }
    const nlohmann::json& definitions = document_["definitions"];
    property_name_definitions_ = definitions_with_property_names(definitions);
    definitions_ = definitions;
    inline_refs(definitions_, definitions, property_name_definitions_);
}

JsonSchemaFile::~JsonSchemaFile() = default;

std::vector<std::string> JsonSchemaFile::problems(const std::string& definition,
                                                  const nlohmann::json& instance) {
    if (!definitions_.contains(definition)) {
        return {path_.filename().string() + " has no definition " + definition};
    }
    auto& compiled = compiled_[definition];
    if (!compiled) {
        nlohmann::json wrapper = {{"$ref", "#/definitions/" + definition}};
        if (property_name_definitions_.count(definition) != 0) {
            wrapper = definitions_.at(definition); // see inline_refs: no $ref to it
        }
        wrapper["definitions"] = definitions_;
        compiled = compile(wrapper);
    }
    return validate(*compiled, instance);
}

} // namespace switchboard::testing::hubspot
