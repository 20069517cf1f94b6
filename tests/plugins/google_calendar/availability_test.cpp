// The free-slot computation: busy merging, working windows in a real time zone across
// daylight-saving changes, weekdays, ranges starting mid-day, and the duration filter.
#include "plugins/google_calendar/availability.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>

namespace switchboard::plugins::google_calendar {

// Failure messages show intervals as RFC 3339 text.
void PrintTo(const Interval& i, std::ostream* out) {
    *out << "[" << format_rfc3339(i.start) << ", " << format_rfc3339(i.end) << ")";
}

namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using std::chrono::hours;
using std::chrono::minutes;

Instant at(const char* rfc3339) {
    const auto instant = parse_rfc3339(rfc3339);
    EXPECT_TRUE(instant.has_value()) << rfc3339;
    return instant.value_or(Instant{});
}

Interval span(const char* start, const char* end) { return {at(start), at(end)}; }

const date::time_zone& zone(const char* name) {
    const date::time_zone* z = find_time_zone(name);
    if (z == nullptr) throw std::runtime_error(std::string("tz database lacks ") + name);
    return *z;
}

WorkingHours hours_in(const char* zone_name, int start_h, int start_m, int end_h, int end_m,
                      std::initializer_list<int> days = {1, 2, 3, 4, 5}) {
    WorkingHours h;
    h.start = hours{start_h} + minutes{start_m};
    h.end = hours{end_h} + minutes{end_m};
    h.zone = &zone(zone_name);
    h.iso_days.fill(false);
    for (const int d : days) h.iso_days[static_cast<std::size_t>(d)] = true;
    return h;
}

constexpr std::initializer_list<int> every_day = {1, 2, 3, 4, 5, 6, 7};

// --- merging busy times ---------------------------------------------------------------------

TEST(MergeBusy, JoinsOverlappingAndTouchingIntervalsInOrder) {
    const Interval range = span("2024-06-03T00:00:00Z", "2024-06-04T00:00:00Z");
    const auto merged = merge_busy({span("2024-06-03T13:00:00Z", "2024-06-03T14:00:00Z"),
                                    span("2024-06-03T09:00:00Z", "2024-06-03T10:00:00Z"),
                                    span("2024-06-03T09:30:00Z", "2024-06-03T10:30:00Z"),
                                    span("2024-06-03T10:30:00Z", "2024-06-03T11:00:00Z"),
                                    span("2024-06-03T13:15:00Z", "2024-06-03T13:45:00Z")},
                                   range);
    EXPECT_THAT(merged, ElementsAre(span("2024-06-03T09:00:00Z", "2024-06-03T11:00:00Z"),
                                    span("2024-06-03T13:00:00Z", "2024-06-03T14:00:00Z")));
}

TEST(MergeBusy, ClipsToTheRangeAndDropsEmptyOrOutsideIntervals) {
    const Interval range = span("2024-06-03T08:00:00Z", "2024-06-03T18:00:00Z");
    const auto merged = merge_busy({span("2024-06-03T07:00:00Z", "2024-06-03T09:00:00Z"),
                                    span("2024-06-03T17:00:00Z", "2024-06-03T19:00:00Z"),
                                    span("2024-06-03T05:00:00Z", "2024-06-03T06:00:00Z"),
                                    span("2024-06-03T12:00:00Z", "2024-06-03T12:00:00Z"),
                                    span("2024-06-03T15:00:00Z", "2024-06-03T14:00:00Z")},
                                   range);
    EXPECT_THAT(merged, ElementsAre(span("2024-06-03T08:00:00Z", "2024-06-03T09:00:00Z"),
                                    span("2024-06-03T17:00:00Z", "2024-06-03T18:00:00Z")));
}

// --- without working hours: the whole range is working time ---------------------------------

TEST(FreeSlots, WithoutWorkingHoursTheWholeRangeCounts) {
    const Interval range = span("2024-06-08T06:00:00Z", "2024-06-09T06:00:00Z"); // a weekend
    const auto slots = free_slots(range, {span("2024-06-08T10:00:00Z", "2024-06-08T22:00:00Z")},
                                  std::nullopt, minutes{60});
    EXPECT_THAT(slots, ElementsAre(span("2024-06-08T06:00:00Z", "2024-06-08T10:00:00Z"),
                                   span("2024-06-08T22:00:00Z", "2024-06-09T06:00:00Z")));
}

TEST(FreeSlots, DropsGapsShorterThanTheDurationAndKeepsExactFits) {
    const Interval range = span("2024-06-03T09:00:00Z", "2024-06-03T12:00:00Z");
    const auto slots = free_slots(range,
                                  {span("2024-06-03T09:20:00Z", "2024-06-03T10:00:00Z"),
                                   span("2024-06-03T10:30:00Z", "2024-06-03T11:59:00Z")},
                                  std::nullopt, minutes{30});
    // 09:00-09:20 (20 min) and 11:59-12:00 (1 min) are too short; 10:00-10:30 fits exactly.
    EXPECT_THAT(slots, ElementsAre(span("2024-06-03T10:00:00Z", "2024-06-03T10:30:00Z")));
}

TEST(FreeSlots, MergesBusyTimesOfSeveralCalendars) {
    const Interval range = span("2024-06-03T09:00:00Z", "2024-06-03T17:00:00Z");
    // Two calendars' busy lists, concatenated: overlapping and touching across calendars.
    const auto slots = free_slots(range,
                                  {span("2024-06-03T09:00:00Z", "2024-06-03T10:00:00Z"),
                                   span("2024-06-03T14:00:00Z", "2024-06-03T15:00:00Z"),
                                   span("2024-06-03T09:30:00Z", "2024-06-03T11:00:00Z"),
                                   span("2024-06-03T11:00:00Z", "2024-06-03T12:00:00Z"),
                                   span("2024-06-03T14:30:00Z", "2024-06-03T16:00:00Z")},
                                  std::nullopt, minutes{30});
    EXPECT_THAT(slots, ElementsAre(span("2024-06-03T12:00:00Z", "2024-06-03T14:00:00Z"),
                                   span("2024-06-03T16:00:00Z", "2024-06-03T17:00:00Z")));
}

TEST(FreeSlots, BusyCoveringEverythingLeavesNothing) {
    const Interval range = span("2024-06-03T09:00:00Z", "2024-06-03T17:00:00Z");
    EXPECT_THAT(free_slots(range, {span("2024-06-03T08:00:00Z", "2024-06-03T18:00:00Z")},
                           std::nullopt, minutes{5}),
                IsEmpty());
}

// --- working hours, weekdays, partial days ---------------------------------------------------

TEST(FreeSlots, WorkingHoursSkipTheWeekendByDefault) {
    // Friday 2024-06-07 to Monday 2024-06-10, 09:00-17:00 in UTC, default days Mon-Fri.
    WorkingHours h;
    h.start = hours{9};
    h.end = hours{17};
    h.zone = &zone("UTC");
    const Interval range = span("2024-06-07T00:00:00Z", "2024-06-11T00:00:00Z");
    EXPECT_THAT(free_slots(range, {}, h, minutes{60}),
                ElementsAre(span("2024-06-07T09:00:00Z", "2024-06-07T17:00:00Z"),
                            span("2024-06-10T09:00:00Z", "2024-06-10T17:00:00Z")));
}

TEST(FreeSlots, ChosenWeekdaysOnly) {
    // Saturdays and Sundays only, in Paris (UTC+2 in June).
    const auto h = hours_in("Europe/Paris", 10, 0, 12, 0, {6, 7});
    const Interval range = span("2024-06-03T00:00:00Z", "2024-06-10T00:00:00Z");
    EXPECT_THAT(free_slots(range, {}, h, minutes{30}),
                ElementsAre(span("2024-06-08T08:00:00Z", "2024-06-08T10:00:00Z"),
                            span("2024-06-09T08:00:00Z", "2024-06-09T10:00:00Z")));
}

TEST(FreeSlots, ARangeStartingAndEndingMidDayCutsTheWorkingDay) {
    const auto h = hours_in("Europe/Paris", 9, 0, 17, 0);
    // Monday 13:30 to Tuesday 11:00, Paris time.
    const Interval range = span("2024-06-03T13:30:00+02:00", "2024-06-04T11:00:00+02:00");
    EXPECT_THAT(free_slots(range, {span("2024-06-03T15:00:00+02:00", "2024-06-03T16:00:00+02:00")},
                           h, minutes{30}),
                ElementsAre(span("2024-06-03T13:30:00+02:00", "2024-06-03T15:00:00+02:00"),
                            span("2024-06-03T16:00:00+02:00", "2024-06-03T17:00:00+02:00"),
                            span("2024-06-04T09:00:00+02:00", "2024-06-04T11:00:00+02:00")));
}

TEST(FreeSlots, BusyTimesOutsideWorkingHoursDoNotMatter) {
    const auto h = hours_in("Europe/Paris", 9, 0, 17, 0);
    const Interval range = span("2024-06-03T00:00:00+02:00", "2024-06-04T00:00:00+02:00");
    EXPECT_THAT(free_slots(range,
                           {span("2024-06-03T06:00:00+02:00", "2024-06-03T09:30:00+02:00"),
                            span("2024-06-03T16:45:00+02:00", "2024-06-03T20:00:00+02:00")},
                           h, minutes{60}),
                ElementsAre(span("2024-06-03T09:30:00+02:00", "2024-06-03T16:45:00+02:00")));
}

TEST(FreeSlots, AWorkingDayEndingAt2400RunsIntoTheNextOne) {
    const auto h = hours_in("Europe/Paris", 0, 0, 24, 0, every_day);
    const Interval range = span("2024-06-03T20:00:00+02:00", "2024-06-05T04:00:00+02:00");
    // One slot across both midnights, not three pieces cut at 00:00.
    EXPECT_THAT(free_slots(range, {}, h, minutes{60}),
                ElementsAre(span("2024-06-03T20:00:00+02:00", "2024-06-05T04:00:00+02:00")));
}

TEST(FreeSlots, LateEveningHoursAcrossUtcMidnight) {
    // 18:00-23:00 in New York is 22:00-03:00 UTC: windows span the UTC date line.
    const auto h = hours_in("America/New_York", 18, 0, 23, 0);
    const Interval range = span("2024-06-03T00:00:00Z", "2024-06-05T00:00:00Z");
    EXPECT_THAT(free_slots(range, {}, h, minutes{60}),
                ElementsAre(span("2024-06-03T22:00:00Z", "2024-06-04T03:00:00Z"),
                            span("2024-06-04T22:00:00Z", "2024-06-05T00:00:00Z")));
}

// --- daylight-saving changes -----------------------------------------------------------------

TEST(FreeSlotsDst, WorkingHoursFollowTheOffsetAroundSpringForward) {
    // New York moved from EST (-5) to EDT (-4) on Sunday 2024-03-10.
    const auto h = hours_in("America/New_York", 9, 0, 17, 0);
    const Interval range = span("2024-03-08T00:00:00Z", "2024-03-12T00:00:00Z");
    EXPECT_THAT(free_slots(range, {}, h, minutes{60}),
                ElementsAre(span("2024-03-08T14:00:00Z", "2024-03-08T22:00:00Z"),   // Fri, EST
                            span("2024-03-11T13:00:00Z", "2024-03-11T21:00:00Z"))); // Mon, EDT
}

TEST(FreeSlotsDst, TheSpringForwardDayIsAnHourShorter) {
    // 01:00-04:00 local on 2024-03-10 lasts two hours: 02:00-03:00 does not exist.
    const auto h = hours_in("America/New_York", 1, 0, 4, 0, every_day);
    const Interval range = span("2024-03-10T00:00:00-05:00", "2024-03-11T00:00:00-04:00");
    EXPECT_THAT(free_slots(range, {}, h, minutes{120}),
                ElementsAre(span("2024-03-10T06:00:00Z", "2024-03-10T08:00:00Z")));
    // A 150-minute meeting fits in three wall-clock hours but not in that day's two.
    EXPECT_THAT(free_slots(range, {}, h, minutes{150}), IsEmpty());
}

TEST(FreeSlotsDst, AStartInsideTheSkippedHourBeginsAtTheChange) {
    const auto h = hours_in("America/New_York", 2, 30, 5, 0, every_day);
    const Interval range = span("2024-03-10T00:00:00-05:00", "2024-03-11T00:00:00-04:00");
    // 02:30 does not exist; the day starts at 03:00 EDT (07:00Z) and ends 05:00 EDT (09:00Z).
    EXPECT_THAT(free_slots(range, {}, h, minutes{30}),
                ElementsAre(span("2024-03-10T07:00:00Z", "2024-03-10T09:00:00Z")));
}

TEST(FreeSlotsDst, TheFallBackDayIsAnHourLonger) {
    // New York moved from EDT (-4) back to EST (-5) on Sunday 2024-11-03; 00:00-03:00 local
    // lasts four hours.
    const auto h = hours_in("America/New_York", 0, 0, 3, 0, every_day);
    const Interval range = span("2024-11-03T00:00:00-04:00", "2024-11-04T00:00:00-05:00");
    EXPECT_THAT(free_slots(range, {}, h, minutes{240}),
                ElementsAre(span("2024-11-03T04:00:00Z", "2024-11-03T08:00:00Z")));
}

TEST(FreeSlotsDst, RepeatedLocalTimesStartAtTheirFirstAndEndAtTheirLastOccurrence) {
    // 01:30-01:45 happens twice on 2024-11-03: from 01:30 EDT (05:30Z) to 01:45 EST (06:45Z).
    const auto h = hours_in("America/New_York", 1, 30, 1, 45, every_day);
    const Interval range = span("2024-11-03T00:00:00-04:00", "2024-11-04T00:00:00-05:00");
    EXPECT_THAT(free_slots(range, {}, h, minutes{15}),
                ElementsAre(span("2024-11-03T05:30:00Z", "2024-11-03T06:45:00Z")));
}

TEST(FreeSlotsDst, EuropeanChangeWithBusyTimesAcrossIt) {
    // Berlin moved from CET (+1) to CEST (+2) on Sunday 2024-03-31; hours 08:00-12:00 every
    // day; a meeting on Saturday and one on Sunday, each given in UTC.
    const auto h = hours_in("Europe/Berlin", 8, 0, 12, 0, every_day);
    const Interval range = span("2024-03-30T00:00:00+01:00", "2024-04-01T00:00:00+02:00");
    const auto slots = free_slots(range,
                                  {span("2024-03-30T08:00:00Z", "2024-03-30T09:00:00Z"),
                                   span("2024-03-31T08:00:00Z", "2024-03-31T09:00:00Z")},
                                  h, minutes{60});
    EXPECT_THAT(slots, ElementsAre(span("2024-03-30T07:00:00Z", "2024-03-30T08:00:00Z"), // 08-09 CET
                                   span("2024-03-30T09:00:00Z", "2024-03-30T11:00:00Z"),
                                   span("2024-03-31T06:00:00Z", "2024-03-31T08:00:00Z"), // 08-10 CEST
                                   span("2024-03-31T09:00:00Z", "2024-03-31T10:00:00Z")));
}

TEST(FreeSlotsDst, HalfHourChangesOfLordHowe) {
    // Lord Howe Island moves its clocks by 30 minutes: +11 to +10:30 on 2024-04-07 at 02:00.
    const auto h = hours_in("Australia/Lord_Howe", 1, 0, 3, 0, every_day);
    const Interval range = span("2024-04-07T00:00:00+11:00", "2024-04-08T00:00:00+10:30");
    // 01:00 +11 (14:00Z prev day) to 03:00 +10:30 (16:30Z): two and a half hours.
    EXPECT_THAT(free_slots(range, {}, h, minutes{150}),
                ElementsAre(span("2024-04-06T14:00:00Z", "2024-04-06T16:30:00Z")));
}

TEST(WorkingWindows, EmptyForAnEmptyRangeOrInvertedHours) {
    const auto h = hours_in("UTC", 9, 0, 17, 0);
    EXPECT_THAT(working_windows(span("2024-06-03T12:00:00Z", "2024-06-03T12:00:00Z"), h), IsEmpty());
    auto inverted = h;
    inverted.start = hours{18};
    EXPECT_THAT(working_windows(span("2024-06-03T00:00:00Z", "2024-06-04T00:00:00Z"), inverted),
                IsEmpty());
}

} // namespace
} // namespace switchboard::plugins::google_calendar
