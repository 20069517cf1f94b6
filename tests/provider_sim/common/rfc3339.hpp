// RFC 3339 timestamps and dates, as Google and HubSpot exchange them.
#pragma once

#include "tests/provider_sim/common/clock.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace switchboard::sim {

// "2024-05-01T12:00:00Z", "2024-05-01T14:00:00.123+02:00". With `offset_required` false a
// missing offset is read as UTC (Calendar accepts that when the event names a timeZone).
std::optional<TimePoint> parse_rfc3339(std::string_view text, bool offset_required = true);

// "2024-05-01" as midnight UTC (all-day events; the simulated calendars are in UTC).
std::optional<TimePoint> parse_date(std::string_view text);

// "2024-05-01T12:00:00.000Z" (milliseconds, UTC).
std::string format_rfc3339(TimePoint time);

// Milliseconds since the Unix epoch (Gmail internalDate, HubSpot date filters).
long long epoch_millis(TimePoint time);

} // namespace switchboard::sim
