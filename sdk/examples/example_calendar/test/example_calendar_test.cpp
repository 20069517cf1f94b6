// Unit tests of example_calendar.so with the SDK's fake host: canned answers of the
// calendar service, and checks of what the plugin sent and returned through the C ABI.
#include <switchboard/testing/fake_host.hpp>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iterator>
#include <string>
#include <utility>

namespace {

using nlohmann::json;
using namespace switchboard::sdk::testing;

class ExampleCalendarTest : public ::testing::Test {
protected:
    void SetUp() override { ASSERT_EQ(plugin.init(), SB_STATUS_OK) << problems(); }

    // Every ABI breach and every unexpected or missing request, one per line.
    std::string problems() const {
        std::string out;
        for (const auto& p : plugin.problems()) out += p + "\n";
        return out;
    }

    FakeHost host; // declared first: it must outlive the plugin
    PluginUnderTest plugin{std::filesystem::path(EXAMPLE_CALENDAR_LIBRARY), host};
};

// list_events params for the first week of June 2024, plus the members in `more`.
std::string week_params(const std::string& more = "") {
    return R"({"time_min":"2024-06-03T00:00:00Z","time_max":"2024-06-08T00:00:00Z")" + more + "}";
}

TEST_F(ExampleCalendarTest, DescribesItsProvider) {
    const auto providers = plugin.providers();
    ASSERT_EQ(providers.size(), 1u);
    EXPECT_EQ(providers[0].id, "example_calendar");
    EXPECT_EQ(providers[0].category, "calendar");
    EXPECT_EQ(providers[0].api_base_url, "https://calendar.example.com/api");
    EXPECT_EQ(providers[0].actions, (std::vector<std::string>{"list_events", "create_event"}));
    EXPECT_TRUE(plugin.problems().empty()) << problems();
}

TEST_F(ExampleCalendarTest, ListEventsMapsTheRequestAndThePage) {
    host.expect("GET",
                "/v1/calendars/primary/events?from=2024-06-03T00%3A00%3A00Z"
                "&to=2024-06-08T00%3A00%3A00Z&q=team%20sync&limit=10",
                CannedResponse::json(200, R"({
                    "items": [{"id": "ev1", "title": "Team sync", "status": "confirmed",
                               "start": {"at": "2024-06-04T09:00:00+02:00", "tz": "Europe/Paris"},
                               "end": {"at": "2024-06-04T09:30:00+02:00", "tz": "Europe/Paris"},
                               "guests": [{"email": "ana@example.org", "rsvp": "yes"}]}],
                    "next_cursor": "page-2"})"));
    auto connector = plugin.connect("example_calendar");
    ASSERT_EQ(connector.status(), SB_STATUS_OK);

    const Invocation call = connector.invoke(
        "list_events", week_params(R"(,"query":"team sync","max_results":10)"));

    ASSERT_EQ(call.status, SB_STATUS_OK) << call.error;
    const json result = json::parse(call.result);
    EXPECT_EQ(result.at("next_page_token"), "page-2");
    ASSERT_EQ(result.at("events").size(), 1u);
    const json& event = result.at("events").at(0);
    EXPECT_EQ(event.at("id"), "ev1");
    EXPECT_EQ(event.at("summary"), "Team sync");
    EXPECT_EQ(event.at("start"),
              json({{"date_time", "2024-06-04T09:00:00+02:00"}, {"time_zone", "Europe/Paris"}}));
    EXPECT_EQ(event.at("attendees").at(0).at("response_status"), "accepted");
    EXPECT_TRUE(plugin.problems().empty()) << problems();
}

TEST_F(ExampleCalendarTest, CreateEventPostsTheApiShape) {
    host.expect("POST", "/v1/calendars/team%40example.com/events",
                CannedResponse::json(201, R"({
                    "id": "ev9", "title": "Launch", "status": "confirmed",
                    "start": {"day": "2024-06-10"}, "end": {"day": "2024-06-11"},
                    "link": "https://calendar.example.com/e/ev9"})"));
    auto connector = plugin.connect("example_calendar");

    const Invocation call = connector.invoke("create_event", R"({
        "calendar_id": "team@example.com", "summary": "Launch",
        "start": {"date": "2024-06-10"}, "end": {"date": "2024-06-11"},
        "attendees": [{"email": "bo@example.org", "optional": true}],
        "send_updates": "external_only"})");

    ASSERT_EQ(call.status, SB_STATUS_OK) << call.error;
    const auto requests = host.requests();
    ASSERT_EQ(requests.size(), 1u);
    ASSERT_NE(requests[0].header("content-type"), nullptr);
    EXPECT_EQ(*requests[0].header("content-type"), "application/json");
    const json sent = json::parse(requests[0].body);
    EXPECT_EQ(sent.at("title"), "Launch");
    EXPECT_EQ(sent.at("start"), json({{"day", "2024-06-10"}}));
    EXPECT_EQ(sent.at("guests"), json::parse(R"([{"email":"bo@example.org","optional":true}])"));
    EXPECT_EQ(sent.at("notify"), "external");
    const json event = json::parse(call.result);
    EXPECT_EQ(event.at("id"), "ev9");
    EXPECT_EQ(event.at("calendar_id"), "team@example.com");
    EXPECT_EQ(event.at("html_link"), "https://calendar.example.com/e/ev9");
    EXPECT_TRUE(plugin.problems().empty()) << problems();
}

TEST_F(ExampleCalendarTest, MapsProviderFailuresToStatuses) {
    struct Case {
        int http_status;
        sb_status status;
        const char* code;
    };
    const Case cases[] = {{404, SB_STATUS_NOT_FOUND, "not_found"},
                          {401, SB_STATUS_AUTH, "unauthorized"},
                          {429, SB_STATUS_RATE_LIMITED, "rate_limited"},
                          {503, SB_STATUS_UNAVAILABLE, "provider_unavailable"}};
    auto connector = plugin.connect("example_calendar");
    for (const Case& c : cases) {
        host.expect_prefix("GET", "/v1/calendars/primary/events?",
                           CannedResponse::json(c.http_status, R"({"error":"nope"})"));
        const Invocation call = connector.invoke("list_events", week_params());
        EXPECT_EQ(call.status, c.status) << "HTTP " << c.http_status;
        EXPECT_EQ(call.error_code(), c.code) << "HTTP " << c.http_status;
    }
    EXPECT_TRUE(plugin.problems().empty()) << problems();
}

TEST_F(ExampleCalendarTest, PassesOnRetryAfter) {
    host.expect_prefix("GET", "/v1/calendars/primary/events?",
                       CannedResponse::json(429, "{}").with_header("Retry-After", "30"));
    const Invocation call =
        plugin.connect("example_calendar").invoke("list_events", week_params());
    EXPECT_EQ(call.status, SB_STATUS_RATE_LIMITED);
    EXPECT_EQ(json::parse(call.error).at("details").at("retry_after_seconds"), 30);
}

TEST_F(ExampleCalendarTest, UnreadableAnswerIsUnavailable) {
    host.expect_prefix("GET", "/v1/calendars/primary/events?", CannedResponse::json(200, "<html>"));
    const Invocation call =
        plugin.connect("example_calendar").invoke("list_events", week_params());
    EXPECT_EQ(call.status, SB_STATUS_UNAVAILABLE);
    EXPECT_EQ(call.error_code(), "invalid_provider_response");
    EXPECT_TRUE(plugin.problems().empty()) << problems();
}

TEST_F(ExampleCalendarTest, BadParamsAreRefusedWithTheFieldBeforeAnyRequest) {
    const std::pair<const char*, const char*> cases[] = {
        {"list_events", R"({"time_max":"2024-06-08T00:00:00Z"})"},
        {"list_events", R"({"time_min":"2024-06-03","time_max":"2024-06-08T00:00:00Z"})"},
        {"create_event", R"({"summary":"x","start":{"date":"2024-06-10"},"end":{}})"},
        {"create_event", R"({"summary":"x","start":{"date":"2024-06-10"},"end":{"date":"2024-06-11"},
                             "attendees":[{"email":"not-an-address"}]})"},
    };
    const char* fields[] = {"/time_min", "/time_min", "/end", "/attendees/0/email"};
    for (std::size_t i = 0; i < std::size(cases); ++i) {
        const Invocation call = plugin.connect("example_calendar").invoke(cases[i].first, cases[i].second);
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << cases[i].second;
        EXPECT_EQ(call.error_code(), "invalid_params") << cases[i].second;
        EXPECT_EQ(json::parse(call.error).value("field", ""), fields[i]) << cases[i].second;
    }
    EXPECT_TRUE(host.requests().empty());
    EXPECT_TRUE(plugin.problems().empty()) << problems();
}

TEST_F(ExampleCalendarTest, OtherActionsAreUnsupported) {
    const Invocation call = plugin.connect("example_calendar")
                                .invoke("delete_event", R"({"event_id":"ev1"})");
    EXPECT_EQ(call.status, SB_STATUS_UNSUPPORTED);
    EXPECT_EQ(call.error_code(), "unsupported_action");
    EXPECT_TRUE(host.requests().empty());
    EXPECT_TRUE(plugin.problems().empty()) << problems();
}

} // namespace
