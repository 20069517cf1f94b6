#include "plugins/google_calendar/calendar_api.hpp"

#include "plugins/common/google_api_error.hpp"

#include "switchboard/http_error.hpp"
#include "switchboard/url.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::plugins::google_calendar {

std::string events_path(std::string_view calendar_id) {
    return "/calendar/v3/calendars/" + sdk::percent_encode(calendar_id) + "/events";
}

std::string event_path(std::string_view calendar_id, std::string_view event_id) {
    return events_path(calendar_id) + "/" + sdk::percent_encode(event_id);
}

std::string free_busy_path() { return "/calendar/v3/freeBusy"; }

std::string_view send_updates_value(std::string_view contract_value) {
    if (contract_value == "all") return "all";
    if (contract_value == "external_only") return "externalOnly";
    if (contract_value == "none") return "none";
    return {};
}

sdk::Outcome error_outcome(const sdk::HttpResponse& response) {
    try {
        return google_error_outcome(response);
    } catch (const nlohmann::json::exception&) {
        return sdk::error_from_response(response);
    }
}

sdk::Outcome unreadable_response(std::string_view what) {
    return sdk::Outcome::error(SB_STATUS_UNAVAILABLE, "invalid_provider_response",
                               "Google Calendar answered with " + std::string(what) +
                                   " that the plugin cannot read");
}

} // namespace switchboard::plugins::google_calendar
