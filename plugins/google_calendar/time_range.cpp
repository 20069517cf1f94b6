#include "plugins/google_calendar/time_range.hpp"

namespace switchboard::plugins::google_calendar {

std::optional<Interval> read_time_range(sdk::Params& reader, std::string_view time_min,
                                        std::string_view time_max) {
    const auto min_instant = parse_rfc3339(time_min);
    const auto max_instant = parse_rfc3339(time_max);
    if (!min_instant) reader.fail("/time_min", "'/time_min' is not an RFC 3339 date-time with an offset");
    if (!max_instant) reader.fail("/time_max", "'/time_max' is not an RFC 3339 date-time with an offset");
    if (!min_instant || !max_instant) return std::nullopt;
    if (*max_instant <= *min_instant) {
        reader.fail("/time_max", "'/time_max' must be after '/time_min'");
        return std::nullopt;
    }
    return Interval{*min_instant, *max_instant};
}

} // namespace switchboard::plugins::google_calendar
