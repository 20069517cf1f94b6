#include "tests/plugins/google_calendar/contract_schema.hpp"

#include "tests/support/specs.hpp"

#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>

#include <map>
#include <memory>
#include <mutex>

namespace switchboard::plugins::google_calendar::testing {
namespace {

const nlohmann::json& definitions() {
    static const nlohmann::json defs = [] {
        const std::string text =
            switchboard::testing::read_text_file(SB_CALENDAR_SCHEMA_FILE); // throws when missing
        return nlohmann::json::parse(text).at("definitions");
    }();
    return defs;
}

const valijson::Schema& schema_for(std::string_view name) {
    static std::mutex mutex;
    static std::map<std::string, std::unique_ptr<valijson::Schema>, std::less<>> cache;
    const std::lock_guard lock(mutex);
    if (const auto it = cache.find(name); it != cache.end()) return *it->second;
    const nlohmann::json document = {{"$ref", "#/definitions/" + std::string(name)},
                                     {"definitions", definitions()}};
    auto schema = std::make_unique<valijson::Schema>();
    valijson::SchemaParser parser;
    valijson::adapters::NlohmannJsonAdapter adapter(document);
    parser.populateSchema(adapter, *schema);
    return *cache.emplace(std::string(name), std::move(schema)).first->second;
}

} // namespace

std::vector<std::string> contract_problems(std::string_view name, const nlohmann::json& instance) {
    valijson::Validator validator;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(instance);
    std::vector<std::string> out;
    if (validator.validate(schema_for(name), target, &results)) return out;
    valijson::ValidationResults::Error error;
    while (results.popError(error)) {
        std::string where;
        for (const auto& part : error.context) where += part;
        out.push_back(where + ": " + error.description);
    }
    if (out.empty()) out.emplace_back("invalid against " + std::string(name));
    return out;
}

std::vector<std::string> contract_problems(std::string_view name, std::string_view json_text) {
    const auto parsed = nlohmann::json::parse(json_text, nullptr, false);
    if (parsed.is_discarded()) return {"not JSON: " + std::string(json_text.substr(0, 200))};
    return contract_problems(name, parsed);
}

} // namespace switchboard::plugins::google_calendar::testing
