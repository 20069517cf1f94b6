// JSON Schema (draft-07) checks with Valijson for the HubSpot plugin's tests: a schema file
// read in place (the SDK's crm contract, the HubSpot description in tests/specs), and the problems
// of an instance against one of its definitions, wrapped as
//   {"$ref": "#/definitions/<Name>", "definitions": <the file's definitions>}
// (with a workaround for a Valijson 1.0 bug around propertyNames: see json_schema.cpp).
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace valijson {
class Schema;
}

namespace switchboard::testing::hubspot {

// The whole text of `path` parsed as JSON; throws naming the path when it cannot be read.
nlohmann::json read_json_file(const std::filesystem::path& path);

// The problems of `instance` against the standalone draft-07 `schema`; empty when valid.
std::vector<std::string> schema_problems(const nlohmann::json& schema,
                                         const nlohmann::json& instance);

class JsonSchemaFile {
public:
    // `supplement` ({"definitions": {...}, "operations": {...}}) adds to the file's own.
    explicit JsonSchemaFile(const std::filesystem::path& path,
                            const nlohmann::json& supplement = nlohmann::json::object());
    ~JsonSchemaFile();
    JsonSchemaFile(const JsonSchemaFile&) = delete;
    JsonSchemaFile& operator=(const JsonSchemaFile&) = delete;

    const nlohmann::json& document() const noexcept { return document_; }

    // The problems of `instance` against definition `name`; empty when valid. An unknown
    // definition is a problem too.
    std::vector<std::string> problems(const std::string& definition, const nlohmann::json& instance);

private:
    std::filesystem::path path_;
    nlohmann::json document_;
    nlohmann::json definitions_; // as compiled (see json_schema.cpp: inline_refs)
    std::set<std::string> property_name_definitions_;
    std::map<std::string, std::unique_ptr<valijson::Schema>> compiled_;
};

} // namespace switchboard::testing::hubspot
