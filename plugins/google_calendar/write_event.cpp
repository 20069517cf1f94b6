// create_event and update_event: one request each, answered with the stored event.
#include "plugins/google_calendar/actions.hpp"

#include "plugins/google_calendar/calendar_api.hpp"
#include "plugins/google_calendar/event_mapping.hpp"
#include "plugins/google_calendar/event_request.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::plugins::google_calendar {
namespace {

sdk::Outcome event_outcome(const sdk::HttpResponse& response, const std::string& calendar_id) {
    if (!response.ok()) return error_outcome(response);
    const auto body = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    const auto event = map_event(body, calendar_id);
    if (!event) return unreadable_response("an event");
    return sdk::Outcome::success(event->dump());
}

} // namespace

sdk::Outcome create_event(sdk::Call& call, std::string_view params_json) {
    sdk::Params reader(params_json);
    const EventWrite write = read_create_event(reader);
    if (!reader.ok()) return reader.error();
    const sdk::HttpResponse response =
        call.send_json("POST", events_path(write.calendar_id) + write.query(), write.body.dump());
    return event_outcome(response, write.calendar_id);
}

sdk::Outcome update_event(sdk::Call& call, std::string_view params_json) {
    sdk::Params reader(params_json);
    const EventWrite write = read_update_event(reader);
    if (!reader.ok()) return reader.error();
    const sdk::HttpResponse response =
        call.send_json("PATCH", event_path(write.calendar_id, write.event_id) + write.query(),
                       write.body.dump());
    return event_outcome(response, write.calendar_id);
}

} // namespace switchboard::plugins::google_calendar
