// The instant of a Calendar EventDateTime: {"date": "2024-05-01"} (all-day; the simulated
// calendars are in UTC) or {"dateTime": "2024-05-01T10:00:00+02:00"}. A dateTime without an
// offset is read as UTC: the simulator has no time-zone database, so a named timeZone
// other than UTC shifts such times (see README "Not covered").
#pragma once

#include "tests/provider_sim/common/clock.hpp"

#include <nlohmann/json.hpp>

#include <optional>

namespace switchboard::sim {

std::optional<TimePoint> event_time(const nlohmann::json& event_date_time);

} // namespace switchboard::sim
