// Validating plugin results against a category contract (sdk/schemas/<category>.schema.json,
// read in place from SB_SDK_SCHEMA_DIR) with Valijson. Shared by the Gmail and Google Drive
// plugin tests; a candidate for tests/plugins/support/.
#pragma once

#include <nlohmann/json.hpp>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins::testing {

class CategorySchema {
public:
    // Reads `file` ("email.schema.json") from the SDK's schema folder; a missing file throws,
    // naming the path.
    explicit CategorySchema(const std::string& file) {
        const std::filesystem::path path = std::filesystem::path(SB_SDK_SCHEMA_DIR) / file;
        std::ifstream in(path);
        if (!in) throw std::runtime_error("cannot read the category schema " + path.string());
        std::stringstream text;
        text << in.rdbuf();
        document_ = nlohmann::json::parse(text.str());
    }

    // Every way `instance_json` breaks definition `name` (e.g. "Email"); empty when it is
    // valid. Text that is not JSON is one problem.
    std::vector<std::string> problems(std::string_view name, std::string_view instance_json) const {
        const auto instance = nlohmann::json::parse(instance_json, nullptr, false);
        if (instance.is_discarded()) return {"not JSON: " + std::string(instance_json.substr(0, 200))};
        const nlohmann::json wrapped = {{"$ref", "#/definitions/" + std::string(name)},
                                        {"definitions", document_.at("definitions")}};
        valijson::Schema schema;
        valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
        const valijson::adapters::NlohmannJsonAdapter schema_adapter(wrapped);
        parser.populateSchema(schema_adapter, schema);
        valijson::Validator validator;
        valijson::ValidationResults results;
        const valijson::adapters::NlohmannJsonAdapter target(instance);
        std::vector<std::string> out;
        if (validator.validate(schema, target, &results)) return out;
        valijson::ValidationResults::Error error;
        while (results.popError(error)) {
            std::string where;
            for (const auto& p : error.context) where += p;
            out.push_back(where + ": " + error.description);
        }
        if (out.empty()) out.emplace_back("invalid against " + std::string(name));
        return out;
    }

private:
    nlohmann::json document_;
};

} // namespace switchboard::plugins::testing
