#include "tests/provider_sim/hubspot/crm_properties.hpp"

#include "tests/provider_sim/common/rfc3339.hpp"

#include <array>
#include <charconv>
#include <regex>

namespace switchboard::sim {
namespace {

using T = CrmPropertyType;

constexpr auto kProperties = std::to_array<CrmProperty>({
    // Contacts (https://developers.hubspot.com/docs/api/crm/contacts, default properties).
    {"contacts", "email", T::email, ""},
    {"contacts", "firstname", T::text, ""},
    {"contacts", "lastname", T::text, ""},
    {"contacts", "phone", T::text, ""},
    {"contacts", "mobilephone", T::text, ""},
    {"contacts", "company", T::text, ""},
    {"contacts", "website", T::text, ""},
    {"contacts", "jobtitle", T::text, ""},
    {"contacts", "address", T::text, ""},
    {"contacts", "city", T::text, ""},
    {"contacts", "state", T::text, ""},
    {"contacts", "zip", T::text, ""},
    {"contacts", "country", T::text, ""},
    {"contacts", "hubspot_owner_id", T::text, ""},
    {"contacts", "lifecyclestage", T::enumeration,
     "subscriber lead marketingqualifiedlead salesqualifiedlead opportunity customer evangelist other"},
    {"contacts", "hs_lead_status", T::enumeration,
     "NEW OPEN IN_PROGRESS OPEN_DEAL UNQUALIFIED ATTEMPTED_TO_CONTACT CONNECTED BAD_TIMING"},
    {"contacts", "createdate", T::read_only, ""},
    {"contacts", "lastmodifieddate", T::read_only, ""},
    {"contacts", "hs_object_id", T::read_only, ""},
    // Deals (https://developers.hubspot.com/docs/api/crm/deals; the default sales pipeline).
    {"deals", "dealname", T::text, ""},
    {"deals", "dealstage", T::enumeration,
     "appointmentscheduled qualifiedtobuy presentationscheduled decisionmakerboughtin contractsent closedwon "
     "closedlost"},
    {"deals", "pipeline", T::enumeration, "default"},
    {"deals", "amount", T::number, ""},
    {"deals", "closedate", T::datetime, ""},
    {"deals", "dealtype", T::enumeration, "newbusiness existingbusiness"},
    {"deals", "description", T::text, ""},
    {"deals", "hs_priority", T::enumeration, "low medium high"},
    // The record currency of a multi-currency account: one of the account's currencies.
    {"deals", "deal_currency_code", T::enumeration, "USD EUR GBP CHF JPY CAD AUD"},
    {"deals", "hubspot_owner_id", T::text, ""},
    {"deals", "createdate", T::read_only, ""},
    {"deals", "hs_lastmodifieddate", T::read_only, ""},
    {"deals", "hs_object_id", T::read_only, ""},
    // Companies (https://developers.hubspot.com/docs/api/crm/companies, default properties).
    {"companies", "name", T::text, ""},
    {"companies", "domain", T::text, ""},
    {"companies", "description", T::text, ""},
    {"companies", "phone", T::text, ""},
    {"companies", "address", T::text, ""},
    {"companies", "city", T::text, ""},
    {"companies", "state", T::text, ""},
    {"companies", "zip", T::text, ""},
    {"companies", "country", T::text, ""},
    {"companies", "website", T::text, ""},
    {"companies", "numberofemployees", T::number, ""},
    {"companies", "annualrevenue", T::number, ""},
    {"companies", "hubspot_owner_id", T::text, ""},
    {"companies", "lifecyclestage", T::enumeration,
     "subscriber lead marketingqualifiedlead salesqualifiedlead opportunity customer evangelist other"},
    {"companies", "createdate", T::read_only, ""},
    {"companies", "hs_lastmodifieddate", T::read_only, ""},
    {"companies", "hs_object_id", T::read_only, ""},
});

nlohmann::json detail(std::string message, const char* code, std::string_view name) {
    return {{"message", std::move(message)},
            {"code", code},
            {"context", {{"propertyName", nlohmann::json::array({std::string(name)})}}}};
}

bool is_number(std::string_view v) {
    static const std::regex kNumber("^-?[0-9]+(\\.[0-9]+)?$");
    return std::regex_match(v.begin(), v.end(), kNumber);
}

} // namespace

std::span<const CrmProperty> crm_properties() { return kProperties; }

std::optional<nlohmann::json> crm_property_error(std::string_view object, std::string_view name,
                                                 std::string_view value) {
    const CrmProperty* property = nullptr;
    for (const auto& p : kProperties) {
        if (p.object == object && p.name == name) {
            property = &p;
        }
    }
    if (!property) {
        return detail("Property \"" + std::string(name) + "\" does not exist", "PROPERTY_DOESNT_EXIST", name);
    }
    if (value.empty()) {
        return property->type == T::read_only
                   ? std::optional(detail(std::string(name) + " is a read only property", "READ_ONLY_VALUE", name))
                   : std::nullopt; // an empty string clears a value
    }
    switch (property->type) {
    case T::text: return std::nullopt;
    case T::read_only:
        return detail(std::string(name) + " is a read only property; its value cannot be set", "READ_ONLY_VALUE",
                      name);
    case T::email: {
        static const std::regex kEmail("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
        if (!std::regex_match(value.begin(), value.end(), kEmail)) {
            return detail("Email address " + std::string(value) + " is invalid", "INVALID_EMAIL", name);
        }
        return std::nullopt;
    }
    case T::enumeration: {
        const std::string options = " " + std::string(property->options) + " ";
        if (options.find(" " + std::string(value) + " ") == std::string::npos) {
            return detail(std::string(value) + " was not one of the allowed options: [" +
                              std::string(property->options) + "]",
                          "INVALID_OPTION", name);
        }
        return std::nullopt;
    }
    case T::number:
        if (!is_number(value)) {
            return detail(std::string(value) + " is not a valid number", "INVALID_DECIMAL", name);
        }
        return std::nullopt;
    case T::datetime: {
        long long millis = 0;
        const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), millis);
        const bool epoch = ec == std::errc() && end == value.data() + value.size();
        if (!epoch && !parse_rfc3339(value) && !parse_date(value)) {
            return detail(std::string(value) + " is not a valid date-time (ISO 8601 or epoch milliseconds)",
                          "INVALID_DATETIME", name);
        }
        return std::nullopt;
    }
    }
    return std::nullopt;
}

std::vector<std::string> crm_default_properties(std::string_view object) {
    if (object == "deals") {
        return {"amount", "closedate", "createdate", "dealname", "dealstage", "hs_lastmodifieddate", "hs_object_id",
                "pipeline"};
    }
    if (object == "companies") {
        return {"createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"};
    }
    return {"createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"};
}

std::string_view crm_modified_property(std::string_view object) {
    return object == "contacts" ? "lastmodifieddate" : "hs_lastmodifieddate";
}

} // namespace switchboard::sim
