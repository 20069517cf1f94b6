// A Calendar API Event resource onto the contract's Event, always valid against the schema.
#include "plugins/google_calendar/event_mapping.hpp"

#include "tests/plugins/google_calendar/contract_schema.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace switchboard::plugins::google_calendar {
namespace {

using nlohmann::json;
using testing::contract_problems;
using ::testing::IsEmpty;

TEST(MapEvent, MapsEveryContractField) {
    const json google = json::parse(R"({
        "kind": "calendar#event", "etag": "\"3181\"", "id": "ev1", "status": "tentative",
        "htmlLink": "https://www.google.com/calendar/event?eid=ZXYx",
        "created": "2024-06-01T10:00:00.000Z", "updated": "2024-06-01T11:00:00.000Z",
        "summary": "Design review", "description": "Bring <b>notes</b>", "location": "Room 4",
        "organizer": {"email": "ana@example.org", "displayName": "Ana", "self": true},
        "start": {"dateTime": "2024-06-04T09:00:00+02:00", "timeZone": "Europe/Paris"},
        "end": {"dateTime": "2024-06-04T10:00:00+02:00", "timeZone": "Europe/Paris"},
        "attendees": [
            {"email": "ana@example.org", "organizer": true, "responseStatus": "accepted"},
            {"email": "bo@example.org", "displayName": "Bo", "optional": true,
             "responseStatus": "needsAction"},
            {"email": "cy@example.org", "responseStatus": "declined"},
            {"email": "di@example.org", "responseStatus": "tentative"}],
        "hangoutLink": "https://meet.google.com/abc-defg-hij",
        "conferenceData": {"entryPoints": [{"entryPointType": "video",
                                            "uri": "https://meet.google.com/zzz-zzzz-zzz"}]}})");
    const auto event = map_event(google, "primary");
    ASSERT_TRUE(event.has_value());
    EXPECT_EQ(*event, json::parse(R"({
        "id": "ev1", "calendar_id": "primary", "status": "tentative",
        "html_link": "https://www.google.com/calendar/event?eid=ZXYx",
        "created": "2024-06-01T10:00:00.000Z", "updated": "2024-06-01T11:00:00.000Z",
        "summary": "Design review", "description": "Bring <b>notes</b>", "location": "Room 4",
        "organizer": {"email": "ana@example.org", "name": "Ana"},
        "start": {"date_time": "2024-06-04T09:00:00+02:00", "time_zone": "Europe/Paris"},
        "end": {"date_time": "2024-06-04T10:00:00+02:00", "time_zone": "Europe/Paris"},
        "attendees": [
            {"email": "ana@example.org", "response_status": "accepted"},
            {"email": "bo@example.org", "name": "Bo", "optional": true,
             "response_status": "needs_action"},
            {"email": "cy@example.org", "response_status": "declined"},
            {"email": "di@example.org", "response_status": "tentative"}],
        "video_conference_link": "https://meet.google.com/abc-defg-hij"})"));
    EXPECT_THAT(contract_problems("Event", *event), IsEmpty());
}

TEST(MapEvent, AllDayEventsKeepTheirDates) {
    const auto event = map_event(json::parse(R"({"id": "d1",
        "start": {"date": "2024-06-10"}, "end": {"date": "2024-06-11"}})"), "team@example.com");
    ASSERT_TRUE(event.has_value());
    EXPECT_EQ(event->at("start"), json({{"date", "2024-06-10"}}));
    EXPECT_EQ(event->at("end"), json({{"date", "2024-06-11"}}));
    EXPECT_EQ(event->at("status"), "confirmed"); // the API's default when absent
    EXPECT_EQ(event->at("calendar_id"), "team@example.com");
    EXPECT_THAT(contract_problems("Event", *event), IsEmpty());
}

TEST(MapEvent, VideoLinkFromTheConferenceEntryPointsWhenNoHangoutLink) {
    const auto event = map_event(json::parse(R"({"id": "v1",
        "start": {"dateTime": "2024-06-04T09:00:00Z"}, "end": {"dateTime": "2024-06-04T10:00:00Z"},
        "conferenceData": {"entryPoints": [
            {"entryPointType": "phone", "uri": "tel:+1-555-0100"},
            {"entryPointType": "video", "uri": "https://meet.google.com/aaa-bbbb-ccc"}]}})"),
                                 "primary");
    ASSERT_TRUE(event.has_value());
    EXPECT_EQ(event->at("video_conference_link"), "https://meet.google.com/aaa-bbbb-ccc");
}

TEST(MapEvent, APendingConferenceHasNoLinkYet) {
    const auto event = map_event(json::parse(R"({"id": "v2",
        "start": {"dateTime": "2024-06-04T09:00:00Z"}, "end": {"dateTime": "2024-06-04T10:00:00Z"},
        "conferenceData": {"createRequest": {"requestId": "r", "status": {"statusCode": "pending"}}}})"),
                                 "primary");
    ASSERT_TRUE(event.has_value());
    EXPECT_FALSE(event->contains("video_conference_link"));
}

TEST(MapEvent, LocalDateTimesAreGivenTheirZonesOffset) {
    const auto event = map_event(json::parse(R"({"id": "l1",
        "start": {"dateTime": "2024-01-15T09:00:00", "timeZone": "America/New_York"},
        "end": {"dateTime": "2024-07-15T09:00:00", "timeZone": "America/New_York"}})"),
                                 "primary");
    ASSERT_TRUE(event.has_value());
    EXPECT_EQ(event->at("start").at("date_time"), "2024-01-15T09:00:00-05:00");
    EXPECT_EQ(event->at("end").at("date_time"), "2024-07-15T09:00:00-04:00");
    EXPECT_THAT(contract_problems("Event", *event), IsEmpty());
}

TEST(MapEvent, LeavesOutWhatTheContractWouldRefuse) {
    const auto event = map_event(json::parse(R"({"id": "x1", "status": "weird",
        "created": "yesterday",
        "start": {"dateTime": "2024-06-04T09:00:00Z", "timeZone": "Not a zone!"},
        "end": {"dateTime": "2024-06-04T10:00:00Z"},
        "attendees": [{"displayName": "Room without address", "resource": true},
                      {"email": "ana@example.org", "responseStatus": "maybe"}],
        "organizer": {"self": true}})"),
                                 "primary");
    ASSERT_TRUE(event.has_value());
    EXPECT_EQ(event->at("status"), "confirmed");
    EXPECT_FALSE(event->contains("created"));
    EXPECT_FALSE(event->contains("organizer"));
    EXPECT_EQ(event->at("start"), json({{"date_time", "2024-06-04T09:00:00Z"}}));
    EXPECT_EQ(event->at("attendees"), json::parse(R"([{"email": "ana@example.org"}])"));
    EXPECT_THAT(contract_problems("Event", *event), IsEmpty());
}

// The contract bounds date-times to 64 characters and links to 8192, whatever Google answers:
// a longer created time or link is left out, and a start or end that long is not usable.
TEST(MapEvent, KeepsTheContractsLengthLimits) {
    const std::string long_time = "2024-06-04T09:00:00." + std::string(44, '1') + "Z"; // 65 characters
    const std::string long_link = "https://meet.google.com/" + std::string(8192 - 24 + 1, 'x');
    json google = {{"id", "x1"},
                   {"created", long_time},
                   {"updated", "2024-06-04T09:00:00." + std::string(43, '1') + "Z"}, // 64: kept
                   {"htmlLink", long_link},
                   {"hangoutLink", long_link},
                   {"start", {{"dateTime", "2024-06-04T09:00:00Z"}}},
                   {"end", {{"dateTime", "2024-06-04T10:00:00Z"}}}};
    const auto event = map_event(google, "primary");
    ASSERT_TRUE(event.has_value());
    EXPECT_FALSE(event->contains("created"));
    EXPECT_FALSE(event->contains("html_link"));
    EXPECT_FALSE(event->contains("video_conference_link"));
    EXPECT_EQ(event->at("updated").get<std::string>().size(), 64u);
    EXPECT_THAT(contract_problems("Event", *event), IsEmpty());

    google["start"] = {{"dateTime", long_time}};
    EXPECT_FALSE(map_event(google, "primary"));
}

TEST(MapEvent, RefusesResourcesWithoutIdStartOrEnd) {
    EXPECT_FALSE(map_event(json::parse(R"({"start": {"date": "2024-06-10"}, "end": {"date": "2024-06-11"}})"), "p"));
    EXPECT_FALSE(map_event(json::parse(R"({"id": "a", "end": {"date": "2024-06-11"}})"), "p"));
    EXPECT_FALSE(map_event(json::parse(R"({"id": "a", "start": {}, "end": {"date": "2024-06-11"}})"), "p"));
    EXPECT_FALSE(map_event(json::parse(R"({"id": "a", "start": {"dateTime": "soon"}, "end": {"date": "2024-06-11"}})"), "p"));
    EXPECT_FALSE(map_event(json::parse(R"([1, 2])"), "p"));
    EXPECT_FALSE(map_event(json::parse(R"({"id": 7, "start": {"date": "2024-06-10"}, "end": {"date": "2024-06-11"}})"), "p"));
}

} // namespace
} // namespace switchboard::plugins::google_calendar
