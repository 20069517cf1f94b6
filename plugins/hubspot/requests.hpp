// The HubSpot CRM v3 requests the plugin sends, one builder per operation of
// specs/providers/hubspot_crm_v3.schema.json. Paths are relative to the API base URL
// (https://api.hubapi.com), path segments and query values percent-encoded; bodies are JSON.
#pragma once

#include "switchboard/host.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::plugins::hubspot {

inline constexpr std::string_view contacts_path = "/crm/v3/objects/contacts";
inline constexpr std::string_view contacts_search_path = "/crm/v3/objects/contacts/search";
inline constexpr std::string_view deals_path = "/crm/v3/objects/deals";
inline constexpr std::string_view deal_pipelines_path = "/crm/v3/pipelines/deals";

// HUBSPOT_DEFINED association type id of deal -> contact (specs: associationTypeIds).
inline constexpr int deal_to_contact_type_id = 3;

// True for a HubSpot record id: decimal digits (ids are 64-bit numbers sent as strings).
bool is_record_id(std::string_view id) noexcept;

// contacts_create: POST /crm/v3/objects/contacts {"properties": {...}}.
sdk::HttpRequest create_contact_request(const nlohmann::json& properties);

// contacts_update: PATCH /crm/v3/objects/contacts/{contactId} {"properties": {...}}.
sdk::HttpRequest update_contact_request(std::string_view contact_id,
                                        const nlohmann::json& properties);

// contacts_get: GET /crm/v3/objects/contacts/{contactId}?properties=<mapped names>.
sdk::HttpRequest get_contact_request(std::string_view contact_id);

// contacts_list: GET /crm/v3/objects/contacts?limit=&after=&properties=<mapped names>.
sdk::HttpRequest list_contacts_request(std::int64_t limit, const std::optional<std::string>& after);

// contacts_search: POST /crm/v3/objects/contacts/search with a PublicObjectSearchRequest body
// (see search_request.hpp).
sdk::HttpRequest search_contacts_request(std::string body);

// deals_create: POST /crm/v3/objects/deals {"properties": {...}[, "associations": [{"to":
// {"id": contact_id}, "types": [{HUBSPOT_DEFINED, 3}]}]]}.
sdk::HttpRequest create_deal_request(const nlohmann::json& properties,
                                     const std::optional<std::string>& contact_id);

// pipelines_list: GET /crm/v3/pipelines/deals (the account's deal pipelines and their stages).
sdk::HttpRequest list_deal_pipelines_request();

} // namespace switchboard::plugins::hubspot
