#include "plugins/google_calendar/connector.hpp"

#include "plugins/google_calendar/actions.hpp"

namespace switchboard::plugins::google_calendar {

sdk::Outcome CalendarConnector::invoke(sdk::Call& call, std::string_view action,
                                       std::string_view params_json) {
    if (action == SB_ACTION_CALENDAR_CREATE_EVENT) return create_event(call, params_json);
    if (action == SB_ACTION_CALENDAR_UPDATE_EVENT) return update_event(call, params_json);
    if (action == SB_ACTION_CALENDAR_DELETE_EVENT) return delete_event(call, params_json);
    if (action == SB_ACTION_CALENDAR_LIST_EVENTS) return list_events(call, params_json);
    if (action == SB_ACTION_CALENDAR_GET_AVAILABILITY) return get_availability(call, params_json);
    return sdk::Outcome::unsupported_action(action);
}

} // namespace switchboard::plugins::google_calendar
