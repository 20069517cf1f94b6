// A time range of an action's params (time_min, time_max): both RFC 3339 with an offset,
// time_max after time_min.
#pragma once

#include "switchboard/params.hpp"
#include "plugins/google_calendar/time_format.hpp"

#include <optional>
#include <string_view>

namespace switchboard::plugins::google_calendar {

// [start, end): start inclusive, end exclusive, start < end.
struct Interval {
    Instant start;
    Instant end;

    friend bool operator==(const Interval&, const Interval&) = default;
};

// The range the two texts name; nullopt after recording the problem in `reader` at
// /time_min or /time_max.
std::optional<Interval> read_time_range(sdk::Params& reader, std::string_view time_min,
                                        std::string_view time_max);

} // namespace switchboard::plugins::google_calendar
