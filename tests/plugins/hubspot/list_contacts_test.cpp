// list_contacts (the list endpoint, or the search endpoint when there is a query) and
// find_contact_by_email (a search on the e-mail property): requests, paging, limits.
#include "tests/plugins/hubspot/plugin_fixture.hpp"

namespace switchboard::testing::hubspot {
namespace {

using nlohmann::json;
using sdk_testing::CannedResponse;
using ::testing::HasSubstr;

const json mapped_properties = {"email", "firstname", "lastname", "phone", "company", "jobtitle"};
const json id_order = json::array({{{"propertyName", "hs_object_id"}, {"direction", "ASCENDING"}}});

json record(std::string id, std::string email) {
    return hubspot_record(std::move(id), {{"email", std::move(email)}});
}

class ListContacts : public HubSpotPluginTest {};

TEST_F(ListContacts, WithoutQueryPagesTheListEndpointWithTheContractsDefault) {
    host_.expect("GET", "/crm/v3/objects/contacts?limit=20&" + std::string(mapped_query),
                 CannedResponse::json(
                     200, json({{"results", {record("1", "a@x.example"), record("2", "b@x.example")}},
                                {"paging",
                                 {{"next",
                                   {{"after", "3"},
                                    {"link", "https://api.hubapi.com/crm/v3/objects/contacts?after=3"}}}}}})
                              .dump()));
    const auto call = run("list_contacts", json::object());
    ASSERT_TRUE(call.ok()) << call.error;
    const json page = json_of(call.result);
    ASSERT_EQ(page.at("contacts").size(), 2u);
    EXPECT_EQ(page.at("contacts")[0].at("id"), "1");
    EXPECT_EQ(page.at("contacts")[1].at("email"), "b@x.example");
    EXPECT_EQ(page.at("next_page_token"), "3");
}

TEST_F(ListContacts, PassesMaxResultsAndThePageTokenEncoded) {
    host_.expect("GET",
                 "/crm/v3/objects/contacts?limit=100&after=MzA%3D%2Fx%2By%20z&" +
                     std::string(mapped_query),
                 CannedResponse::json(200, R"({"results": []})"));
    const auto call = run("list_contacts", {{"max_results", 100}, {"page_token", "MzA=/x+y z"}});
    ASSERT_TRUE(call.ok()) << call.error;
    EXPECT_EQ(json_of(call.result), json({{"contacts", json::array()}})); // last page: no token
}

TEST_F(ListContacts, WithQuerySearchesInIdOrder) {
    host_.expect("POST", "/crm/v3/objects/contacts/search",
                 CannedResponse::json(200, json({{"total", 31},
                                                 {"results", {record("12", "jane@x.example")}},
                                                 {"paging", {{"next", {{"after", "1"}}}}}})
                                               .dump()));
    const auto call = run("list_contacts", {{"query", "jane"}, {"max_results", 1}});
    ASSERT_TRUE(call.ok()) << call.error;
    EXPECT_EQ(*host_.requests()[0].header("content-type"), "application/json");
    EXPECT_EQ(sent_body(), json({{"query", "jane"},
                                 {"sorts", id_order},
                                 {"properties", mapped_properties},
                                 {"limit", 1}}));
    const json page = json_of(call.result);
    EXPECT_EQ(page.at("contacts")[0].at("email"), "jane@x.example");
    EXPECT_EQ(page.at("next_page_token"), "1");
}

TEST_F(ListContacts, ASearchPageTokenIsTheAfterOffset) {
    host_.expect("POST", "/crm/v3/objects/contacts/search",
                 CannedResponse::json(200, R"({"total": 25, "results": []})"));
    const auto call = run("list_contacts", {{"query", "acme"}, {"page_token", "20"}});
    ASSERT_TRUE(call.ok()) << call.error;
    EXPECT_EQ(sent_body(), json({{"query", "acme"},
                                 {"sorts", id_order},
                                 {"properties", mapped_properties},
                                 {"after", "20"},
                                 {"limit", 20}}));
    EXPECT_FALSE(json_of(call.result).contains("next_page_token"));
}

TEST_F(ListContacts, ASearchStopsAtHubSpotsTenThousandResults) {
    // The last page before the limit is shortened so that after + limit = 10,000 ...
    host_.expect("POST", "/crm/v3/objects/contacts/search",
                 CannedResponse::json(200, json({{"total", 25000},
                                                 {"results", {record("9", "a@x.example")}},
                                                 {"paging", {{"next", {{"after", "10000"}}}}}})
                                               .dump()));
    const auto call = run("list_contacts",
                          {{"query", "a"}, {"page_token", "9990"}, {"max_results", 50}});
    ASSERT_TRUE(call.ok()) << call.error;
    EXPECT_EQ(sent_body().at("limit"), 10);
    // ... and offers no token for a page HubSpot would refuse.
    EXPECT_FALSE(json_of(call.result).contains("next_page_token"));

    const auto beyond = run("list_contacts", {{"query", "a"}, {"page_token", "10000"}});
    EXPECT_EQ(beyond.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(beyond.error_code(), "search_result_limit");
    EXPECT_EQ(json_of(beyond.error).at("field"), "/page_token");
    EXPECT_EQ(host_.requests().size(), 1u);
}

TEST_F(ListContacts, ASearchPageTokenMustBeAnOffset) {
    for (const std::string token : {"abc", "-1", "1.5", "99999999999999999999"}) {
        const auto call = run("list_contacts", {{"query", "a"}, {"page_token", token}});
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << token;
        EXPECT_EQ(call.error_code(), "invalid_page_token") << token;
    }
    EXPECT_TRUE(host_.requests().empty());
}

TEST_F(ListContacts, MaxResultsOutsideTheContractIsRefused) {
    for (const json& bad : {json(0), json(101), json(-5), json(2.5), json("10")}) {
        const auto call = run("list_contacts", {{"max_results", bad}});
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << bad;
        EXPECT_EQ(json_of(call.error).at("field"), "/max_results") << bad;
    }
    EXPECT_TRUE(host_.requests().empty());
}

TEST_F(ListContacts, AnAnswerWithoutResultsIsUnreadable) {
    host_.expect("GET", "/crm/v3/objects/contacts?limit=20&" + std::string(mapped_query),
                 CannedResponse::json(200, R"({"paging": {}})"));
    host_.expect("POST", "/crm/v3/objects/contacts/search",
                 CannedResponse::json(200, R"({"total": 1, "results": [{"properties": {}}]})"));
    const auto list = run("list_contacts", json::object());
    EXPECT_EQ(list.error_code(), "invalid_provider_response");
    const auto search = run("list_contacts", {{"query", "x"}});
    EXPECT_EQ(search.error_code(), "invalid_provider_response");
}

TEST_F(ListContacts, ACursorTheCallerCouldNotHandBackIsUnreadable) {
    const std::string longest(4096, 'p'); // the contract's longest page_token
    const std::string too_long(4097, 'p');
    const auto page_after = [](const std::string& after) {
        return json({{"results", json::array()}, {"paging", {{"next", {{"after", after}}}}}}).dump();
    };
    host_.expect("GET", "/crm/v3/objects/contacts?limit=20&" + std::string(mapped_query),
                 CannedResponse::json(200, page_after(longest)));
    const auto first = run("list_contacts", json::object());
    ASSERT_TRUE(first.ok()) << first.error;
    EXPECT_EQ(json_of(first.result).at("next_page_token"), longest);

    host_.expect("GET", "/crm/v3/objects/contacts?limit=20&after=" + longest + "&" + std::string(mapped_query),
                 CannedResponse::json(200, page_after(too_long)));
    const auto list = run("list_contacts", {{"page_token", longest}});
    EXPECT_EQ(list.status, SB_STATUS_UNAVAILABLE);
    EXPECT_EQ(list.error_code(), "invalid_provider_response");

    host_.expect("POST", "/crm/v3/objects/contacts/search", CannedResponse::json(200, page_after(too_long)));
    const auto search = run("list_contacts", {{"query", "x"}});
    EXPECT_EQ(search.error_code(), "invalid_provider_response");
}

TEST_F(ListContacts, SearchErrorsAreMapped) {
    host_.expect("POST", "/crm/v3/objects/contacts/search",
                 CannedResponse::json(400, hubspot_error("VALIDATION_ERROR",
                                                         "There was a problem with the request.")));
    const auto call = run("list_contacts", {{"query", "x"}});
    EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT);
    EXPECT_THAT(call.error_message(), HasSubstr("There was a problem with the request."));
}

class FindContactByEmail : public HubSpotPluginTest {};

TEST_F(FindContactByEmail, SearchesTheEmailPropertyForEquality) {
    host_.expect("POST", "/crm/v3/objects/contacts/search",
                 CannedResponse::json(200, json({{"total", 1},
                                                 {"results", {hubspot_record("512", {{"email", "jane@example.com"},
                                                                                     {"firstname", "Jane"}})}}})
                                               .dump()));
    const auto call = run("find_contact_by_email", {{"email", "jane@example.com"}});
    ASSERT_TRUE(call.ok()) << call.error;
    EXPECT_EQ(sent_body(),
              json({{"filterGroups",
                     {{{"filters",
                        {{{"propertyName", "email"}, {"operator", "EQ"}, {"value", "jane@example.com"}}}}}}},
                    {"properties", mapped_properties},
                    {"limit", 1}}));
    const json result = json_of(call.result);
    EXPECT_EQ(result.at("contact").at("id"), "512");
    EXPECT_EQ(result.at("contact").at("first_name"), "Jane");
}

TEST_F(FindContactByEmail, NoMatchIsANullContact) {
    host_.expect("POST", "/crm/v3/objects/contacts/search",
                 CannedResponse::json(200, R"({"total": 0, "results": []})"));
    const auto call = run("find_contact_by_email", {{"email", "nobody+tag@example.com"}});
    ASSERT_TRUE(call.ok()) << call.error;
    EXPECT_EQ(json_of(call.result), json({{"contact", nullptr}}));
    EXPECT_EQ(sent_body().at("filterGroups")[0].at("filters")[0].at("value"),
              "nobody+tag@example.com");
}

TEST_F(FindContactByEmail, AMissingEmailIsRefused) {
    const auto call = run("find_contact_by_email", json::object());
    EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(json_of(call.error).at("field"), "/email");
    EXPECT_TRUE(host_.requests().empty());
}

} // namespace
} // namespace switchboard::testing::hubspot
