// get_availability through the fake host: the freeBusy query, merging several calendars'
// busy times, slots in working hours, and the per-calendar errors of freeBusy.
#include "tests/plugins/google_calendar/plugin_fixture.hpp"

namespace switchboard::plugins::google_calendar::testing {
namespace {

using nlohmann::json;

TEST_F(GoogleCalendarTest, GetAvailabilityQueriesFreeBusyAndFindsSlotsInWorkingHours) {
    // Two calendars, busy times given in UTC and in Paris time, overlapping and touching.
    host.expect("POST", "/calendar/v3/freeBusy", CannedResponse::json(200, R"({
        "kind": "calendar#freeBusy",
        "timeMin": "2024-06-03T00:00:00.000Z", "timeMax": "2024-06-05T00:00:00.000Z",
        "calendars": {
            "primary": {"busy": [
                {"start": "2024-06-03T07:00:00Z", "end": "2024-06-03T08:00:00Z"},
                {"start": "2024-06-04T12:00:00+02:00", "end": "2024-06-04T13:00:00+02:00"}]},
            "team@example.com": {"busy": [
                {"start": "2024-06-03T09:30:00+02:00", "end": "2024-06-03T11:00:00+02:00"},
                {"start": "2024-06-03T11:00:00+02:00", "end": "2024-06-03T11:15:00+02:00"},
                {"start": "2024-06-03T16:40:00+02:00", "end": "2024-06-03T19:00:00+02:00"}]}}})"));
    const Invocation call = run("get_availability", R"({
        "time_min": "2024-06-03T00:00:00Z", "time_max": "2024-06-05T00:00:00Z",
        "duration_minutes": 30, "calendar_ids": ["primary", "team@example.com"],
        "working_hours": {"start": "09:00", "end": "17:00", "time_zone": "Europe/Paris"}})");
    const json result = result_of(call, "GetAvailabilityResult");
    EXPECT_EQ(body_of(0), json::parse(R"({
        "timeMin": "2024-06-03T00:00:00Z", "timeMax": "2024-06-05T00:00:00Z",
        "timeZone": "Europe/Paris", "items": [{"id": "primary"}, {"id": "team@example.com"}]})"));
    EXPECT_EQ(result.at("busy"), json::parse(R"([
        {"start": "2024-06-03T09:00:00+02:00", "end": "2024-06-03T11:15:00+02:00"},
        {"start": "2024-06-03T16:40:00+02:00", "end": "2024-06-03T19:00:00+02:00"},
        {"start": "2024-06-04T12:00:00+02:00", "end": "2024-06-04T13:00:00+02:00"}])"));
    EXPECT_EQ(result.at("free_slots"), json::parse(R"([
        {"start": "2024-06-03T11:15:00+02:00", "end": "2024-06-03T16:40:00+02:00"},
        {"start": "2024-06-04T09:00:00+02:00", "end": "2024-06-04T12:00:00+02:00"},
        {"start": "2024-06-04T13:00:00+02:00", "end": "2024-06-04T17:00:00+02:00"}])"));
    EXPECT_EQ(discovery_problems({"calendar.freebusy.query"}), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, GetAvailabilityWithoutWorkingHoursUsesTheWholeRangeInUtc) {
    host.expect("POST", "/calendar/v3/freeBusy", CannedResponse::json(200, R"({
        "calendars": {"primary": {"busy": [
            {"start": "2024-06-08T10:00:00Z", "end": "2024-06-08T11:00:00Z"}]}}})"));
    const json result = result_of(run("get_availability", R"({
        "time_min": "2024-06-08T09:00:00Z", "time_max": "2024-06-08T12:00:00Z",
        "duration_minutes": 45})"), "GetAvailabilityResult");
    EXPECT_EQ(body_of(0).at("timeZone"), "UTC");
    EXPECT_EQ(body_of(0).at("items"), json::parse(R"([{"id": "primary"}])"));
    EXPECT_EQ(result.at("free_slots"), json::parse(R"([
        {"start": "2024-06-08T09:00:00Z", "end": "2024-06-08T10:00:00Z"},
        {"start": "2024-06-08T11:00:00Z", "end": "2024-06-08T12:00:00Z"}])"));
    EXPECT_EQ(discovery_problems({"calendar.freebusy.query"}), "");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, GetAvailabilityAcrossSpringForwardInNewYork) {
    host.expect("POST", "/calendar/v3/freeBusy",
                CannedResponse::json(200, R"({"calendars": {"primary": {"busy": []}}})"));
    const json result = result_of(run("get_availability", R"({
        "time_min": "2024-03-08T00:00:00-05:00", "time_max": "2024-03-12T00:00:00-04:00",
        "duration_minutes": 60,
        "working_hours": {"start": "09:00", "end": "17:00", "time_zone": "America/New_York",
                          "days": [1, 5]}})"), "GetAvailabilityResult");
    EXPECT_EQ(result.at("free_slots"), json::parse(R"([
        {"start": "2024-03-08T09:00:00-05:00", "end": "2024-03-08T17:00:00-05:00"},
        {"start": "2024-03-11T09:00:00-04:00", "end": "2024-03-11T17:00:00-04:00"}])"));
    EXPECT_EQ(result.at("busy"), json::array());
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, GetAvailabilityFailsForACalendarFreeBusyCannotRead) {
    host.expect("POST", "/calendar/v3/freeBusy", CannedResponse::json(200, R"({
        "calendars": {"primary": {"busy": []},
                      "nobody@example.com": {"errors": [{"domain": "global", "reason": "notFound"}], "busy": []}}})"));
    host.expect("POST", "/calendar/v3/freeBusy", CannedResponse::json(200, R"({
        "calendars": {"primary": {"errors": [{"domain": "global", "reason": "internalError"}]}}})"));
    host.expect("POST", "/calendar/v3/freeBusy", CannedResponse::json(200, R"({"calendars": {}})"));
    const std::string two = R"({"time_min": "2024-06-03T00:00:00Z", "time_max": "2024-06-04T00:00:00Z",
        "duration_minutes": 30, "calendar_ids": ["primary", "nobody@example.com"]})";
    const std::string one = R"({"time_min": "2024-06-03T00:00:00Z", "time_max": "2024-06-04T00:00:00Z",
        "duration_minutes": 30})";
    const Invocation not_found = run("get_availability", two);
    EXPECT_EQ(not_found.status, SB_STATUS_NOT_FOUND) << not_found.error;
    EXPECT_NE(not_found.error_message().find("nobody@example.com"), std::string::npos);
    const Invocation internal = run("get_availability", one);
    EXPECT_EQ(internal.status, SB_STATUS_UNAVAILABLE) << internal.error;
    const Invocation missing = run("get_availability", one);
    EXPECT_EQ(missing.status, SB_STATUS_UNAVAILABLE) << missing.error;
    EXPECT_EQ(missing.error_code(), "invalid_provider_response");
    EXPECT_EQ(problems(), "");
}

TEST_F(GoogleCalendarTest, GetAvailabilityRefusesBadParams) {
    const std::string range = R"("time_min": "2024-06-03T00:00:00Z", "time_max": "2024-06-04T00:00:00Z")";
    const auto with = [&](const std::string& more) { return "{" + range + ", " + more + "}"; };
    for (const auto& [params, field] : std::vector<std::pair<std::string, std::string>>{
             {"{" + range + "}", "/duration_minutes"},
             {with(R"("duration_minutes": 4)"), "/duration_minutes"},
             {with(R"("duration_minutes": 1441)"), "/duration_minutes"},
             {with(R"("duration_minutes": 30, "calendar_ids": [])"), "/calendar_ids"},
             {with(R"("duration_minutes": 30, "calendar_ids": [""])"), "/calendar_ids/0"},
             {with(R"("duration_minutes": 30, "working_hours": {"start": "17:00", "end": "09:00", "time_zone": "UTC"})"), "/working_hours/end"},
             {with(R"("duration_minutes": 30, "working_hours": {"start": "09:00", "end": "24:30", "time_zone": "UTC"})"), "/working_hours/end"},
             {with(R"("duration_minutes": 30, "working_hours": {"start": "9:00", "end": "17:00", "time_zone": "UTC"})"), "/working_hours/start"},
             {with(R"("duration_minutes": 30, "working_hours": {"start": "09:00", "end": "17:00", "time_zone": "Nowhere/City"})"), "/working_hours/time_zone"},
             {with(R"("duration_minutes": 30, "working_hours": {"start": "09:00", "end": "17:00", "time_zone": "UTC", "days": [1, 1]})"), "/working_hours/days/1"},
             {with(R"("duration_minutes": 30, "working_hours": {"start": "09:00", "end": "17:00", "time_zone": "UTC", "days": [0]})"), "/working_hours/days/0"},
             {with(R"("duration_minutes": 30, "working_hours": {"start": "09:00", "end": "17:00"})"), "/working_hours/time_zone"},
             {R"({"time_min": "2024-06-04T00:00:00Z", "time_max": "2024-06-03T00:00:00Z", "duration_minutes": 30})", "/time_max"}}) {
        const Invocation call = run("get_availability", params);
        EXPECT_EQ(call.status, SB_STATUS_INVALID_INPUT) << params;
        EXPECT_EQ(json::parse(call.error).value("field", ""), field) << call.error;
    }
    EXPECT_TRUE(host.requests().empty());
    EXPECT_EQ(problems(), "");
}

} // namespace
} // namespace switchboard::plugins::google_calendar::testing
