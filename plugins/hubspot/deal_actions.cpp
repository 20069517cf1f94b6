// create_deal.
#include "plugins/hubspot/actions.hpp"

#include "plugins/hubspot/default_stage.hpp"
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

namespace {

// HubSpot refuses a deal without a stage: the one its own form would pick (default_stage.hpp).
std::optional<sdk::Outcome> fill_in_stage(const sdk::Call& call, json& properties) {
    const auto stage = properties.find("dealstage");
    if (stage != properties.end() && stage->is_string() &&
        !stage->get_ref<const std::string&>().empty()) {
        return std::nullopt;
    }
    std::optional<std::string> pipeline;
    if (const auto named = properties.find("pipeline"); named != properties.end() && named->is_string()) {
        pipeline = named->get<std::string>();
    }
    auto pipelines = exchange(call, list_deal_pipelines_request(), "pipelines_list");
    if (!pipelines.ok()) return pipelines.error();
    const auto first = first_stage(pipelines.value(), pipeline);
    if (!first) {
        return sdk::Outcome::invalid_input(
            pipeline ? "unknown_deal_pipeline" : "missing_deal_stage",
            pipeline ? "HubSpot lists no pipeline '" + *pipeline + "' with a stage for deals"
                     : std::string("HubSpot lists no deal pipeline with a stage: give 'stage'"),
            pipeline ? "/pipeline" : "/stage");
    }
    properties["pipeline"] = first->pipeline;
    properties["dealstage"] = first->stage;
    return std::nullopt;
}

} // namespace

sdk::Outcome create_deal(const sdk::Call& call, sdk::Params& params) {
    auto properties = deal_properties_from_params(params);
    if (!properties.ok()) return properties.error();
    auto contact_id = params.string("contact_id");
    if (!params.ok()) return params.error();
    if (contact_id && !is_record_id(*contact_id)) {
        return sdk::Outcome::invalid_input(
            "invalid_contact_id", "contact_id must be a HubSpot record id (decimal digits)",
            "/contact_id");
    }

    if (auto refused = fill_in_stage(call, properties.value())) return std::move(*refused);

    auto answer = exchange(call, create_deal_request(properties.value(), contact_id),
                           "deals_create");
    if (!answer.ok()) return answer.error();
    // HubSpot creates the association with the deal, atomically: the deal's contacts are
    // the one the request named.
    std::vector<std::string> contact_ids;
    if (contact_id) contact_ids.push_back(*contact_id);
    const auto deal = deal_from_record(
        answer.value(), properties.value().at("dealname").get_ref<const std::string&>(),
        contact_ids);
    if (!deal) return unreadable_answer("deals_create");
    return sdk::Outcome::success(deal->dump(-1, ' ', false, json::error_handler_t::replace));
}

} // namespace switchboard::plugins::hubspot
