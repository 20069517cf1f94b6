// Turns Google discovery schemas into JSON Schema (draft-07), once at start-up, so that
// Valijson can check request bodies and parameters against Google's own descriptions.
//
// Mapping: "$ref": "Event" -> "#/definitions/Event"; type "any" -> no constraint;
// formats: int32/uint32 -> integer bounds, int64/uint64 -> decimal string (a JSON integer is
// also accepted, as Google's JSON mapping documents), byte -> base64 (either alphabet),
// date-time / google-datetime -> RFC 3339 "date-time", date -> "date",
// google-duration -> "3.5s"; objects with "properties" refuse unknown members
// (additionalProperties false) unless the document gives additionalProperties;
// "annotations.required" naming the method -> "required"; readOnly fields are accepted,
// as Google ignores them in requests.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::sim {

// Replaces the converted schema of one property, where Google's reference pages relax what
// the discovery document says (see google_rules.cpp).
struct SchemaOverride {
    std::string_view schema;   // "EventDateTime"
    std::string_view property; // "dateTime"
    std::string_view replacement; // a JSON Schema, as JSON text
    std::string_view source;      // the page that says so
};

struct ConversionOptions {
    std::string method_id;  // its annotations.required become "required"
    bool allow_null = false; // PATCH bodies may send null to clear a field
    std::vector<SchemaOverride> overrides;
};

// All of a discovery document's `schemas`, as a JSON Schema "definitions" object.
nlohmann::json discovery_definitions(const nlohmann::json& schemas, const ConversionOptions& options);

// The JSON Schema of one discovery parameter's (typed) value; for a repeated parameter,
// of the array of its values.
nlohmann::json discovery_parameter_schema(const nlohmann::json& parameter);

} // namespace switchboard::sim
