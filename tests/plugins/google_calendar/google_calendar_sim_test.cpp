// google_calendar.so against the provider simulator, through the product's PluginLoader and
// outbound HTTP client (tests/plugins/support/plugin_sim_harness.hpp): every action's result,
// checked against calendar.schema.json, and every request the plugin sent, which the
// simulator validates against Google's discovery document (validation_failures() must stay
// empty). Then the error cases the simulator can produce: 429 bursts with Retry-After, 5xx,
// dropped connections, expired, revoked and made-up tokens, missing scopes, 404 and 410.
#include "core/http/beast_http_client.hpp"
#include "core/http/form_encoding.hpp"
#include "tests/plugins/google_calendar/contract_schema.hpp"
#include "tests/plugins/support/plugin_sim_harness.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

namespace switchboard::plugins::google_calendar::testing {
namespace {

using nlohmann::json;
using switchboard::plugin::InvokeOutcome;
using switchboard::sim::FaultRule;
using switchboard::testing::PluginSimHarness;
using switchboard::testing::PluginSimOptions;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

const char* const user = "sim.user@example.com";

// The result definition of each action in calendar.schema.json.
const char* result_definition(std::string_view action) {
    if (action == "delete_event") return "DeleteEventResult";
    if (action == "list_events") return "ListEventsResult";
    if (action == "get_availability") return "GetAvailabilityResult";
    return "Event";
}

class GoogleCalendarSimTest : public ::testing::Test {
protected:
    void SetUp() override { start({}); }

    void start(std::vector<std::string> scopes) {
        PluginSimOptions options;
        options.provider_id = "google_calendar";
        options.user = user;
        options.scopes = std::move(scopes);
        harness.reset(); // the loader refuses a second copy of a library still loaded
        harness = PluginSimHarness::start(std::move(options));
        ASSERT_NE(harness, nullptr);
    }

    // Runs `action`; on success checks the result against the contract and returns it.
    json run(std::string_view action, std::string_view params) {
        last = harness->invoke(action, params);
        if (!last.ok()) return json();
        json result = json::parse(last.json, nullptr, false);
        std::string problems;
        for (const auto& p : contract_problems(result_definition(action), result)) problems += p + "\n";
        EXPECT_EQ(problems, "") << last.json;
        return result;
    }

    // run() that must succeed.
    json ok(std::string_view action, std::string_view params) {
        json result = run(action, params);
        EXPECT_TRUE(last.ok()) << action << " " << params << " -> " << last.json;
        EXPECT_FALSE(last.from_host) << last.json;
        return result;
    }

    std::string error_code() const { return json::parse(last.json, nullptr, false).value("code", ""); }

    // Every request that did not validate against the discovery document, one per line.
    std::string validation_failures() const {
        std::string out;
        for (const auto& r : harness->sim().validation_failures()) {
            out += r.verb + " " + r.path + "?" + r.query + " (" + r.method_id + "):";
            for (const auto& e : r.errors) out += " " + e + ";";
            out += "\n";
        }
        return out;
    }

    // A timed event of 30 minutes on 2024-06-<day> at <hour>:00Z.
    std::string create_params(int day, int hour, const std::string& summary, const std::string& more = "") {
        char start[32];
        char end[32];
        std::snprintf(start, sizeof start, "2024-06-%02dT%02d:00:00Z", day, hour);
        std::snprintf(end, sizeof end, "2024-06-%02dT%02d:30:00Z", day, hour);
        return std::string(R"({"summary": ")") + summary + R"(", "start": {"date_time": ")" + start +
               R"("}, "end": {"date_time": ")" + end + "\"}" + more + "}";
    }

    std::unique_ptr<PluginSimHarness> harness;
    InvokeOutcome last;
};

// --- create_event ----------------------------------------------------------------------------

TEST_F(GoogleCalendarSimTest, CreateEventWithAttendeesAndMeet) {
    const json event = ok("create_event", R"({
        "summary": "Design review", "description": "Agenda attached", "location": "Room 4",
        "start": {"date_time": "2024-06-04T09:00:00+02:00", "time_zone": "Europe/Paris"},
        "end": {"date_time": "2024-06-04T10:00:00+02:00", "time_zone": "Europe/Paris"},
        "attendees": [{"email": "bo@example.org", "name": "Bo", "optional": true},
                      {"email": "cy@example.org"}],
        "video_conference": true, "send_updates": "all"})");
    EXPECT_FALSE(event.value("id", "").empty());
    EXPECT_EQ(event.at("calendar_id"), "primary");
    EXPECT_EQ(event.at("summary"), "Design review");
    EXPECT_EQ(event.at("start"), json::parse(R"({"date_time": "2024-06-04T09:00:00+02:00", "time_zone": "Europe/Paris"})"));
    EXPECT_EQ(event.at("attendees").size(), 2u);
    EXPECT_EQ(event.at("attendees").at(0), json::parse(R"({"email": "bo@example.org", "name": "Bo",
        "optional": true, "response_status": "needs_action"})"));
    EXPECT_EQ(event.at("organizer").at("email"), user);
    EXPECT_TRUE(event.value("video_conference_link", "").starts_with("https://meet.google.com/")) << event;
    EXPECT_EQ(event.at("status"), "confirmed");
    ASSERT_EQ(harness->last_requests().size(), 1u);
    EXPECT_EQ(harness->last_requests()[0].path,
              "/calendar/v3/calendars/primary/events?conferenceDataVersion=1&sendUpdates=all");
    EXPECT_EQ(harness->sim().calls("calendar.events.insert"), 1u);
    EXPECT_EQ(validation_failures(), "");
}

TEST_F(GoogleCalendarSimTest, EachMeetRequestGetsItsOwnConference) {
    const json a = ok("create_event", create_params(4, 9, "A", R"(, "video_conference": true)"));
    const json b = ok("create_event", create_params(4, 10, "B", R"(, "video_conference": true)"));
    // The simulator ignores a repeated requestId, as Google does: two links prove two ids.
    ASSERT_TRUE(a.contains("video_conference_link") && b.contains("video_conference_link"));
    EXPECT_NE(a.at("video_conference_link"), b.at("video_conference_link"));
    EXPECT_EQ(validation_failures(), "");
}

TEST_F(GoogleCalendarSimTest, CreateAllDayEventInTheAccountsCalendarByAddress) {
    const json event = ok("create_event", R"({"calendar_id": "sim.user@example.com", "summary": "Offsite",
        "start": {"date": "2024-06-10"}, "end": {"date": "2024-06-12"}, "send_updates": "none"})");
    EXPECT_EQ(event.at("start"), json({{"date", "2024-06-10"}}));
    EXPECT_EQ(event.at("end"), json({{"date", "2024-06-12"}}));
    EXPECT_EQ(event.at("calendar_id"), user);
    EXPECT_FALSE(event.contains("video_conference_link"));
    EXPECT_EQ(harness->last_requests()[0].path,
              "/calendar/v3/calendars/sim.user%40example.com/events?sendUpdates=none");
    EXPECT_EQ(validation_failures(), "");
}

TEST_F(GoogleCalendarSimTest, CreateEventInACalendarOfAnotherAccountIsNotFound) {
    run("create_event", R"({"calendar_id": "someone.else@example.com", "summary": "S",
        "start": {"date": "2024-06-10"}, "end": {"date": "2024-06-11"}})");
    EXPECT_EQ(last.status, SB_STATUS_NOT_FOUND) << last.json;
    EXPECT_EQ(error_code(), "not_found");
    EXPECT_EQ(validation_failures(), "");
}

// --- update_event ----------------------------------------------------------------------------

TEST_F(GoogleCalendarSimTest, UpdateEventPatchesFieldsAndKeepsTheRest) {
    const json created = ok("create_event", create_params(5, 9, "Draft", R"(, "location": "Room 1",
        "attendees": [{"email": "bo@example.org"}])"));
    const std::string id = created.at("id");
    const json updated = ok("update_event", R"({"event_id": ")" + id + R"(", "summary": "Final",
        "attendees": [{"email": "dee@example.org", "name": "Dee"}]})");
    EXPECT_EQ(updated.at("id"), id);
    EXPECT_EQ(updated.at("summary"), "Final");
    EXPECT_EQ(updated.at("location"), "Room 1"); // kept: absent from the patch
    EXPECT_EQ(updated.at("start"), created.at("start"));
    ASSERT_EQ(updated.at("attendees").size(), 1u); // a patch replaces the whole list
    EXPECT_EQ(updated.at("attendees").at(0).at("email"), "dee@example.org");
    EXPECT_EQ(harness->sim().calls("calendar.events.patch"), 1u);
    EXPECT_EQ(validation_failures(), "");
}

TEST_F(GoogleCalendarSimTest, UpdateEventBetweenTimedAndAllDay) {
    const json created = ok("create_event", create_params(6, 9, "Workshop"));
    const std::string id = created.at("id");
    const json all_day = ok("update_event", R"({"event_id": ")" + id + R"(",
        "start": {"date": "2024-06-07"}, "end": {"date": "2024-06-08"}})");
    EXPECT_EQ(all_day.at("start"), json({{"date", "2024-06-07"}}));
    EXPECT_EQ(all_day.at("end"), json({{"date", "2024-06-08"}}));
    const json timed = ok("update_event", R"({"event_id": ")" + id + R"(",
        "start": {"date_time": "2024-06-07T13:00:00+02:00", "time_zone": "Europe/Berlin"},
        "end": {"date_time": "2024-06-07T14:00:00+02:00", "time_zone": "Europe/Berlin"}})");
    EXPECT_EQ(timed.at("start"), json::parse(R"({"date_time": "2024-06-07T13:00:00+02:00", "time_zone": "Europe/Berlin"})"));
    EXPECT_EQ(validation_failures(), "");
}

TEST_F(GoogleCalendarSimTest, UpdateEventAddsAConference) {
    const json created = ok("create_event", create_params(7, 9, "Call"));
    EXPECT_FALSE(created.contains("video_conference_link"));
    const std::string id = created.at("id");
    const json with_meet = ok("update_event", R"({"event_id": ")" + id + R"(", "video_conference": true})");
    EXPECT_TRUE(with_meet.value("video_conference_link", "").starts_with("https://meet.google.com/")) << with_meet;
    EXPECT_EQ(harness->last_requests()[0].path,
              "/calendar/v3/calendars/primary/events/" + id + "?conferenceDataVersion=1");
    EXPECT_EQ(validation_failures(), "");
}

TEST_F(GoogleCalendarSimTest, UpdateEventRemovesTheConference) {
    const json created = ok("create_event", create_params(7, 11, "Call", R"(, "video_conference": true)"));
    ASSERT_TRUE(created.contains("video_conference_link"));
    const std::string id = created.at("id");
    ok("update_event", R"({"event_id": ")" + id + R"(", "video_conference": false})");
    // The patch {"conferenceData": null} with conferenceDataVersion=1 validates and removes the
    // conference data. The simulator keeps the event's read-only hangoutLink after that (its
    // merge patch strips hangoutLink from the request but never derives it again), so the
    // result still shows the old link there; Google derives hangoutLink from the conference.
    ASSERT_EQ(harness->last_requests().size(), 1u);
    EXPECT_EQ(harness->last_requests()[0].body, R"({"conferenceData":null})");
    EXPECT_EQ(validation_failures(), "");
}

TEST_F(GoogleCalendarSimTest, UpdateOfAMissingEventIsNotFound) {
    run("update_event", R"({"event_id": "doesnotexist0", "summary": "S"})");
    EXPECT_EQ(last.status, SB_STATUS_NOT_FOUND) << last.json;
    EXPECT_EQ(error_code(), "not_found");
    EXPECT_EQ(validation_failures(), "");
}

TEST_F(GoogleCalendarSimTest, UpdateThatGoogleRefusesIsInvalidInputWithGooglesMessage) {
    const json created = ok("create_event", create_params(8, 9, "Timed"));
    // Only the end moves, to before the start: the plugin cannot see it, Google refuses it
    // (400 timeRangeEmpty).
    run("update_event", R"({"event_id": ")" + created.at("id").get<std::string>() +
                            R"(", "end": {"date_time": "2024-06-08T08:00:00Z"}})");
    EXPECT_EQ(last.status, SB_STATUS_INVALID_INPUT) << last.json;
    EXPECT_EQ(error_code(), "provider_rejected_request");
    EXPECT_NE(last.json.find("Google: The specified time range is empty."), std::string::npos) << last.json;
    EXPECT_EQ(validation_failures(), "");
}

// --- delete_event ----------------------------------------------------------------------------

TEST_F(GoogleCalendarSimTest, DeleteEventThenAgainIsNotFound) {
    const json created = ok("create_event", create_params(10, 9, "Gone soon"));
    const std::string id = created.at("id");
    const json deleted = ok("delete_event", R"({"event_id": ")" + id + R"(", "send_updates": "all"})");
    EXPECT_EQ(deleted, json({{"deleted", true}, {"event_id", id}}));
    // Deleted events leave the listing.
    const json listed = ok("list_events", R"({"time_min": "2024-06-10T00:00:00Z", "time_max": "2024-06-11T00:00:00Z"})");
    EXPECT_TRUE(listed.at("events").empty()) << listed;
    // Google answers 410 for an event already deleted, 404 for one that never was.
    run("delete_event", R"({"event_id": ")" + id + R"("})");
    EXPECT_EQ(last.status, SB_STATUS_NOT_FOUND) << last.json;
    run("delete_event", R"({"event_id": "neverexisted0"})");
    EXPECT_EQ(last.status, SB_STATUS_NOT_FOUND) << last.json;
    EXPECT_EQ(harness->sim().calls("calendar.events.delete"), 3u);
    EXPECT_EQ(validation_failures(), "");
}

// --- list_events -----------------------------------------------------------------------------

TEST_F(GoogleCalendarSimTest, ListEventsWalksEveryPageInStartOrder) {
    // Created out of order; two outside the range.
    std::vector<std::string> expected;
    for (const int day : {14, 3, 9, 21, 1, 17, 5, 27}) {
        ok("create_event", create_params(day, 10, "Day " + std::to_string(day)));
    }
    ok("create_event", R"({"summary": "May", "start": {"date_time": "2024-05-30T10:00:00Z"}, "end": {"date_time": "2024-05-30T11:00:00Z"}})");
    ok("create_event", R"({"summary": "July", "start": {"date_time": "2024-07-02T10:00:00Z"}, "end": {"date_time": "2024-07-02T11:00:00Z"}})");
    for (const int day : {1, 3, 5, 9, 14, 17, 21, 27}) expected.push_back("Day " + std::to_string(day));

    std::vector<std::string> seen;
    std::string token;
    int calls = 0;
    do {
        std::string params = R"({"time_min": "2024-06-01T00:00:00Z", "time_max": "2024-07-01T00:00:00Z", "max_results": 3)";
        if (!token.empty()) params += R"(, "page_token": ")" + token + "\"";
        const json page = ok("list_events", params + "}");
        ASSERT_TRUE(last.ok());
        EXPECT_LE(page.at("events").size(), 3u);
        for (const auto& e : page.at("events")) seen.push_back(e.at("summary"));
        token = page.value("next_page_token", "");
        ASSERT_LT(++calls, 10);
    } while (!token.empty());
    EXPECT_THAT(seen, ElementsAreArray(expected));
    EXPECT_EQ(validation_failures(), "");
}

TEST_F(GoogleCalendarSimTest, ListEventsAcrossProviderPagesInOneCall) {
    for (int day = 1; day <= 12; ++day) ok("create_event", create_params(day, 8, "E" + std::to_string(day)));
    // max_results 12 with the simulator's pages of 12: one call, one request, no token.
    const json all = ok("list_events", R"({"time_min": "2024-06-01T00:00:00Z", "time_max": "2024-07-01T00:00:00Z", "max_results": 12})");
    EXPECT_EQ(all.at("events").size(), 12u);
    EXPECT_FALSE(all.contains("next_page_token"));
    // max_results 5: the token after 5 resumes at the 6th, whatever max_results comes next.
    const json first = ok("list_events", R"({"time_min": "2024-06-01T00:00:00Z", "time_max": "2024-07-01T00:00:00Z", "max_results": 5})");
    ASSERT_TRUE(first.contains("next_page_token"));
    const json rest = ok("list_events", R"({"time_min": "2024-06-01T00:00:00Z", "time_max": "2024-07-01T00:00:00Z", "max_results": 100, "page_token": ")" +
                                            first.at("next_page_token").get<std::string>() + "\"}");
    std::vector<std::string> names;
    for (const auto& e : first.at("events")) names.push_back(e.at("summary"));
    for (const auto& e : rest.at("events")) names.push_back(e.at("summary"));
    std::vector<std::string> expected;
    for (int day = 1; day <= 12; ++day) expected.push_back("E" + std::to_string(day));
    EXPECT_THAT(names, ElementsAreArray(expected));
    EXPECT_FALSE(rest.contains("next_page_token"));
    // The continuation walked the simulator's pages of 5: 5..9, 10..12.
    EXPECT_EQ(harness->last_requests().size(), 2u);
    EXPECT_EQ(validation_failures(), "");
}

TEST_F(GoogleCalendarSimTest, ListEventsFiltersByText) {
    ok("create_event", create_params(3, 9, "Team sync"));
    ok("create_event", create_params(3, 11, "Lunch"));
    ok("create_event", create_params(4, 9, "Budget", R"(, "description": "sync with finance")"));
    const json found = ok("list_events", R"({"time_min": "2024-06-01T00:00:00Z", "time_max": "2024-07-01T00:00:00Z", "query": "sync"})");
    std::vector<std::string> names;
    for (const auto& e : found.at("events")) names.push_back(e.at("summary"));
    EXPECT_THAT(names, ElementsAre("Team sync", "Budget"));
    EXPECT_EQ(validation_failures(), "");
}

TEST_F(GoogleCalendarSimTest, ListEventsRefusesATokenOfAnotherQuery) {
    for (int day = 1; day <= 3; ++day) ok("create_event", create_params(day, 8, "E"));
    const json first = ok("list_events", R"({"time_min": "2024-06-01T00:00:00Z", "time_max": "2024-07-01T00:00:00Z", "max_results": 2})");
    run("list_events", R"({"time_min": "2024-06-02T00:00:00Z", "time_max": "2024-07-01T00:00:00Z", "page_token": ")" +
                           first.at("next_page_token").get<std::string>() + "\"}");
    EXPECT_EQ(last.status, SB_STATUS_INVALID_INPUT);
    EXPECT_EQ(error_code(), "invalid_page_token");
    EXPECT_TRUE(harness->last_requests().empty());
}

// --- get_availability ------------------------------------------------------------------------

TEST_F(GoogleCalendarSimTest, GetAvailabilityMergesCalendarsWithinWorkingHours) {
    // The account's own events (Paris time, June: UTC+2).
    ok("create_event", R"({"summary": "Standup", "start": {"date_time": "2024-06-03T09:00:00+02:00"}, "end": {"date_time": "2024-06-03T09:30:00+02:00"}})");
    ok("create_event", R"({"summary": "Review", "start": {"date_time": "2024-06-03T14:00:00+02:00"}, "end": {"date_time": "2024-06-03T15:00:00+02:00"}})");
    // A colleague's calendar, overlapping and touching the account's busy times.
    const std::string colleague = "colleague@example.com";
    const std::string own_token = harness->access_token();
    harness->set_access_token(harness->sim().issue_tokens(switchboard::sim::Provider::google, colleague,
                                                          {"https://www.googleapis.com/auth/calendar"}).access_token);
    ok("create_event", R"({"summary": "1:1", "start": {"date_time": "2024-06-03T09:30:00+02:00"}, "end": {"date_time": "2024-06-03T10:30:00+02:00"}})");
    ok("create_event", R"({"summary": "Talk", "start": {"date_time": "2024-06-03T14:30:00+02:00"}, "end": {"date_time": "2024-06-03T16:00:00+02:00"}})");
    harness->set_access_token(own_token);

    const json availability = ok("get_availability", R"({
        "time_min": "2024-06-03T00:00:00+02:00", "time_max": "2024-06-04T00:00:00+02:00",
        "duration_minutes": 60, "calendar_ids": ["primary", "colleague@example.com"],
        "working_hours": {"start": "09:00", "end": "17:00", "time_zone": "Europe/Paris"}})");
    EXPECT_EQ(availability.at("busy"), json::parse(R"([
        {"start": "2024-06-03T09:00:00+02:00", "end": "2024-06-03T10:30:00+02:00"},
        {"start": "2024-06-03T14:00:00+02:00", "end": "2024-06-03T16:00:00+02:00"}])"));
    EXPECT_EQ(availability.at("free_slots"), json::parse(R"([
        {"start": "2024-06-03T10:30:00+02:00", "end": "2024-06-03T14:00:00+02:00"},
        {"start": "2024-06-03T16:00:00+02:00", "end": "2024-06-03T17:00:00+02:00"}])"));
    EXPECT_EQ(harness->sim().calls("calendar.freebusy.query"), 1u);
    EXPECT_EQ(validation_failures(), "");
}

TEST_F(GoogleCalendarSimTest, GetAvailabilityAcrossADaylightSavingChange) {
    // Berlin: CET until 2024-03-31 02:00, CEST after. One meeting each side of the change.
    ok("create_event", R"({"summary": "Sat", "start": {"date_time": "2024-03-29T10:00:00+01:00"}, "end": {"date_time": "2024-03-29T11:00:00+01:00"}})");
    ok("create_event", R"({"summary": "Mon", "start": {"date_time": "2024-04-01T10:00:00+02:00"}, "end": {"date_time": "2024-04-01T11:00:00+02:00"}})");
    const json availability = ok("get_availability", R"({
        "time_min": "2024-03-29T00:00:00Z", "time_max": "2024-04-02T00:00:00Z", "duration_minutes": 30,
        "working_hours": {"start": "09:00", "end": "12:00", "time_zone": "Europe/Berlin"}})");
    EXPECT_EQ(availability.at("free_slots"), json::parse(R"([
        {"start": "2024-03-29T09:00:00+01:00", "end": "2024-03-29T10:00:00+01:00"},
        {"start": "2024-03-29T11:00:00+01:00", "end": "2024-03-29T12:00:00+01:00"},
        {"start": "2024-04-01T09:00:00+02:00", "end": "2024-04-01T10:00:00+02:00"},
        {"start": "2024-04-01T11:00:00+02:00", "end": "2024-04-01T12:00:00+02:00"}])"));
    EXPECT_EQ(validation_failures(), "");
}

TEST_F(GoogleCalendarSimTest, GetAvailabilityOfAnUnknownCalendarIsNotFound) {
    run("get_availability", R"({"time_min": "2024-06-03T00:00:00Z", "time_max": "2024-06-04T00:00:00Z",
        "duration_minutes": 30, "calendar_ids": ["primary", "nobody@example.com"]})");
    EXPECT_EQ(last.status, SB_STATUS_NOT_FOUND) << last.json;
    EXPECT_NE(last.json.find("nobody@example.com"), std::string::npos);
    EXPECT_EQ(validation_failures(), "");
}

// --- errors the simulator produces ------------------------------------------------------------

const char* const list_june = R"({"time_min": "2024-06-01T00:00:00Z", "time_max": "2024-07-01T00:00:00Z"})";

TEST_F(GoogleCalendarSimTest, AShort429BurstIsRetriedByTheHost) {
    FaultRule burst;
    burst.prefix = "/www.googleapis.com/calendar/";
    burst.status = 429;
    burst.count = 2;
    burst.retry_after_seconds = 0;
    harness->sim().add_fault(burst);
    ok("list_events", list_june);
    EXPECT_EQ(harness->sim().faults_hit(), 2u);
    EXPECT_EQ(harness->sim().calls("calendar.events.list"), 3u);
    EXPECT_EQ(validation_failures(), "");
}

TEST_F(GoogleCalendarSimTest, ALasting429IsRateLimitedWithRetryAfter) {
    FaultRule limit;
    limit.prefix = "/www.googleapis.com/calendar/";
    limit.status = 429;
    limit.retry_after_seconds = 0;
    harness->sim().add_fault(limit);
    run("list_events", list_june);
    EXPECT_EQ(last.status, SB_STATUS_RATE_LIMITED) << last.json;
    EXPECT_EQ(error_code(), "rate_limited");
    EXPECT_EQ(json::parse(last.json).at("details").at("retry_after_seconds"), 0) << last.json;
}

TEST_F(GoogleCalendarSimTest, ServerErrorsAreRetriedThenUnavailable) {
    // The host retries a GET after a 5xx ...
    FaultRule once;
    once.prefix = "/www.googleapis.com/calendar/v3/calendars/";
    once.status = 500;
    once.count = 1;
    harness->sim().add_fault(once);
    ok("list_events", list_june);
    EXPECT_EQ(harness->sim().calls("calendar.events.list"), 2u);
    // ... but not a POST (not idempotent for the host, even freeBusy's read-only query).
    FaultRule post;
    post.prefix = "/www.googleapis.com/calendar/v3/freeBusy";
    post.status = 500;
    post.count = 1;
    harness->sim().add_fault(post);
    run("get_availability", R"({"time_min": "2024-06-03T00:00:00Z", "time_max": "2024-06-04T00:00:00Z", "duration_minutes": 30})");
    EXPECT_EQ(last.status, SB_STATUS_UNAVAILABLE) << last.json;
    EXPECT_EQ(error_code(), "provider_unavailable");

    FaultRule down;
    down.prefix = "/www.googleapis.com/calendar/";
    down.status = 503;
    harness->sim().add_fault(down);
    for (const auto& [action, params] :
         {std::pair{"list_events", list_june},
          std::pair{"create_event", R"({"summary": "S", "start": {"date": "2024-06-10"}, "end": {"date": "2024-06-11"}})"},
          std::pair{"update_event", R"({"event_id": "abcde12345", "summary": "S"})"},
          std::pair{"delete_event", R"({"event_id": "abcde12345"})"}}) {
        run(action, params);
        EXPECT_EQ(last.status, SB_STATUS_UNAVAILABLE) << action << ": " << last.json;
        EXPECT_EQ(error_code(), "provider_unavailable") << action;
    }
}

TEST_F(GoogleCalendarSimTest, ADroppedConnectionIsUnavailable) {
    FaultRule drop;
    drop.kind = FaultRule::Kind::drop;
    drop.prefix = "/www.googleapis.com/calendar/";
    harness->sim().add_fault(drop);
    run("list_events", list_june);
    EXPECT_EQ(last.status, SB_STATUS_UNAVAILABLE) << last.json;
    EXPECT_EQ(error_code(), "provider_unreachable") << last.json;
}

TEST_F(GoogleCalendarSimTest, ExpiredRevokedAndUnknownTokensAreAuthErrors) {
    // The harness does not refresh (the host does, then retries once): a 401 reaches the plugin.
    harness->sim().expire_access_tokens();
    run("list_events", list_june);
    EXPECT_EQ(last.status, SB_STATUS_AUTH) << last.json;
    EXPECT_EQ(error_code(), "unauthorized");

    // The user revokes the app at Google (POST oauth2.googleapis.com/revoke ends the grant).
    start({});
    {
        http::BeastHttpClientOptions options;
        options.allow_plain_http_loopback = true;
        auto client = http::BeastHttpClient::create(options);
        ASSERT_TRUE(client);
        http::HttpRequest revoke;
        revoke.method = "POST";
        revoke.url = harness->sim().url("oauth2.googleapis.com/revoke");
        revoke.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
        revoke.body = http::encode_form({{"token", harness->access_token()}});
        const auto answer = (*client)->send(revoke, {});
        ASSERT_TRUE(answer);
        ASSERT_EQ(answer->status, 200) << answer->body;
    }
    run("create_event", R"({"summary": "S", "start": {"date": "2024-06-10"}, "end": {"date": "2024-06-11"}})");
    EXPECT_EQ(last.status, SB_STATUS_AUTH) << last.json;
    EXPECT_EQ(error_code(), "unauthorized");

    harness->set_access_token("ya29.made-up");
    run("get_availability", R"({"time_min": "2024-06-03T00:00:00Z", "time_max": "2024-06-04T00:00:00Z", "duration_minutes": 30})");
    EXPECT_EQ(last.status, SB_STATUS_AUTH) << last.json;
    EXPECT_EQ(error_code(), "unauthorized");
}

TEST_F(GoogleCalendarSimTest, AReadOnlyGrantCannotWrite) {
    start({"https://www.googleapis.com/auth/calendar.readonly"});
    ok("list_events", list_june);
    run("create_event", R"({"summary": "S", "start": {"date": "2024-06-10"}, "end": {"date": "2024-06-11"}})");
    EXPECT_EQ(last.status, SB_STATUS_AUTH) << last.json;
    EXPECT_EQ(error_code(), "forbidden");
    EXPECT_NE(last.json.find("insufficient"), std::string::npos) << last.json;
}

} // namespace
} // namespace switchboard::plugins::google_calendar::testing
