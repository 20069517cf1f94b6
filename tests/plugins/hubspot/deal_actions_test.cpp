// create_deal: the deal's properties, its association with a contact, and the Deal result.
#include "tests/plugins/hubspot/plugin_fixture.hpp"

namespace switchboard::testing::hubspot {
namespace {

using nlohmann::json;
using sdk_testing::CannedResponse;
using ::testing::HasSubstr;

class CreateDeal : public HubSpotPluginTest {};

TEST_F(CreateDeal, SendsTheMappedPropertiesAndTheContactAssociation) {
    host_.expect("POST", "/crm/v3/objects/deals",
                 CannedResponse::json(201, hubspot_record("9001", {{"dealname", "New deal"},
                                                                   {"amount", "1500.5"},
                                                                   {"deal_currency_code", "EUR"},
                                                                   {"dealstage", "appointmentscheduled"},
                                                                   {"pipeline", "default"},
                                                                   {"closedate", "2024-06-30T07:00:00Z"},
                                                                   {"hs_priority", "high"},
                                                                   {"hs_object_id", "9001"}})
                                                .dump()));
    const auto call = run("create_deal", {{"name", "New deal"},
                                          {"amount", 1500.5},
                                          {"currency", "EUR"},
                                          {"stage", "appointmentscheduled"},
                                          {"pipeline", "default"},
                                          {"close_date", "2024-06-30T09:00:00+02:00"},
                                          {"contact_id", "512"},
                                          {"properties", {{"hs_priority", "high"}}}});
    ASSERT_TRUE(call.ok()) << call.error;
    EXPECT_EQ(*host_.requests()[0].header("content-type"), "application/json");
    EXPECT_EQ(sent_body(),
              json({{"properties",
                     {{"dealname", "New deal"},
                      {"amount", "1500.5"},
                      {"deal_currency_code", "EUR"},
                      {"dealstage", "appointmentscheduled"},
                      {"pipeline", "default"},
                      {"closedate", "2024-06-30T07:00:00.000Z"}, // UTC, as HubSpot documents it
                      {"hs_priority", "high"}}},
                    {"associations",
                     {{{"to", {{"id", "512"}}},
                       {"types", {{{"associationCategory", "HUBSPOT_DEFINED"},
                                   {"associationTypeId", 3}}}}}}}}));
    EXPECT_EQ(json_of(call.result), json({{"id", "9001"},
                                          {"name", "New deal"},
                                          {"amount", 1500.5},
                                          {"currency", "EUR"},
                                          {"stage", "appointmentscheduled"},
                                          {"pipeline", "default"},
                                          {"close_date", "2024-06-30T07:00:00Z"},
                                          {"contact_ids", {"512"}},
                                          {"properties", {{"hs_priority", "high"}, {"hs_object_id", "9001"}}},
                                          {"created_at", "2024-05-01T12:00:00.000Z"}}));
}

TEST_F(CreateDeal, WithoutAContactThereIsNoAssociation) {
    host_.expect("POST", "/crm/v3/objects/deals",
                 CannedResponse::json(201, hubspot_record("9002", {{"dealname", "Solo"},
                                                                   {"dealstage", "closedwon"}})
                                                .dump()));
    const auto call = run("create_deal", {{"name", "Solo"}, {"stage", "closedwon"}});
    ASSERT_TRUE(call.ok()) << call.error;
    EXPECT_EQ(sent_body(), json({{"properties", {{"dealname", "Solo"}, {"dealstage", "closedwon"}}}}));
    EXPECT_FALSE(json_of(call.result).contains("contact_ids"));
    EXPECT_FALSE(json_of(call.result).contains("url"));
}

TEST_F(CreateDeal, AmountsAreDecimalStrings) {
    const std::pair<json, std::string> cases[] = {
        {json(1500), "1500"}, {json(19.99), "19.99"}, {json(0), "0"}, {json(0.1), "0.1"},
        {json(1e21), "1000000000000000000000"}};
    for (const auto& [amount, text] : cases) {
        host_.expect("POST", "/crm/v3/objects/deals",
                     CannedResponse::json(201, hubspot_record("1", {{"dealname", "d"}}).dump()));
        const auto call = run("create_deal", {{"name", "d"}, {"stage", "s"}, {"amount", amount}});
        ASSERT_TRUE(call.ok()) << call.error;
        EXPECT_EQ(sent_body(host_.requests().size() - 1).at("properties").at("amount"), text)
            << amount;
    }
}

// GET /crm/v3/pipelines/deals as HubSpot answers it: a second pipeline listed first, stages
// out of display order, an archived one.
json pipelines_answer() {
    return {{"results",
             {{{"id", "renewals"},
               {"label", "Renewals"},
               {"displayOrder", 1},
               {"archived", false},
               {"stages", {{{"id", "renewal_open"}, {"displayOrder", 0}, {"archived", false}}}}},
              {{"id", "default"},
               {"label", "Sales Pipeline"},
               {"displayOrder", 0},
               {"archived", false},
               {"stages",
                {{{"id", "qualifiedtobuy"}, {"displayOrder", 1}, {"archived", false}},
                 {{"id", "retired"}, {"displayOrder", -1}, {"archived", true}},
                 {{"id", "appointmentscheduled"}, {"displayOrder", 0}, {"archived", false}}}}}}}};
}

TEST_F(CreateDeal, WithoutAStageTheDefaultPipelinesFirstStageIsUsed) {
    host_.expect("GET", "/crm/v3/pipelines/deals", CannedResponse::json(200, pipelines_answer().dump()));
    host_.expect("POST", "/crm/v3/objects/deals",
                 CannedResponse::json(201, hubspot_record("3", {{"dealname", "No stage"},
                                                                {"dealstage", "appointmentscheduled"},
                                                                {"pipeline", "default"}})
                                                .dump()));
    const auto call = run("create_deal", {{"name", "No stage"}});
    ASSERT_TRUE(call.ok()) << call.error;
    ASSERT_EQ(host_.requests().size(), 2u);
    EXPECT_EQ(host_.requests()[0].method, "GET");
    EXPECT_EQ(sent_body(1).at("properties").at("dealstage"), "appointmentscheduled");
    EXPECT_EQ(sent_body(1).at("properties").at("pipeline"), "default");
    EXPECT_EQ(json_of(call.result).at("stage"), "appointmentscheduled");
}

TEST_F(CreateDeal, WithAPipelineButNoStageThatPipelinesFirstStageIsUsed) {
    host_.expect("GET", "/crm/v3/pipelines/deals", CannedResponse::json(200, pipelines_answer().dump()));
    host_.expect("POST", "/crm/v3/objects/deals",
                 CannedResponse::json(201, hubspot_record("5", {{"dealname", "d"}}).dump()));
    ASSERT_TRUE(run("create_deal", {{"name", "d"}, {"pipeline", "renewals"}}).ok());
    EXPECT_EQ(sent_body(1).at("properties").at("dealstage"), "renewal_open");

    host_.expect("GET", "/crm/v3/pipelines/deals", CannedResponse::json(200, pipelines_answer().dump()));
    const auto unknown = run("create_deal", {{"name", "d"}, {"pipeline", "nope"}});
    EXPECT_EQ(unknown.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(unknown.error_code(), "unknown_deal_pipeline");
    EXPECT_EQ(json_of(unknown.error).at("field"), "/pipeline");
}

TEST_F(CreateDeal, AGivenStageIsSentAsIsWithoutReadingThePipelines) {
    host_.expect("POST", "/crm/v3/objects/deals",
                 CannedResponse::json(201, hubspot_record("3", {{"dealname", "d"}}).dump()));
    const auto call = run("create_deal", {{"name", "d"}, {"properties", {{"dealstage", "qualifiedtobuy"}}}});
    ASSERT_TRUE(call.ok()) << call.error;
    ASSERT_EQ(host_.requests().size(), 1u);
    EXPECT_EQ(sent_body().at("properties").at("dealstage"), "qualifiedtobuy");
}

TEST_F(CreateDeal, AnAccountWithoutAnyStageIsToldToGiveOne) {
    host_.expect("GET", "/crm/v3/pipelines/deals",
                 CannedResponse::json(200, json({{"results", json::array()}}).dump()));
    const auto refused = run("create_deal", {{"name", "No stage"}});
    EXPECT_EQ(refused.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(refused.error_code(), "missing_deal_stage");
    EXPECT_EQ(json_of(refused.error).at("field"), "/stage");
    EXPECT_EQ(host_.requests().size(), 1u); // no deal was created
}

TEST_F(CreateDeal, ResultValuesHubSpotWritesDifferentlyAreConvertedOrKept) {
    // closedate as epoch milliseconds, an amount that is no number, no dealname echoed.
    host_.expect("POST", "/crm/v3/objects/deals",
                 CannedResponse::json(201, hubspot_record("4", {{"amount", "n/a"},
                                                                {"closedate", "1719730800000"},
                                                                {"dealstage", nullptr}})
                                                .dump()));
    const auto call = run("create_deal", {{"name", "Named"}, {"stage", "s"}});
    ASSERT_TRUE(call.ok()) << call.error;
    const json deal = json_of(call.result);
    EXPECT_EQ(deal.at("name"), "Named");
    EXPECT_EQ(deal.at("close_date"), "2024-06-30T07:00:00.000Z");
    EXPECT_FALSE(deal.contains("amount"));
    EXPECT_EQ(deal.at("properties").at("amount"), "n/a");
    EXPECT_FALSE(deal.contains("stage"));
}

TEST_F(CreateDeal, BadParamsAreRefusedBeforeAnyRequest) {
    struct Case {
        json params;
        std::string field;
    };
    const Case cases[] = {
        {{{"stage", "s"}}, "/name"},
        {{{"name", ""}, {"stage", "s"}}, "/name"},
        {{{"name", "d"}, {"stage", "s"}, {"contact_id", "jane@example.com"}}, "/contact_id"},
        {{{"name", "d"}, {"stage", "s"}, {"close_date", "2024-06-30"}}, "/close_date"},
        {{{"name", "d"}, {"stage", "s"}, {"close_date", "2024-02-30T00:00:00Z"}}, "/close_date"},
        {{{"name", "d"}, {"stage", "s"}, {"amount", -1}}, "/amount"},
        {{{"name", "d"}, {"stage", "s"}, {"amount", "10"}}, "/amount"},
        {{{"name", "d"}, {"stage", "s"}, {"properties", {{"dealname", "other"}}}},
         "/properties/dealname"},
    };
    for (const Case& c : cases) {
        const auto call = run("create_deal", c.params);
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << c.params;
        EXPECT_EQ(json_of(call.error).value("field", ""), c.field) << c.params;
    }
    EXPECT_TRUE(host_.requests().empty());
}

TEST_F(CreateDeal, AStageHubSpotDoesNotKnowIsInvalidInput) {
    host_.expect("POST", "/crm/v3/objects/deals",
                 CannedResponse::json(400, hubspot_error("VALIDATION_ERROR",
                                                         "Property values were not valid: "
                                                         "dealstage 'nope' is not a valid option")));
    const auto call = run("create_deal", {{"name", "d"}, {"stage", "nope"}});
    EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT);
    EXPECT_THAT(call.error_message(), HasSubstr("dealstage 'nope' is not a valid option"));
}

TEST_F(CreateDeal, AnUnknownContactToAssociateIsReported) {
    host_.expect("POST", "/crm/v3/objects/deals",
                 CannedResponse::json(404, hubspot_error("OBJECT_NOT_FOUND",
                                                         "One or more associated objects were not "
                                                         "found")));
    const auto call = run("create_deal", {{"name", "d"}, {"stage", "s"}, {"contact_id", "4040"}});
    EXPECT_EQ(call.status, SB_STATUS_NOT_FOUND);
    EXPECT_EQ(call.error_code(), "not_found");
}

} // namespace
} // namespace switchboard::testing::hubspot
