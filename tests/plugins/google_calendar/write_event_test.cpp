// create_event and update_event through the fake host: the exact request (method, path,
// query, body), the result against the contract, and the request against the discovery
// document.
#include "tests/plugins/google_calendar/plugin_fixture.hpp"

#include <gmock/gmock.h>

#include <regex>

namespace switchboard::plugins::google_calendar::testing {
namespace {

using nlohmann::json;

const std::regex uuid_v4("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");

// --- create_event ----------------------------------------------------------------------------

TEST_F(GoogleCalendarTest, CreateEventPostsTheEventResource) {
    host.expect("POST", "/calendar/v3/calendars/primary/events",
                CannedResponse::json(200, google_event("ev1", json::parse(R"({
                    "summary": "Design review", "description": "Agenda", "location": "Room 4",
                    "attendees": [{"email": "bo@example.org", "displayName": "Bo",
                                   "optional": true, "responseStatus": "needsAction"}]})"))
                                              .dump()));
    const Invocation call = run("create_event", R"({
        "summary": "Design review", "description": "Agenda", "location": "Room 4",
        "start": {"date_time": "2024-06-04T09:00:00+02:00", "time_zone": "Europe/Paris"},
        "end": {"date_time": "2024-06-04T10:00:00+02:00", "time_zone": "Europe/Paris"},
        "attendees": [{"email": "bo@example.org", "name": "Bo", "optional": true},
                      {"email": "cy@example.org"}]})");
    const json result = result_of(call, "Event");
    EXPECT_EQ(body_of(0), json::parse(R"({
        "summary": "Design review", "description": "Agenda", "location": "Room 4",
        "start": {"dateTime": "2024-06-04T09:00:00+02:00", "timeZone": "Europe/Paris"},
        "end": {"dateTime": "2024-06-04T10:00:00+02:00", "timeZone": "Europe/Paris"},
        "attendees": [{"email": "bo@example.org", "displayName": "Bo", "optional": true},
                      {"email": "cy@example.org"}]})"));
    EXPECT_EQ(result.at("id"), "ev1");
    EXPECT_EQ(result.at("calendar_id"), "primary");
    EXPECT_EQ(result.at("summary"), "Design review");
    EXPECT_EQ(result.at("attendees").at(0).at("response_status"), "needs_action");
    EXPECT_FALSE(result.contains("video_conference_link"));
    EXPECT_EQ(discovery_problems({"calendar.events.insert"}), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, CreateEventInANamedCalendarWithSendUpdates) {
    host.expect("POST", "/calendar/v3/calendars/team%40example.com/events?sendUpdates=externalOnly",
                CannedResponse::json(200, google_event("ev2").dump()));
    const Invocation call = run("create_event", R"({"calendar_id": "team@example.com",
        "summary": "Sync", "send_updates": "external_only",
        "start": {"date_time": "2024-06-04T09:00:00Z"}, "end": {"date_time": "2024-06-04T09:30:00Z"}})");
    const json result = result_of(call, "Event");
    EXPECT_EQ(result.at("calendar_id"), "team@example.com");
    EXPECT_EQ(body_of(0), json::parse(R"({"summary": "Sync",
        "start": {"dateTime": "2024-06-04T09:00:00Z"}, "end": {"dateTime": "2024-06-04T09:30:00Z"}})"));
    EXPECT_EQ(discovery_problems({"calendar.events.insert"}), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, CreateEventSendUpdatesValues) {
    for (const auto& [contract, api] : {std::pair{"all", "all"}, std::pair{"none", "none"}}) {
        host.expect("POST", std::string("/calendar/v3/calendars/primary/events?sendUpdates=") + api,
                    CannedResponse::json(200, google_event("ev").dump()));
        const Invocation call = run("create_event", std::string(R"({"summary": "S", "send_updates": ")") +
                                                        contract + R"(",
            "start": {"date": "2024-06-10"}, "end": {"date": "2024-06-11"}})");
        EXPECT_EQ(call.status, SB_STATUS_OK) << call.error;
    }
    EXPECT_EQ(discovery_problems({"calendar.events.insert", "calendar.events.insert"}), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, CreateAllDayEvent) {
    host.expect("POST", "/calendar/v3/calendars/primary/events",
                CannedResponse::json(200, google_event("day1", json::parse(R"({
                    "start": {"date": "2024-06-10"}, "end": {"date": "2024-06-12"}})"))
                                              .dump()));
    const Invocation call = run("create_event", R"({"summary": "Offsite",
        "start": {"date": "2024-06-10"}, "end": {"date": "2024-06-12"}})");
    const json result = result_of(call, "Event");
    EXPECT_EQ(body_of(0), json::parse(R"({"summary": "Offsite",
        "start": {"date": "2024-06-10"}, "end": {"date": "2024-06-12"}})"));
    EXPECT_EQ(result.at("start"), json({{"date", "2024-06-10"}}));
    EXPECT_EQ(discovery_problems({"calendar.events.insert"}), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, CreateEventWithMeetAsksForAConference) {
    const auto with_meet = [](std::string_view id) {
        return google_event(id, json::parse(R"({
            "hangoutLink": "https://meet.google.com/abc-defg-hij",
            "conferenceData": {"conferenceId": "abc-defg-hij",
                "conferenceSolution": {"key": {"type": "hangoutsMeet"}, "name": "Google Meet"},
                "entryPoints": [{"entryPointType": "video", "uri": "https://meet.google.com/abc-defg-hij",
                                 "label": "meet.google.com/abc-defg-hij"}],
                "createRequest": {"requestId": "x", "conferenceSolutionKey": {"type": "hangoutsMeet"},
                                  "status": {"statusCode": "success"}}}})"));
    };
    host.expect("POST", "/calendar/v3/calendars/primary/events?conferenceDataVersion=1",
                CannedResponse::json(200, with_meet("m1").dump()));
    host.expect("POST", "/calendar/v3/calendars/primary/events?conferenceDataVersion=1",
                CannedResponse::json(200, with_meet("m2").dump()));
    const std::string params = R"({"summary": "Call", "video_conference": true,
        "start": {"date_time": "2024-06-04T09:00:00Z"}, "end": {"date_time": "2024-06-04T09:30:00Z"}})";
    const json first = result_of(run("create_event", params), "Event");
    const json second = result_of(run("create_event", params), "Event");
    EXPECT_EQ(first.at("video_conference_link"), "https://meet.google.com/abc-defg-hij");
    EXPECT_EQ(second.at("id"), "m2");

    const json body = body_of(0);
    const json& create = body.at("conferenceData").at("createRequest");
    EXPECT_EQ(create.at("conferenceSolutionKey"), json({{"type", "hangoutsMeet"}}));
    const std::string id1 = create.at("requestId");
    const std::string id2 = body_of(1).at("conferenceData").at("createRequest").at("requestId");
    EXPECT_TRUE(std::regex_match(id1, uuid_v4)) << id1;
    EXPECT_NE(id1, id2); // a repeated requestId would make Google ignore the second request
    EXPECT_EQ(discovery_problems({"calendar.events.insert", "calendar.events.insert"}), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, CreateEventWithoutVideoConferenceSendsNoConferenceData) {
    host.expect("POST", "/calendar/v3/calendars/primary/events",
                CannedResponse::json(200, google_event("n1").dump()));
    const Invocation call = run("create_event", R"({"summary": "S", "video_conference": false,
        "start": {"date_time": "2024-06-04T09:00:00Z"}, "end": {"date_time": "2024-06-04T09:30:00Z"}})");
    EXPECT_EQ(call.status, SB_STATUS_OK) << call.error;
    EXPECT_FALSE(body_of(0).contains("conferenceData"));
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, CreateEventEncodesPathSegments) {
    host.expect("POST", "/calendar/v3/calendars/a%2Fb%20c%3Fd%23e/events",
                CannedResponse::json(200, google_event("p1").dump()));
    const Invocation call = run("create_event", R"({"calendar_id": "a/b c?d#e", "summary": "S",
        "start": {"date": "2024-06-10"}, "end": {"date": "2024-06-11"}})");
    EXPECT_EQ(call.status, SB_STATUS_OK) << call.error;
    EXPECT_EQ(problems(), "");
}

struct BadParams {
    const char* name;
    const char* params;
    const char* field;
};

class CreateEventRefuses : public GoogleCalendarTest,
                           public ::testing::WithParamInterface<BadParams> {};

TEST_P(CreateEventRefuses, WithoutAnyRequest) {
    const Invocation call = run("create_event", GetParam().params);
    EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << call.error;
    EXPECT_EQ(call.error_code(), "invalid_params");
    EXPECT_EQ(json::parse(call.error).value("field", ""), GetParam().field) << call.error;
    EXPECT_TRUE(host.requests().empty());
    EXPECT_EQ(problems(), "");
}

#define TIMES R"("start": {"date_time": "2024-06-04T09:00:00Z"}, "end": {"date_time": "2024-06-04T10:00:00Z"})"

INSTANTIATE_TEST_SUITE_P(
    Params, CreateEventRefuses,
    ::testing::Values(
        BadParams{"not_json", "{", ""},
        BadParams{"not_an_object", "[1]", ""},
        BadParams{"no_summary", "{" TIMES "}", "/summary"},
        BadParams{"empty_summary", R"({"summary": "", )" TIMES "}", "/summary"},
        BadParams{"summary_not_string", R"({"summary": 5, )" TIMES "}", "/summary"},
        BadParams{"no_start", R"({"summary": "S", "end": {"date": "2024-06-11"}})", "/start"},
        BadParams{"unknown_field", R"({"summary": "S", "recurrence": ["RRULE:FREQ=DAILY"], )" TIMES "}", "/recurrence"},
        BadParams{"unknown_time_field", R"({"summary": "S", "start": {"date_time": "2024-06-04T09:00:00Z", "tz": "UTC"}, "end": {"date_time": "2024-06-04T10:00:00Z"}})", "/start/tz"},
        BadParams{"both_date_and_time", R"({"summary": "S", "start": {"date": "2024-06-04", "date_time": "2024-06-04T09:00:00Z"}, "end": {"date_time": "2024-06-04T10:00:00Z"}})", "/start"},
        BadParams{"neither_date_nor_time", R"({"summary": "S", "start": {"time_zone": "UTC"}, "end": {"date_time": "2024-06-04T10:00:00Z"}})", "/start"},
        BadParams{"no_offset", R"({"summary": "S", "start": {"date_time": "2024-06-04T09:00:00"}, "end": {"date_time": "2024-06-04T10:00:00Z"}})", "/start/date_time"},
        BadParams{"bad_date", R"({"summary": "S", "start": {"date": "2024-02-30"}, "end": {"date": "2024-03-01"}})", "/start/date"},
        BadParams{"unknown_zone", R"({"summary": "S", "start": {"date_time": "2024-06-04T09:00:00Z", "time_zone": "Mars/Base"}, "end": {"date_time": "2024-06-04T10:00:00Z"}})", "/start/time_zone"},
        BadParams{"end_before_start", R"({"summary": "S", "start": {"date_time": "2024-06-04T10:00:00Z"}, "end": {"date_time": "2024-06-04T09:00:00+02:00"}})", "/end"},
        BadParams{"end_equals_start_day", R"({"summary": "S", "start": {"date": "2024-06-04"}, "end": {"date": "2024-06-04"}})", "/end"},
        BadParams{"mixed_kinds", R"({"summary": "S", "start": {"date": "2024-06-04"}, "end": {"date_time": "2024-06-05T10:00:00Z"}})", "/end"},
        BadParams{"attendee_without_email", R"({"summary": "S", "attendees": [{"name": "Bo"}], )" TIMES "}", "/attendees/0/email"},
        BadParams{"attendee_bad_email", R"({"summary": "S", "attendees": [{"email": "bo.example.org"}], )" TIMES "}", "/attendees/0/email"},
        BadParams{"attendee_not_object", R"({"summary": "S", "attendees": ["bo@example.org"], )" TIMES "}", "/attendees/0"},
        BadParams{"video_not_bool", R"({"summary": "S", "video_conference": "yes", )" TIMES "}", "/video_conference"},
        BadParams{"bad_send_updates", R"({"summary": "S", "send_updates": "externalOnly", )" TIMES "}", "/send_updates"},
        BadParams{"empty_calendar", R"({"calendar_id": "", "summary": "S", )" TIMES "}", "/calendar_id"}),
    [](const auto& test) { return std::string(test.param.name); });

TEST_F(GoogleCalendarTest, CreateEventWithAnUnreadableAnswerIsUnavailable) {
    host.expect("POST", "/calendar/v3/calendars/primary/events",
                CannedResponse::json(200, "<html>proxy error</html>"));
    host.expect("POST", "/calendar/v3/calendars/primary/events",
                CannedResponse::json(200, R"({"kind": "calendar#event"})"));
    for (int i = 0; i < 2; ++i) {
        const Invocation call = run("create_event", R"({"summary": "S", )" TIMES "}");
        EXPECT_EQ(call.status, SB_STATUS_UNAVAILABLE);
        EXPECT_EQ(call.error_code(), "invalid_provider_response");
    }
    EXPECT_EQ(problems(), "");
}

// --- update_event ----------------------------------------------------------------------------

TEST_F(GoogleCalendarTest, UpdateEventPatchesOnlyTheGivenFields) {
    host.expect("PATCH", "/calendar/v3/calendars/primary/events/ev1",
                CannedResponse::json(200, google_event("ev1", {{"summary", "Renamed"}}).dump()));
    const Invocation call = run("update_event", R"({"event_id": "ev1", "summary": "Renamed"})");
    const json result = result_of(call, "Event");
    EXPECT_EQ(result.at("summary"), "Renamed");
    EXPECT_EQ(body_of(0), json({{"summary", "Renamed"}}));
    EXPECT_EQ(discovery_problems({"calendar.events.patch"}), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, UpdateEventReplacesTimesAttendeesAndText) {
    host.expect("PATCH", "/calendar/v3/calendars/team%40example.com/events/ev%2F1?sendUpdates=none",
                CannedResponse::json(200, google_event("ev/1").dump()));
    const Invocation call = run("update_event", R"({"calendar_id": "team@example.com",
        "event_id": "ev/1", "send_updates": "none", "description": "", "location": "Room 5",
        "start": {"date_time": "2024-06-05T09:00:00+02:00", "time_zone": "Europe/Paris"},
        "end": {"date_time": "2024-06-05T10:00:00+02:00"},
        "attendees": [{"email": "dee@example.org", "optional": false}]})");
    result_of(call, "Event");
    // A patch merges objects: "date": null keeps a former all-day date from sticking.
    EXPECT_EQ(body_of(0), json::parse(R"({"description": "", "location": "Room 5",
        "start": {"dateTime": "2024-06-05T09:00:00+02:00", "date": null, "timeZone": "Europe/Paris"},
        "end": {"dateTime": "2024-06-05T10:00:00+02:00", "date": null},
        "attendees": [{"email": "dee@example.org", "optional": false}]})"));
    EXPECT_EQ(discovery_problems({"calendar.events.patch"}), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, UpdateEventToAllDayClearsTheDateTime) {
    host.expect("PATCH", "/calendar/v3/calendars/primary/events/ev1",
                CannedResponse::json(200, google_event("ev1", json::parse(R"({
                    "start": {"date": "2024-06-10"}, "end": {"date": "2024-06-11"}})"))
                                              .dump()));
    const Invocation call = run("update_event", R"({"event_id": "ev1",
        "start": {"date": "2024-06-10"}, "end": {"date": "2024-06-11"}})");
    result_of(call, "Event");
    EXPECT_EQ(body_of(0), json::parse(R"({"start": {"date": "2024-06-10", "dateTime": null},
                                          "end": {"date": "2024-06-11", "dateTime": null}})"));
    EXPECT_EQ(discovery_problems({"calendar.events.patch"}), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, UpdateEventAddsAMeetConference) {
    host.expect("PATCH", "/calendar/v3/calendars/primary/events/ev1?conferenceDataVersion=1",
                CannedResponse::json(200, google_event("ev1", {{"hangoutLink", "https://meet.google.com/new-link-xyz"}}).dump()));
    const json result = result_of(run("update_event", R"({"event_id": "ev1", "video_conference": true})"), "Event");
    EXPECT_EQ(result.at("video_conference_link"), "https://meet.google.com/new-link-xyz");
    const json create = body_of(0).at("conferenceData").at("createRequest");
    EXPECT_EQ(create.at("conferenceSolutionKey").at("type"), "hangoutsMeet");
    EXPECT_TRUE(std::regex_match(create.at("requestId").get<std::string>(), uuid_v4));
    EXPECT_EQ(discovery_problems({"calendar.events.patch"}), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, UpdateEventRemovesTheConferenceWithANullPatch) {
    host.expect("PATCH", "/calendar/v3/calendars/primary/events/ev1?conferenceDataVersion=1&sendUpdates=all",
                CannedResponse::json(200, google_event("ev1").dump()));
    const json result = result_of(run("update_event", R"({"event_id": "ev1",
        "video_conference": false, "send_updates": "all"})"), "Event");
    EXPECT_FALSE(result.contains("video_conference_link"));
    EXPECT_EQ(body_of(0), json::parse(R"({"conferenceData": null})"));
    EXPECT_EQ(discovery_problems({"calendar.events.patch"}), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, UpdateEventRefusesAnEmptyPatchAndMissingId) {
    for (const auto& [params, field] :
         {std::pair{R"({"event_id": "ev1"})", ""}, std::pair{R"({"event_id": "ev1", "send_updates": "all"})", ""},
          std::pair{R"({"summary": "S"})", "/event_id"}, std::pair{R"({"event_id": "", "summary": "S"})", "/event_id"},
          std::pair{R"({"event_id": "ev1", "summary": "S", "status": "cancelled"})", "/status"}}) {
        const Invocation call = run("update_event", params);
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << params;
        EXPECT_EQ(json::parse(call.error).value("field", ""), field) << call.error;
    }
    EXPECT_TRUE(host.requests().empty());
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, UpdateEventOfAMissingEventIsNotFound) {
    host.expect("PATCH", "/calendar/v3/calendars/primary/events/gone",
                CannedResponse::json(404, google_error(404, "Not Found", "notFound", "NOT_FOUND")));
    const Invocation call = run("update_event", R"({"event_id": "gone", "summary": "S"})");
    EXPECT_EQ(call.status, SB_STATUS_NOT_FOUND);
    EXPECT_EQ(call.error_code(), "not_found");
    EXPECT_EQ(problems(), "");
}

} // namespace
} // namespace switchboard::plugins::google_calendar::testing
