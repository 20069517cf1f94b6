#include "tests/provider_sim/google/calendar/event_time.hpp"

#include "tests/provider_sim/common/rfc3339.hpp"

namespace switchboard::sim {

std::optional<TimePoint> event_time(const nlohmann::json& edt) {
    if (!edt.is_object()) {
        return std::nullopt;
    }
    if (edt.contains("dateTime") && edt.at("dateTime").is_string()) {
        return parse_rfc3339(edt.at("dateTime").get<std::string>(), false);
    }
    if (edt.contains("date") && edt.at("date").is_string()) {
        return parse_date(edt.at("date").get<std::string>());
    }
    return std::nullopt;
}

} // namespace switchboard::sim
