// RFC 3339 date-times, dates and time zones as the plugin reads and writes them.
#include "plugins/google_calendar/time_format.hpp"

#include <gtest/gtest.h>

namespace switchboard::plugins::google_calendar {
namespace {

using std::chrono::milliseconds;

Instant utc(int y, unsigned mo, unsigned d, int h, int mi, int s = 0, int ms = 0) {
    return date::sys_days{date::year{y} / mo / d} + std::chrono::hours{h} +
           std::chrono::minutes{mi} + std::chrono::seconds{s} + milliseconds{ms};
}

TEST(ParseRfc3339, ReadsUtcAndOffsets) {
    EXPECT_EQ(parse_rfc3339("2024-06-03T09:00:00Z"), utc(2024, 6, 3, 9, 0));
    EXPECT_EQ(parse_rfc3339("2024-06-03t09:00:00z"), utc(2024, 6, 3, 9, 0));
    EXPECT_EQ(parse_rfc3339("2024-06-03T11:00:00+02:00"), utc(2024, 6, 3, 9, 0));
    EXPECT_EQ(parse_rfc3339("2024-06-03T04:30:00-04:30"), utc(2024, 6, 3, 9, 0));
    EXPECT_EQ(parse_rfc3339("2024-01-01T00:30:00+01:00"), utc(2023, 12, 31, 23, 30));
}

TEST(ParseRfc3339, KeepsMillisecondsAndDropsFinerDigits) {
    EXPECT_EQ(parse_rfc3339("2024-06-03T09:00:00.5Z"), utc(2024, 6, 3, 9, 0, 0, 500));
    EXPECT_EQ(parse_rfc3339("2024-06-03T09:00:00.123Z"), utc(2024, 6, 3, 9, 0, 0, 123));
    EXPECT_EQ(parse_rfc3339("2024-06-03T09:00:00.123999Z"), utc(2024, 6, 3, 9, 0, 0, 123));
}

TEST(ParseRfc3339, ReadsALeapSecondAsTheNextMinute) {
    EXPECT_EQ(parse_rfc3339("2016-12-31T23:59:60Z"), utc(2017, 1, 1, 0, 0));
}

TEST(ParseRfc3339, RefusesWhatIsNotADateTimeWithAnOffset) {
    for (const char* text :
         {"", "2024-06-03", "2024-06-03T09:00:00", "2024-06-03T09:00Z", "2024-06-03 09:00:00Z",
          "2024-02-30T09:00:00Z", "2023-02-29T09:00:00Z", "2024-13-01T09:00:00Z",
          "2024-06-03T24:00:00Z", "2024-06-03T09:60:00Z", "2024-06-03T09:00:00+0200",
          "2024-06-03T09:00:00+24:00", "2024-06-03T09:00:00.Z", "2024-06-03T09:00:00Zjunk",
          "24-06-03T09:00:00Z", "2024-6-03T09:00:00Z", "２０２４-06-03T09:00:00Z"}) {
        EXPECT_FALSE(parse_rfc3339(text).has_value()) << text;
    }
    EXPECT_TRUE(parse_rfc3339("2024-02-29T09:00:00Z").has_value()); // a leap year
}

TEST(FormatRfc3339, WritesUtcWithZAndMillisecondsOnlyWhenThereAreSome) {
    EXPECT_EQ(format_rfc3339(utc(2024, 6, 3, 9, 0)), "2024-06-03T09:00:00Z");
    EXPECT_EQ(format_rfc3339(utc(2024, 6, 3, 9, 0, 1, 250)), "2024-06-03T09:00:01.250Z");
}

TEST(FormatRfc3339, WritesTheZonesOffsetAtThatInstant) {
    const date::time_zone* new_york = find_time_zone("America/New_York");
    ASSERT_NE(new_york, nullptr);
    EXPECT_EQ(format_rfc3339(utc(2024, 1, 15, 14, 0), new_york), "2024-01-15T09:00:00-05:00");
    EXPECT_EQ(format_rfc3339(utc(2024, 7, 15, 13, 0), new_york), "2024-07-15T09:00:00-04:00");
    const date::time_zone* kolkata = find_time_zone("Asia/Kolkata");
    ASSERT_NE(kolkata, nullptr);
    EXPECT_EQ(format_rfc3339(utc(2024, 7, 15, 3, 30), kolkata), "2024-07-15T09:00:00+05:30");
    // Round trip.
    EXPECT_EQ(parse_rfc3339(format_rfc3339(utc(2024, 11, 3, 5, 30), new_york)),
              utc(2024, 11, 3, 5, 30));
}

TEST(ParseLocalDateTime, PlacesALocalTimeInItsZone) {
    const date::time_zone* new_york = find_time_zone("America/New_York");
    ASSERT_NE(new_york, nullptr);
    EXPECT_EQ(parse_local_date_time("2024-07-15T09:00:00", *new_york), utc(2024, 7, 15, 13, 0));
    // 02:30 does not exist on 2024-03-10 in New York: the instant of the change (03:00 EDT).
    EXPECT_EQ(parse_local_date_time("2024-03-10T02:30:00", *new_york), utc(2024, 3, 10, 7, 0));
    // 01:30 happens twice on 2024-11-03: the first (EDT).
    EXPECT_EQ(parse_local_date_time("2024-11-03T01:30:00", *new_york), utc(2024, 11, 3, 5, 30));
    EXPECT_FALSE(parse_local_date_time("2024-07-15T09:00:00Z", *new_york).has_value());
}

TEST(ParseDate, ReadsRealCalendarDatesOnly) {
    EXPECT_EQ(parse_date("2024-02-29"), date::sys_days{date::year{2024} / 2 / 29});
    EXPECT_FALSE(parse_date("2023-02-29").has_value());
    EXPECT_FALSE(parse_date("2024-2-29").has_value());
    EXPECT_FALSE(parse_date("2024-02-29T00:00:00Z").has_value());
}

TEST(TimeZones, KnowsIanaNamesAndRefusesOthers) {
    EXPECT_NE(find_time_zone("Europe/Paris"), nullptr);
    EXPECT_NE(find_time_zone("UTC"), nullptr);
    EXPECT_EQ(find_time_zone("Mars/Olympus_Mons"), nullptr);
    EXPECT_EQ(find_time_zone(""), nullptr);
    EXPECT_TRUE(is_time_zone_name("America/Argentina/Buenos_Aires"));
    EXPECT_TRUE(is_time_zone_name("Etc/GMT+5"));
    EXPECT_FALSE(is_time_zone_name("Europe/Paris "));
    EXPECT_FALSE(is_time_zone_name("../../etc/passwd."));
    EXPECT_FALSE(is_time_zone_name(std::string(65, 'A')));
}

} // namespace
} // namespace switchboard::plugins::google_calendar
