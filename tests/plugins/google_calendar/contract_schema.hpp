// Checks an action's result against the calendar contract (sdk/schemas/calendar.schema.json),
// read in place, with Valijson: {"$ref": "#/definitions/<Name>", "definitions": <file's>}.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins::google_calendar::testing {

// Every way `instance` fails definition `name` of calendar.schema.json; empty when it is
// valid. A missing or unreadable schema file throws, naming the path.
std::vector<std::string> contract_problems(std::string_view name, const nlohmann::json& instance);

// contract_problems of a JSON text (one problem when it does not parse).
std::vector<std::string> contract_problems(std::string_view name, std::string_view json_text);

} // namespace switchboard::plugins::google_calendar::testing
