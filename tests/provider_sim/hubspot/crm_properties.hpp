// The CRM properties a simulated HubSpot account has, as data: HubSpot rejects values of
// properties that do not exist in the account (PROPERTY_DOESNT_EXIST), values outside an
// enumeration's options (INVALID_OPTION), malformed e-mails (INVALID_EMAIL) and writes to
// read-only properties, with a 400 naming the property. The table holds HubSpot's common
// default properties; an account's custom properties are not simulated.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::sim {

enum class CrmPropertyType { text, email, enumeration, number, datetime, read_only };

struct CrmProperty {
    std::string_view object; // "contacts", "deals" or "companies"
    std::string_view name;
    CrmPropertyType type;
    std::string_view options; // enumeration: space-separated internal values
};

std::span<const CrmProperty> crm_properties();

// HubSpot's error detail for `value` of `name` on `object`; nullopt when it is acceptable.
std::optional<nlohmann::json> crm_property_error(std::string_view object, std::string_view name,
                                                 std::string_view value);

// What GET and search return when no `properties` are asked for.
std::vector<std::string> crm_default_properties(std::string_view object);

// The property holding the last-modified time ("lastmodifieddate" or "hs_lastmodifieddate").
std::string_view crm_modified_property(std::string_view object);

} // namespace switchboard::sim
