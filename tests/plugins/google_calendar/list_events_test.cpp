// list_events through the fake host: the query string, following Google's pages up to
// max_results, and the page token that resumes in the middle of a provider page.
#include "tests/plugins/google_calendar/plugin_fixture.hpp"

#include <gmock/gmock.h>

namespace switchboard::plugins::google_calendar::testing {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

const char* const june = R"("time_min": "2024-06-01T00:00:00Z", "time_max": "2024-07-01T00:00:00Z")";

// The events.list path for June with maxResults `size` and, when given, `page_token`.
std::string list_path(int size, const std::string& page_token = "", const std::string& q = "") {
    std::string path = "/calendar/v3/calendars/primary/events?timeMin=2024-06-01T00%3A00%3A00Z"
                       "&timeMax=2024-07-01T00%3A00%3A00Z&singleEvents=true&orderBy=startTime";
    if (!q.empty()) path += "&q=" + q;
    path += "&maxResults=" + std::to_string(size);
    if (!page_token.empty()) path += "&pageToken=" + page_token;
    return path;
}

// An Events page holding events `ids`, with nextPageToken `next` unless "".
std::string page(std::initializer_list<const char*> ids, const std::string& next = "") {
    json items = json::array();
    for (const char* id : ids) items.push_back(google_event(id));
    json out = {{"kind", "calendar#events"}, {"summary", "owner@example.com"},
                {"timeZone", "Europe/Paris"}, {"items", items}};
    if (!next.empty()) out["nextPageToken"] = next;
    else out["nextSyncToken"] = "sync-1";
    return out.dump();
}

std::vector<std::string> ids_of(const json& result) {
    std::vector<std::string> out;
    for (const json& e : result.at("events")) out.push_back(e.at("id"));
    return out;
}

std::vector<std::string> method_ids(std::size_t n) {
    return std::vector<std::string>(n, "calendar.events.list");
}

TEST_F(GoogleCalendarTest, ListEventsSendsTheQueryAndMapsOnePage) {
    host.expect("GET", list_path(10, "", "team%20sync%20%26%20co"), CannedResponse::json(200, page({"a", "b"})));
    const Invocation call = run("list_events", std::string("{") + june +
                                                   R"(, "query": "team sync & co", "max_results": 10})");
    const json result = result_of(call, "ListEventsResult");
    EXPECT_THAT(ids_of(result), ElementsAre("a", "b"));
    EXPECT_FALSE(result.contains("next_page_token"));
    EXPECT_EQ(result.at("events").at(0).at("start").at("date_time"), "2024-06-04T09:00:00+02:00");
    EXPECT_EQ(discovery_problems(method_ids(1)), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, ListEventsDefaultsTo250AndTheNamedCalendar) {
    host.expect("GET",
                "/calendar/v3/calendars/team%40example.com/events?timeMin=2024-06-01T00%3A00%3A00%2B02%3A00"
                "&timeMax=2024-07-01T00%3A00%3A00%2B02%3A00&singleEvents=true&orderBy=startTime&maxResults=250",
                CannedResponse::json(200, R"({"kind": "calendar#events", "items": []})"));
    const json result = result_of(run("list_events", R"({"calendar_id": "team@example.com",
        "time_min": "2024-06-01T00:00:00+02:00", "time_max": "2024-07-01T00:00:00+02:00"})"),
                                  "ListEventsResult");
    EXPECT_EQ(result, json::parse(R"({"events": []})"));
    EXPECT_EQ(discovery_problems(method_ids(1)), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, ListEventsFollowsShortPagesAndResumesInsideAPage) {
    // Google answers with fewer events than asked for and a nextPageToken each time.
    host.expect("GET", list_path(5), CannedResponse::json(200, page({"e1", "e2"}, "tokA")));
    host.expect("GET", list_path(5, "tokA"), CannedResponse::json(200, page({"e3", "e4"}, "tokB")));
    host.expect("GET", list_path(5, "tokB"), CannedResponse::json(200, page({"e5", "e6", "e7"}, "tokC")));
    const json first = result_of(run("list_events", std::string("{") + june + R"(, "max_results": 5})"),
                                 "ListEventsResult");
    EXPECT_THAT(ids_of(first), ElementsAre("e1", "e2", "e3", "e4", "e5"));
    ASSERT_TRUE(first.contains("next_page_token"));
    const std::string token = first.at("next_page_token");

    // The token resumes after e5: the page of tokB again (same page size), minus e5.
    host.expect("GET", list_path(5, "tokB"), CannedResponse::json(200, page({"e5", "e6", "e7"}, "tokC")));
    host.expect("GET", list_path(5, "tokC"), CannedResponse::json(200, page({"e8"})));
    const json second = result_of(run("list_events", std::string("{") + june +
                                                         R"(, "max_results": 5, "page_token": ")" + token + "\"}"),
                                  "ListEventsResult");
    EXPECT_THAT(ids_of(second), ElementsAre("e6", "e7", "e8"));
    EXPECT_FALSE(second.contains("next_page_token"));
    EXPECT_EQ(discovery_problems(method_ids(5)), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, ListEventsResumesInsideTheFirstPage) {
    host.expect("GET", list_path(2), CannedResponse::json(200, page({"e1", "e2", "e3"})));
    const json first = result_of(run("list_events", std::string("{") + june + R"(, "max_results": 2})"),
                                 "ListEventsResult");
    EXPECT_THAT(ids_of(first), ElementsAre("e1", "e2"));
    const std::string token = first.at("next_page_token");
    host.expect("GET", list_path(2), CannedResponse::json(200, page({"e1", "e2", "e3"})));
    const json second = result_of(run("list_events", std::string("{") + june +
                                                         R"(, "max_results": 2, "page_token": ")" + token + "\"}"),
                                  "ListEventsResult");
    EXPECT_THAT(ids_of(second), ElementsAre("e3"));
    EXPECT_FALSE(second.contains("next_page_token"));
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, ListEventsStoppingAtAPageBoundaryResumesWithGooglesToken) {
    host.expect("GET", list_path(3), CannedResponse::json(200, page({"e1", "e2", "e3"}, "tokA")));
    const json first = result_of(run("list_events", std::string("{") + june + R"(, "max_results": 3})"),
                                 "ListEventsResult");
    EXPECT_THAT(ids_of(first), ElementsAre("e1", "e2", "e3"));
    const std::string token = first.at("next_page_token");
    // A caller may change max_results between calls: the page size of the walk stays 3.
    host.expect("GET", list_path(3, "tokA"), CannedResponse::json(200, page({"e4", "e5", "e6"}, "tokB")));
    host.expect("GET", list_path(3, "tokB"), CannedResponse::json(200, page({"e7"})));
    const json second = result_of(run("list_events", std::string("{") + june +
                                                         R"(, "max_results": 10, "page_token": ")" + token + "\"}"),
                                  "ListEventsResult");
    EXPECT_THAT(ids_of(second), ElementsAre("e4", "e5", "e6", "e7"));
    EXPECT_FALSE(second.contains("next_page_token"));
    EXPECT_EQ(discovery_problems(method_ids(3)), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, ListEventsWalksAWholeListingWithoutGapsOrRepeats) {
    // 23 events served by a Google that pages by 4 whatever it is asked; the caller reads 5
    // at a time. Every event comes back once, in order.
    std::vector<std::string> all;
    for (int i = 1; i <= 23; ++i) all.push_back("ev" + std::to_string(i));
    const auto google_page = [&](std::size_t first) {
        json items = json::array();
        for (std::size_t i = first; i < std::min(first + 4, all.size()); ++i) items.push_back(google_event(all[i]));
        json out = {{"items", items}};
        if (first + 4 < all.size()) out["nextPageToken"] = "p" + std::to_string(first + 4);
        return out.dump();
    };
    const auto token_of = [](std::size_t first) { return first == 0 ? std::string() : "p" + std::to_string(first); };
    // The provider pages each call reads: a page left half-read is read again by the next.
    const std::vector<std::vector<std::size_t>> pages_per_call = {{0, 4}, {4, 8}, {8, 12}, {12, 16}, {20}};
    std::vector<std::string> seen;
    std::string token;
    for (std::size_t c = 0; c < pages_per_call.size(); ++c) {
        for (const std::size_t first : pages_per_call[c]) {
            host.expect("GET", list_path(5, token_of(first)), CannedResponse::json(200, google_page(first)));
        }
        std::string params = std::string("{") + june + R"(, "max_results": 5)";
        if (!token.empty()) params += R"(, "page_token": ")" + token + "\"";
        const json result = result_of(run("list_events", params + "}"), "ListEventsResult");
        for (const auto& id : ids_of(result)) seen.push_back(id);
        EXPECT_EQ(result.at("events").size(), c + 1 < pages_per_call.size() ? 5u : 3u);
        EXPECT_EQ(result.contains("next_page_token"), c + 1 < pages_per_call.size());
        token = result.value("next_page_token", "");
    }
    EXPECT_THAT(seen, ElementsAreArray(all));
    EXPECT_EQ(discovery_problems(method_ids(9)), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, ListEventsSkipsItemsItCannotMapButCountsThem) {
    json items = json::array({google_event("ok1"), json({{"id", "broken"}, {"status", "cancelled"}}),
                              google_event("ok2")});
    host.expect("GET", list_path(2), CannedResponse::json(200, json({{"items", items}}).dump()));
    const json result = result_of(run("list_events", std::string("{") + june + R"(, "max_results": 2})"),
                                  "ListEventsResult");
    EXPECT_THAT(ids_of(result), ElementsAre("ok1", "ok2"));
    EXPECT_FALSE(result.contains("next_page_token"));
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, ListEventsToleratesAPageThatShrankSinceTheToken) {
    host.expect("GET", list_path(3), CannedResponse::json(200, page({"e1", "e2", "e3", "e4"}, "tokA")));
    const json first = result_of(run("list_events", std::string("{") + june + R"(, "max_results": 3})"),
                                 "ListEventsResult");
    const std::string token = first.at("next_page_token"); // skip 3 in the first page
    host.expect("GET", list_path(3), CannedResponse::json(200, page({"e1"}, "tokA")));
    host.expect("GET", list_path(3, "tokA"), CannedResponse::json(200, page({"e5"})));
    const json second = result_of(run("list_events", std::string("{") + june +
                                                         R"(, "max_results": 3, "page_token": ")" + token + "\"}"),
                                  "ListEventsResult");
    EXPECT_THAT(ids_of(second), ElementsAre("e5"));
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, ListEventsStopsAfterTooManyEmptyPages) {
    for (int i = 0; i < 25; ++i) {
        host.expect("GET", list_path(10, i == 0 ? "" : "t" + std::to_string(i)),
                    CannedResponse::json(200, json({{"items", json::array()},
                                                    {"nextPageToken", "t" + std::to_string(i + 1)}})
                                                  .dump()));
    }
    const json result = result_of(run("list_events", std::string("{") + june + R"(, "max_results": 10})"),
                                  "ListEventsResult");
    EXPECT_TRUE(result.at("events").empty());
    ASSERT_TRUE(result.contains("next_page_token"));
    // The token resumes at the 26th page.
    host.expect("GET", list_path(10, "t25"), CannedResponse::json(200, page({"late"})));
    const json next = result_of(run("list_events", std::string("{") + june + R"(, "max_results": 10, "page_token": ")" +
                                                       result.at("next_page_token").get<std::string>() + "\"}"),
                                "ListEventsResult");
    EXPECT_THAT(ids_of(next), ElementsAre("late"));
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, ListEventsRefusesForeignOrMismatchedTokens) {
    host.expect("GET", list_path(2), CannedResponse::json(200, page({"e1", "e2", "e3"})));
    const json first = result_of(run("list_events", std::string("{") + june + R"(, "max_results": 2})"),
                                 "ListEventsResult");
    const std::string token = first.at("next_page_token");

    const Invocation other_query = run("list_events", std::string("{") + june +
                                                          R"(, "query": "x", "page_token": ")" + token + "\"}");
    EXPECT_EQ(other_query.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(other_query.error_code(), "invalid_page_token");
    EXPECT_NE(other_query.error_message().find("another"), std::string::npos);
    const Invocation foreign = run("list_events", std::string("{") + june + R"(, "page_token": "CiAKGjBpNDd2Nmp2Zml"})");
    EXPECT_EQ(foreign.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(foreign.error_code(), "invalid_page_token") << foreign.error;
    EXPECT_EQ(json::parse(foreign.error).at("field"), "/page_token");
    EXPECT_EQ(host.requests().size(), 1u);
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, ListEventsRefusesBadParams) {
    for (const auto& [params, field] :
         {std::pair{R"({"time_min": "2024-06-01T00:00:00Z"})", "/time_max"},
          std::pair{R"({"time_min": "2024-06-02T00:00:00Z", "time_max": "2024-06-01T00:00:00Z"})", "/time_max"},
          std::pair{R"({"time_min": "2024-06-01T00:00:00Z", "time_max": "2024-06-01T00:00:00Z"})", "/time_max"},
          std::pair{R"({"time_min": "June 1st", "time_max": "2024-06-01T00:00:00Z"})", "/time_min"},
          std::pair{R"({"time_min": "2024-06-01T00:00:00Z", "time_max": "2024-07-01T00:00:00Z", "max_results": 0})", "/max_results"},
          std::pair{R"({"time_min": "2024-06-01T00:00:00Z", "time_max": "2024-07-01T00:00:00Z", "max_results": 2501})", "/max_results"},
          std::pair{R"({"time_min": "2024-06-01T00:00:00Z", "time_max": "2024-07-01T00:00:00Z", "max_results": 2.5})", "/max_results"},
          std::pair{R"({"time_min": "2024-06-01T00:00:00Z", "time_max": "2024-07-01T00:00:00Z", "max_results": "10"})", "/max_results"},
          std::pair{R"({"time_min": "2024-06-01T00:00:00Z", "time_max": "2024-07-01T00:00:00Z", "show_deleted": true})", "/show_deleted"}}) {
        const Invocation call = run("list_events", params);
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << params;
        EXPECT_EQ(json::parse(call.error).value("field", ""), field) << call.error;
    }
    EXPECT_TRUE(host.requests().empty());
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, ListEventsWithAnUnreadablePageIsUnavailable) {
    host.expect("GET", list_path(250), CannedResponse::json(200, R"({"items": {"not": "a list"}})"));
    const Invocation call = run("list_events", std::string("{") + june + "}");
    EXPECT_EQ(call.status, SB_STATUS_UNAVAILABLE);
    EXPECT_EQ(call.error_code(), "invalid_provider_response");
    EXPECT_EQ(problems(), "");
}

} // namespace
} // namespace switchboard::plugins::google_calendar::testing
