// Evaluates HubSpot CRM search requests (PublicObjectSearchRequest) against records:
// filterGroups are ORed, the filters of a group ANDed; EQ/NEQ compare without case,
// LT..GTE and BETWEEN compare numbers as numbers and dates as epoch milliseconds (what
// HubSpot filters use for dates); CONTAINS_TOKEN matches whole words, '*' as a wildcard;
// `query` searches the object's default text properties.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::sim {

using CrmValues = std::map<std::string, std::optional<std::string>>;

bool crm_search_matches(const nlohmann::json& request, std::string_view object, const CrmValues& values);

// Orders two records by the request's first sort; false when there is none.
bool crm_search_before(const nlohmann::json& request, const CrmValues& a, const CrmValues& b);
bool crm_search_has_sort(const nlohmann::json& request);

} // namespace switchboard::sim
