// What Google's reference pages require beyond the discovery documents, kept as data: each
// rule is a JSON Schema the request body must also satisfy, with the error Google answers
// when it does not. Plus the few places where the reference pages relax the discovery
// schema (SchemaOverride).
#pragma once

#include "tests/provider_sim/validation/discovery_schema_converter.hpp"

#include <span>
#include <string_view>

namespace switchboard::sim {

struct GoogleBodyRule {
    std::string_view method_id; // "calendar.events.insert"
    std::string_view schema;    // JSON Schema (text) the body must satisfy
    std::string_view field;     // the field the error names
    std::string_view message;   // Google's error message
    std::string_view reason;    // Google's errors[].reason
    std::string_view source;    // the reference page that states the rule
};

std::span<const GoogleBodyRule> google_body_rules();
std::span<const SchemaOverride> google_schema_overrides();

} // namespace switchboard::sim
