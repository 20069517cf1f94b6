#include "tests/provider_sim/hubspot/account_service.hpp"

#include "tests/provider_sim/common/rfc3339.hpp"

namespace switchboard::sim {
namespace {

using nlohmann::json;

struct Stage {
    const char* id;
    const char* label;
    const char* probability;
    bool closed;
};

// HubSpot's default sales pipeline (https://knowledge.hubspot.com/object-settings/set-up-and-
// customize-pipelines): the stage ids the deals' dealstage property takes, in display order.
constexpr Stage kDefaultStages[] = {
    {"appointmentscheduled", "Appointment Scheduled", "0.2", false},
    {"qualifiedtobuy", "Qualified To Buy", "0.4", false},
    {"presentationscheduled", "Presentation Scheduled", "0.6", false},
    {"decisionmakerboughtin", "Decision Maker Bought-In", "0.8", false},
    {"contractsent", "Contract Sent", "0.9", false},
    {"closedwon", "Closed Won", "1.0", true},
    {"closedlost", "Closed Lost", "0.0", true},
};

} // namespace

void AccountService::register_with(HubSpotApi& api) {
    api.add("account_info_details", [this](const HubSpotCall& c) { return details(c); });
    api.add("pipelines_list", [this](const HubSpotCall& c) { return pipelines(c); });
}

Response AccountService::details(const HubSpotCall& call) const {
    const json body{{"portalId", call.caller.hub_id},
                    {"accountType", "STANDARD"},
                    {"timeZone", "US/Eastern"},
                    {"companyCurrency", "USD"},
                    {"additionalCurrencies", json::array()},
                    {"utcOffset", "-05:00"},
                    {"utcOffsetMilliseconds", -18000000},
                    {"uiDomain", "app.hubspot.com"},
                    {"dataHostingLocation", "na1"}};
    return Response::json(200, body.dump());
}

Response AccountService::pipelines(const HubSpotCall&) const {
    // The account exists since the simulator started; its default pipeline with it.
    const std::string since = format_rfc3339(created_);
    json stages = json::array();
    int order = 0;
    for (const Stage& stage : kDefaultStages) {
        stages.push_back({{"id", stage.id},
                          {"label", stage.label},
                          {"displayOrder", order++},
                          {"metadata",
                           {{"isClosed", stage.closed ? "true" : "false"},
                            {"probability", stage.probability}}},
                          {"createdAt", since},
                          {"updatedAt", since},
                          {"archived", false},
                          {"writePermissions", "CRM_PERMISSIONS_ENFORCEMENT"}});
    }
    const json pipeline{{"id", "default"},   {"label", "Sales Pipeline"}, {"displayOrder", 0},
                        {"stages", stages},  {"createdAt", since},        {"updatedAt", since},
                        {"archived", false}};
    return Response::json(200, json{{"results", json::array({pipeline})}}.dump());
}

} // namespace switchboard::sim
