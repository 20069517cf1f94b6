// The plugin's pure helpers, called directly: timestamps, amounts, search limits, paging,
// Retry-After and HubSpot's error body.
#include "plugins/hubspot/date_time.hpp"
#include "plugins/hubspot/hubspot_error.hpp"
#include "plugins/hubspot/paging.hpp"
#include "plugins/hubspot/property_map.hpp"
#include "plugins/hubspot/retry_after.hpp"
#include "plugins/hubspot/search_request.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace switchboard::plugins::hubspot {
namespace {

using nlohmann::json;

TEST(DateTime, ContractTimesBecomeHubSpotUtc) {
    EXPECT_EQ(to_hubspot_datetime("2024-06-30T09:00:00+02:00"), "2024-06-30T07:00:00.000Z");
    EXPECT_EQ(to_hubspot_datetime("2024-06-30T23:30:00-01:00"), "2024-07-01T00:30:00.000Z");
    EXPECT_EQ(to_hubspot_datetime("2024-02-29T00:00:00.1234z"), "2024-02-29T00:00:00.123Z");
    EXPECT_EQ(to_hubspot_datetime("2024-12-31t23:59:60Z"), "2025-01-01T00:00:00.000Z");
    for (const char* bad : {"2024-06-30", "2024-06-30T09:00:00", "2023-02-29T00:00:00Z",
                            "2024-13-01T00:00:00Z", "2024-06-30T24:00:00Z", "2024-06-30T09:00:00+24:00",
                            "2024-06-30T09:00:00.Z", "2024-06-30T09:00:00Z ", "24-06-30T09:00:00Z",
                            "0000-01-01T00:00:00+00:01", ""}) {
        EXPECT_EQ(to_hubspot_datetime(bad), std::nullopt) << bad;
    }
}

TEST(DateTime, HubSpotValuesBecomeContractTimes) {
    EXPECT_EQ(to_contract_datetime("2024-05-01T12:00:00.000Z"), "2024-05-01T12:00:00.000Z");
    EXPECT_EQ(to_contract_datetime("0"), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(to_contract_datetime("1719730800000"), "2024-06-30T07:00:00.000Z");
    // The contract's DateTime is at most 64 characters: a longer RFC 3339 value (a fraction of
    // many digits) is written anew in UTC, to the millisecond.
    const std::string longest = "2024-05-01T12:00:00." + std::string(38, '5') + "+02:00"; // 64
    EXPECT_EQ(to_contract_datetime(longest), longest);
    EXPECT_EQ(to_contract_datetime("2024-05-01T12:00:00." + std::string(39, '5') + "+02:00"),
              "2024-05-01T10:00:00.555Z");
    for (const char* bad : {"", "-5", "2024-06-30", "soon", "999999999999999999"}) {
        EXPECT_EQ(to_contract_datetime(bad), std::nullopt) << bad;
    }
}

TEST(Amounts, NumbersBecomeDecimalStrings) {
    EXPECT_EQ(decimal_string(json(42)), "42");
    EXPECT_EQ(decimal_string(json(-3)), "-3");
    EXPECT_EQ(decimal_string(json(1234.5)), "1234.5");
    EXPECT_EQ(decimal_string(json(0.000001)), "0.000001");
    EXPECT_EQ(decimal_string(json(1e21)), "1000000000000000000000");
    EXPECT_EQ(decimal_string(json("12")), std::nullopt);
}

TEST(ContactMapping, FieldsAndPropertiesBothWays) {
    sdk::Params params(
        R"({"email":"a@b.example","job_title":"CEO","properties":{"jobtitle":"CEO","hs_lead_status":"NEW"}})");
    ASSERT_TRUE(params.ok());
    const auto properties = contact_properties_from_params(params);
    ASSERT_TRUE(properties.ok());
    EXPECT_EQ(properties.value(),
              json({{"email", "a@b.example"}, {"jobtitle", "CEO"}, {"hs_lead_status", "NEW"}}));

    const auto contact = contact_from_record(
        {{"id", "5"}, {"properties", {{"jobtitle", "CEO"}, {"hs_lead_status", "NEW"}, {"n", 5}}}});
    ASSERT_TRUE(contact.has_value());
    EXPECT_EQ(*contact, json({{"id", "5"},
                              {"job_title", "CEO"},
                              {"properties", {{"hs_lead_status", "NEW"}, {"n", "5"}}}}));
    EXPECT_EQ(contact_from_record(json::parse(R"({"id": 5})")), json::parse(R"({"id": "5"})"));
    EXPECT_EQ(contact_from_record(json::object({{"id", 6}})), json::parse(R"({"id": "6"})"));
    EXPECT_EQ(contact_from_record(json::object({{"id", -6}})), std::nullopt);
    EXPECT_EQ(contact_from_record(json::object({{"id", std::string(257, '1')}})), std::nullopt);
    EXPECT_EQ(contact_from_record(json::array()), std::nullopt);
}

TEST(SearchBody, RefusesToBreakHubSpotsLimits) {
    SearchRequest request;
    const json filter = {{"propertyName", "email"}, {"operator", "HAS_PROPERTY"}};
    for (int i = 0; i < 6; ++i) request.filter_groups.push_back({{"filters", {filter}}});
    EXPECT_EQ(search_body(request).error().status(), SB_STATUS_INTERNAL); // 6 groups

    request.filter_groups = json::array({{{"filters", json(std::vector<json>(11, filter))}}});
    EXPECT_FALSE(search_body(request).ok()); // 11 filters in a group

    request.filter_groups = json::array();
    for (int i = 0; i < 3; ++i) {
        request.filter_groups.push_back({{"filters", json(std::vector<json>(9, filter))}});
    }
    EXPECT_FALSE(search_body(request).ok()); // 27 filters in all

    request.filter_groups = json::array({{{"filters", json(std::vector<json>(10, filter))}}});
    request.limit = 201;
    EXPECT_FALSE(search_body(request).ok());
    request.limit = 200;
    ASSERT_TRUE(search_body(request).ok());
    EXPECT_EQ(json::parse(search_body(request).value()).at("limit"), 200);

    request.after = "9900";
    EXPECT_EQ(json::parse(search_body(request).value()).at("limit"), 100);
    request.after = "10000";
    EXPECT_EQ(search_body(request).error().status(), SB_STATUS_INVALID_INPUT);
}

TEST(Paging, NextCursorOnlyWhenThereIsOne) {
    EXPECT_EQ(next_page_after(json::parse(R"({"paging":{"next":{"after":"7"}}})")), "7");
    for (const char* text : {R"({})", R"({"paging":null})", R"({"paging":{"next":{}}})",
                             R"({"paging":{"next":{"after":""}}})", R"({"paging":{"next":{"after":7}}})",
                             R"({"paging":[1]})", R"([])"}) {
        EXPECT_EQ(next_page_after(json::parse(text)), std::nullopt) << text;
    }
    EXPECT_EQ(next_search_page(json::parse(R"({"paging":{"next":{"after":"9999"}}})")), "9999");
    EXPECT_EQ(next_search_page(json::parse(R"({"paging":{"next":{"after":"10000"}}})")),
              std::nullopt);
}

TEST(RetryAfter, HttpDates) {
    EXPECT_EQ(parse_http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777000);
    EXPECT_EQ(parse_http_date_ms("Sun, 06 Nov 1994 08:49:37 UTC"), std::nullopt);
    EXPECT_EQ(parse_http_date_ms("Sunday, 06-Nov-94 08:49:37 GMT"), std::nullopt);
    EXPECT_EQ(parse_http_date_ms("Sun, 31 Feb 1994 08:49:37 GMT"), std::nullopt);

    sdk::HttpResponse response;
    response.status = 429;
    response.headers = {{"retry-after", "Sun, 06 Nov 1994 08:49:37 GMT"}};
    EXPECT_EQ(retry_after_seconds(response, 784111777000 - 1500), 2); // rounded up
    EXPECT_EQ(retry_after_seconds(response, 784111777000 + 5000), 0); // already past
    response.headers = {{"retry-after", "soon"}};
    EXPECT_EQ(retry_after_seconds(response, 0), std::nullopt);
}

TEST(HubSpotErrorBody, ReadsWhatItCanAndNothingElse) {
    const HubSpotError error = parse_hubspot_error(
        R"({"status":"error","message":"m","correlationId":"c","category":"MISSING_SCOPES",)"
        R"("subCategory":"s","context":{"requiredScopes":["a",1,"b"]}})");
    EXPECT_EQ(error.message, "m");
    EXPECT_EQ(error.category, "MISSING_SCOPES");
    EXPECT_EQ(error.sub_category, "s");
    EXPECT_EQ(error.correlation_id, "c");
    EXPECT_EQ(error.required_scopes, (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(parse_hubspot_error(
                  R"({"category":"MISSING_SCOPES","errors":[{"message":"One or more of the following )"
                  R"(scopes are required.","context":{"requiredGranularScopes":["x","y"]}},"junk"],)"
                  R"("context":{"requiredScopes":["y"]}})")
                  .required_scopes,
              (std::vector<std::string>{"y", "x"}));
    EXPECT_EQ(parse_hubspot_error("<html>").message, "");
    EXPECT_EQ(parse_hubspot_error(R"({"message":5})").message, "");

    EXPECT_EQ(existing_contact_id("Contact already exists. Existing ID: 37765128953"), "37765128953");
    EXPECT_EQ(existing_contact_id("Contact already exists. Existing ID: "), std::nullopt);
    EXPECT_EQ(existing_contact_id("Conflict"), std::nullopt);
}

} // namespace
} // namespace switchboard::plugins::hubspot
