// Free slots from busy times: the computation behind get_availability, apart from any I/O.
//
// Working hours are local wall-clock times in an IANA time zone, turned into instants day
// by day with the tz database, so a working day is 7 or 9 hours long on the days clocks
// change, and a start or end that falls in a skipped hour moves to the instant of the change.
#pragma once

#include "plugins/google_calendar/time_format.hpp"
#include "plugins/google_calendar/time_range.hpp"

#include <array>
#include <chrono>
#include <optional>
#include <vector>

namespace switchboard::plugins::google_calendar {

struct WorkingHours {
    std::chrono::minutes start{0};      // local time of day, 00:00..23:59
    std::chrono::minutes end{24 * 60};  // local time of day, after start, up to 24:00
    const date::time_zone* zone = nullptr;
    // iso_days[d] for ISO weekday d (1 Monday .. 7 Sunday); index 0 unused.
    std::array<bool, 8> iso_days{false, true, true, true, true, true, false, false};
};

// The busy intervals clipped to `range`, sorted, with overlapping and touching intervals
// merged (so [9:00,10:00) and [10:00,11:00) become [9:00,11:00)). Empty or inverted input
// intervals are dropped.
std::vector<Interval> merge_busy(std::vector<Interval> busy, const Interval& range);

// The working time inside `range`: the whole range without working hours; otherwise each
// working day's [start, end) in local time, converted to instants (a local start that occurs
// twice takes its first occurrence, a local end its last; one skipped by a clock change takes
// the instant of the change), clipped to `range`, with touching windows joined (a 00:00-24:00
// working day runs into the next).
std::vector<Interval> working_windows(const Interval& range,
                                      const std::optional<WorkingHours>& hours);

// The free slots: working time inside `range` not covered by `busy`, each at least
// `duration` long, in order and disjoint. `busy` need not be merged or sorted.
std::vector<Interval> free_slots(const Interval& range, const std::vector<Interval>& busy,
                                 const std::optional<WorkingHours>& hours,
                                 std::chrono::minutes duration);

} // namespace switchboard::plugins::google_calendar
