// create_deal.
#include "plugins/hubspot/actions.hpp"

#include "plugins/hubspot/exchange.hpp"
#include "plugins/hubspot/hubspot_error.hpp"
#include "plugins/hubspot/property_map.hpp"
#include "plugins/hubspot/requests.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace switchboard::plugins::hubspot {

using nlohmann::json;

sdk::Outcome create_deal(const sdk::Call& call, const Params& params) {
    auto properties = deal_properties_from_params(params);
    if (!properties.ok()) return properties.error();
    auto contact_id = params.optional_string("contact_id");
    if (!contact_id.ok()) return contact_id.error();
    if (contact_id.value() && !is_record_id(*contact_id.value())) {
        return sdk::Outcome::invalid_input(
            "invalid_contact_id", "contact_id must be a HubSpot record id (decimal digits)",
            "/contact_id");
    }

    auto answer = exchange(call, create_deal_request(properties.value(), contact_id.value()),
                           "deals_create");
    if (!answer.ok()) return answer.error();
    // HubSpot creates the association with the deal, atomically: the deal's contacts are
    // the one the request named.
    std::vector<std::string> contact_ids;
    if (contact_id.value()) contact_ids.push_back(*contact_id.value());
    const auto deal = deal_from_record(
        answer.value(), properties.value().at("dealname").get_ref<const std::string&>(),
        contact_ids);
    if (!deal) return unreadable_answer("deals_create");
    return sdk::Outcome::success(deal->dump(-1, ' ', false, json::error_handler_t::replace));
}

} // namespace switchboard::plugins::hubspot
