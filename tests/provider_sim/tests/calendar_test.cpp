// Google Calendar v3: events insert (with a Meet conference), get, patch, delete, list with
// time bounds and paging, freeBusy; and Google's error shapes for each way to get it wrong.
#include "tests/provider_sim/tests/sim_fixture.hpp"

namespace switchboard::sim::testing {
namespace {

using nlohmann::json;

json event(const std::string& summary, const std::string& start, const std::string& end) {
    return {{"summary", summary}, {"start", {{"dateTime", start}}}, {"end", {{"dateTime", end}}}};
}

void expect_google_error(const HttpResult& r, int code, const std::string& reason) {
    ASSERT_EQ(r.status, code) << r.body;
    const json e = r.json().at("error");
    EXPECT_EQ(e.at("code"), code);
    EXPECT_FALSE(e.at("message").get<std::string>().empty());
    EXPECT_FALSE(e.at("status").get<std::string>().empty());
    ASSERT_FALSE(e.at("errors").empty());
    EXPECT_EQ(e.at("errors").at(0).at("reason"), reason) << r.body;
}

class CalendarTest : public SimTest {
protected:
    std::string token = google_token({kEventsScope});
};

TEST_F(CalendarTest, InsertWithMeetCreatesAConference) {
    json body = event("Kick-off", "2024-05-01T10:00:00+02:00", "2024-05-01T11:00:00+02:00");
    body["attendees"] = json::array({{{"email", "guest@example.com"}}});
    body["conferenceData"] = {{"createRequest", {{"requestId", "req-1"}, {"conferenceSolutionKey", {{"type", "hangoutsMeet"}}}}}};
    const auto r = client().post_json(std::string(kEvents) + "?conferenceDataVersion=1&sendUpdates=all", body, token);
    ASSERT_EQ(r.status, 200) << r.body;
    const json e = r.json();
    EXPECT_EQ(e.at("kind"), "calendar#event");
    EXPECT_EQ(e.at("status"), "confirmed");
    EXPECT_EQ(e.at("organizer").at("email"), kUser);
    EXPECT_EQ(e.at("attendees").at(0).at("responseStatus"), "needsAction");
    const std::string link = e.at("hangoutLink");
    EXPECT_EQ(link.rfind("https://meet.google.com/", 0), 0u);
    EXPECT_EQ(e.at("conferenceData").at("entryPoints").at(0).at("uri"), link);
    EXPECT_EQ(e.at("conferenceData").at("createRequest").at("status").at("statusCode"), "success");
    expect_conforms("calendar.events.insert", e);
    const auto logged = last_request();
    EXPECT_EQ(logged.method_id, "calendar.events.insert");
    EXPECT_EQ(logged.description, "calendar_v3.json");
    EXPECT_TRUE(logged.valid());
}

TEST_F(CalendarTest, ConferenceDataIsIgnoredWithoutConferenceDataVersion) {
    json body = event("No meet", "2024-05-01T10:00:00Z", "2024-05-01T11:00:00Z");
    body["conferenceData"] = {{"createRequest", {{"requestId", "req-2"}, {"conferenceSolutionKey", {{"type", "hangoutsMeet"}}}}}};
    const auto r = client().post_json(kEvents, body, token);
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(r.json().contains("hangoutLink"));
    EXPECT_FALSE(r.json().contains("conferenceData"));
}

TEST_F(CalendarTest, GetPatchDelete) {
    const json created = client().post_json(kEvents, event("Draft", "2024-05-02T09:00:00Z", "2024-05-02T10:00:00Z"), token).json();
    const std::string path = std::string(kEvents) + "/" + created.at("id").get<std::string>();
    const auto patched = client().patch_json(path, {{"summary", "Final"}, {"location", "Room 1"}}, token);
    ASSERT_EQ(patched.status, 200) << patched.body;
    expect_conforms("calendar.events.patch", patched.json());
    EXPECT_EQ(patched.json().at("summary"), "Final");
    EXPECT_EQ(patched.json().at("start"), created.at("start")); // untouched fields stay
    const auto got = client().get(path, token);
    ASSERT_EQ(got.status, 200);
    EXPECT_EQ(got.json().at("location"), "Room 1");
    EXPECT_EQ(client().del(path, token).status, 204);
    EXPECT_EQ(client().get(path, token).json().at("status"), "cancelled");
    expect_google_error(client().del(path, token), 410, "deleted");
    expect_google_error(client().get(std::string(kEvents) + "/nosuchevent", token), 404, "notFound");
}

TEST_F(CalendarTest, PatchCanAddAMeetLater) {
    const json created = client().post_json(kEvents, event("Call", "2024-05-02T09:00:00Z", "2024-05-02T10:00:00Z"), token).json();
    const auto patched = client().patch_json(
        std::string(kEvents) + "/" + created.at("id").get<std::string>() + "?conferenceDataVersion=1",
        {{"conferenceData", {{"createRequest", {{"requestId", "late"}, {"conferenceSolutionKey", {{"type", "hangoutsMeet"}}}}}}}},
        token);
    ASSERT_EQ(patched.status, 200) << patched.body;
    EXPECT_TRUE(patched.json().contains("hangoutLink"));
}

TEST_F(CalendarTest, PatchingConferenceDataToNullRemovesTheMeet) {
    json body = event("Call", "2024-05-03T09:00:00Z", "2024-05-03T10:00:00Z");
    body["conferenceData"] = {{"createRequest", {{"requestId", "gone"}, {"conferenceSolutionKey", {{"type", "hangoutsMeet"}}}}}};
    const json created = client().post_json(std::string(kEvents) + "?conferenceDataVersion=1", body, token).json();
    ASSERT_TRUE(created.contains("hangoutLink"));
    const auto patched = client().patch_json(
        std::string(kEvents) + "/" + created.at("id").get<std::string>() + "?conferenceDataVersion=1",
        {{"conferenceData", nullptr}}, token);
    ASSERT_EQ(patched.status, 200) << patched.body;
    EXPECT_FALSE(patched.json().contains("conferenceData"));
    EXPECT_FALSE(patched.json().contains("hangoutLink"));
}

TEST_F(CalendarTest, StartAndEndMustBothBeDatesOrBothDateTimes) {
    const json created = client().post_json(kEvents, event("Day", "2024-05-04T09:00:00Z", "2024-05-04T10:00:00Z"), token).json();
    const auto patched = client().patch_json(std::string(kEvents) + "/" + created.at("id").get<std::string>(),
                                             {{"end", {{"dateTime", nullptr}, {"date", "2024-05-05"}}}}, token);
    expect_google_error(patched, 400, "invalid");
    json mixed = event("Mixed", "2024-05-04T09:00:00Z", "2024-05-04T10:00:00Z");
    mixed["end"] = {{"date", "2024-05-05"}};
    expect_google_error(client().post_json(kEvents, mixed, token), 400, "invalid");
}

TEST_F(CalendarTest, ListFiltersByTimeAndPages) {
    for (int day = 1; day <= 5; ++day) {
        const std::string d = "2024-06-0" + std::to_string(day);
        ASSERT_EQ(client().post_json(kEvents, event("e" + std::to_string(day), d + "T10:00:00Z", d + "T11:00:00Z"), token).status, 200);
    }
    const std::string window = std::string(kEvents) +
                               "?timeMin=2024-06-02T00:00:00Z&timeMax=2024-06-05T00:00:00Z&singleEvents=true"
                               "&orderBy=startTime&maxResults=2";
    const auto first = client().get(window, token);
    ASSERT_EQ(first.status, 200) << first.body;
    const json page1 = first.json();
    expect_conforms("calendar.events.list", page1);
    ASSERT_EQ(page1.at("items").size(), 2u);
    EXPECT_EQ(page1.at("items").at(0).at("summary"), "e2");
    ASSERT_TRUE(page1.contains("nextPageToken"));
    const auto second = client().get(window + "&pageToken=" + page1.at("nextPageToken").get<std::string>(), token);
    ASSERT_EQ(second.status, 200);
    ASSERT_EQ(second.json().at("items").size(), 1u);
    EXPECT_EQ(second.json().at("items").at(0).at("summary"), "e4");
    EXPECT_FALSE(second.json().contains("nextPageToken"));
    expect_google_error(client().get(window + "&pageToken=forged", token), 400, "invalid");
    EXPECT_EQ(sim().calls("calendar.events.list"), 3u);
}

TEST_F(CalendarTest, ListErrorsAsGoogleAnswersThem) {
    expect_google_error(client().get(std::string(kEvents) + "?timeMin=2024-06-05T00:00:00Z&timeMax=2024-06-01T00:00:00Z",
                                     token),
                        400, "timeRangeEmpty");
    expect_google_error(client().get(std::string(kEvents) + "?orderBy=startTime", token), 400, "badRequest");
    expect_google_error(client().get(std::string(kEvents) + "?timeMin=yesterday", token), 400, "invalid");
    expect_google_error(client().get("/www.googleapis.com/calendar/v3/calendars/other@example.com/events", token),
                        404, "notFound");
}

TEST_F(CalendarTest, InvalidBodiesAreRefusedAndLogged) {
    json no_end = {{"summary", "x"}, {"start", {{"dateTime", "2024-05-01T10:00:00Z"}}}};
    const auto r = client().post_json(kEvents, no_end, token);
    expect_google_error(r, 400, "required");
    EXPECT_EQ(r.json().at("error").at("message"), "Missing end time.");
    EXPECT_EQ(r.json().at("error").at("status"), "INVALID_ARGUMENT");

    json typo = event("x", "2024-05-01T10:00:00Z", "2024-05-01T11:00:00Z");
    typo["attendee"] = json::array();
    expect_google_error(client().post_json(kEvents, typo, token), 400, "invalid");

    expect_google_error(client().post_json(kEvents, event("x", "2024-05-01T11:00:00Z", "2024-05-01T10:00:00Z"), token),
                        400, "timeRangeEmpty");
    const auto failures = sim().validation_failures();
    ASSERT_EQ(failures.size(), 2u); // the reversed range is valid JSON; Calendar refuses it
    EXPECT_EQ(failures[0].method_id, "calendar.events.insert");
    EXPECT_NE(failures[1].errors.at(0).find("attendee"), std::string::npos);
}

TEST_F(CalendarTest, AuthAndScopeErrorsComeFirst) {
    const auto none = client().post_json(kEvents, json::object());
    expect_google_error(none, 401, "required");
    EXPECT_NE(none.header("WWW-Authenticate").find("Bearer"), std::string::npos);
    expect_google_error(client().post_json(kEvents, json::object(), "ya29.bogus"), 401, "authError");
    const auto wrong_scope = client().post_json(kEvents, json::object(), google_token({kGmailSend}));
    expect_google_error(wrong_scope, 403, "insufficientPermissions");
    EXPECT_NE(wrong_scope.header("WWW-Authenticate").find("insufficient_scope"), std::string::npos);
    // A HubSpot token is not a Google token.
    expect_google_error(client().post_json(kEvents, json::object(), hubspot_token({"oauth"})), 401, "authError");
}

TEST_F(CalendarTest, FreeBusyMergesBusyTimes) {
    const std::string full = google_token({kCalendarScope});
    client().post_json(kEvents, event("a", "2024-07-01T09:00:00Z", "2024-07-01T10:00:00Z"), full);
    client().post_json(kEvents, event("b", "2024-07-01T09:30:00Z", "2024-07-01T11:00:00Z"), full);
    json free = event("c", "2024-07-01T13:00:00Z", "2024-07-01T14:00:00Z");
    free["transparency"] = "transparent";
    client().post_json(kEvents, free, full);
    const auto r = client().post_json("/www.googleapis.com/calendar/v3/freeBusy",
                                      {{"timeMin", "2024-07-01T00:00:00Z"},
                                       {"timeMax", "2024-07-02T00:00:00Z"},
                                       {"items", json::array({{{"id", "primary"}}, {{"id", "stranger@example.com"}}})}},
                                      full);
    ASSERT_EQ(r.status, 200) << r.body;
    expect_conforms("calendar.freebusy.query", r.json());
    const json busy = r.json().at("calendars").at("primary").at("busy");
    ASSERT_EQ(busy.size(), 1u);
    EXPECT_EQ(busy.at(0).at("start"), "2024-07-01T09:00:00.000Z");
    EXPECT_EQ(busy.at(0).at("end"), "2024-07-01T11:00:00.000Z");
    EXPECT_EQ(r.json().at("calendars").at("stranger@example.com").at("errors").at(0).at("reason"), "notFound");
    // The discovery document lists calendar and calendar.readonly for freeBusy, not calendar.events.
    const auto events_only = client().post_json("/www.googleapis.com/calendar/v3/freeBusy",
                                                {{"timeMin", "2024-07-01T00:00:00Z"},
                                                 {"timeMax", "2024-07-02T00:00:00Z"},
                                                 {"items", json::array()}},
                                                token);
    EXPECT_EQ(events_only.status, 403);
}

TEST_F(CalendarTest, FieldsSelectsAPartialResponse) {
    const auto r = client().post_json(std::string(kEvents) + "?fields=id,start(dateTime)",
                                      event("p", "2024-05-01T10:00:00Z", "2024-05-01T11:00:00Z"), token);
    ASSERT_EQ(r.status, 200);
    const json e = r.json();
    EXPECT_EQ(e.size(), 2u);
    EXPECT_TRUE(e.contains("id"));
    EXPECT_EQ(e.at("start").size(), 1u);
}

TEST_F(CalendarTest, UnimplementedMethodsSayWhatTheyAre) {
    const auto r = client().post_json(std::string(kEvents) + "/quickAdd?text=Lunch", json::object(), token);
    expect_google_error(r, 501, "notImplemented");
    EXPECT_NE(r.json().at("error").at("message").get<std::string>().find("calendar.events.quickAdd"), std::string::npos);
    EXPECT_TRUE(last_request().valid());
}

} // namespace
} // namespace switchboard::sim::testing
