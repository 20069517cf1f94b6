// The contract <-> HubSpot property mapping of contacts and deals, in one place and applied
// both ways:
//
//   contact field   HubSpot property        deal field   HubSpot property
//   email           email                   name         dealname
//   first_name      firstname               amount       amount (decimal string)
//   last_name       lastname                currency     deal_currency_code
//   phone           phone                   stage        dealstage
//   company         company                 pipeline     pipeline
//   job_title       jobtitle                close_date   closedate (UTC, ms)
//
// The contract's `properties` object passes any other HubSpot property through by its
// internal name, on the way in and on the way out. A mapped property never appears under
// `properties` in a result; giving one under `properties` in params is allowed when it does
// not contradict the contract field of the same meaning.
#pragma once

#include "switchboard/outcome.hpp"
#include "switchboard/params.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins::hubspot {

struct MappedProperty {
    std::string_view field;    // the contract's name
    std::string_view property; // HubSpot's internal name
};

inline constexpr std::array<MappedProperty, 6> contact_properties = {{
    {"email", "email"},
    {"first_name", "firstname"},
    {"last_name", "lastname"},
    {"phone", "phone"},
    {"company", "company"},
    {"job_title", "jobtitle"},
}};

inline constexpr std::array<MappedProperty, 6> deal_properties = {{
    {"name", "dealname"},
    {"amount", "amount"},
    {"currency", "deal_currency_code"},
    {"stage", "dealstage"},
    {"pipeline", "pipeline"},
    {"close_date", "closedate"},
}};

// The HubSpot names of the mapped contact properties, in table order, for `properties=`.
std::vector<std::string> contact_property_names();

// The HubSpot property map (name -> string) of a create or update request for a contact:
// the mapped contract fields plus `properties`. An empty map is a valid result (the caller
// decides whether that is enough).
sdk::Checked<nlohmann::json> contact_properties_from_params(sdk::Params& params);

// The HubSpot property map of a deal create request. Converts amount (number -> decimal
// string) and close_date (RFC 3339 -> UTC). Without a stage (`stage` or
// `properties.dealstage`) it has none: create_deal fills in the pipeline's first
// (default_stage.hpp).
sdk::Checked<nlohmann::json> deal_properties_from_params(sdk::Params& params);

// A HubSpot record (SimplePublicObject) as the contract's Contact, or nullopt when the
// record has no usable id.
std::optional<nlohmann::json> contact_from_record(const nlohmann::json& record);

// A HubSpot deal record as the contract's Deal (contact_ids as given, omitted when empty),
// or nullopt when the record has no usable id. `sent_name` is the dealname the request set:
// the Deal's name when the record does not echo it (HubSpot created the deal with it).
std::optional<nlohmann::json> deal_from_record(const nlohmann::json& record,
                                               std::string_view sent_name,
                                               const std::vector<std::string>& contact_ids);

// The decimal string HubSpot takes for a deal amount ("1500", "19.99"), from a JSON number;
// nullopt when it is not one.
std::optional<std::string> decimal_string(const nlohmann::json& number);

} // namespace switchboard::plugins::hubspot
