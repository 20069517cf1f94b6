// The calendar contract's actions against Calendar API v3 (create_event and update_event in
// write_event.cpp, the others in a file each). Every action reads its params defensively
// (sdk::Params), sends its requests through the host, maps Google's errors with error_outcome
// (calendar_api.hpp) and answers in the contract's shapes.
#pragma once

#include "switchboard/plugin.hpp"

#include <string_view>

namespace switchboard::plugins::google_calendar {

// POST calendars/{calendarId}/events (calendar.events.insert) -> Event.
sdk::Outcome create_event(sdk::Call& call, std::string_view params_json);
// PATCH calendars/{calendarId}/events/{eventId} (calendar.events.patch) -> Event.
sdk::Outcome update_event(sdk::Call& call, std::string_view params_json);
// DELETE calendars/{calendarId}/events/{eventId} (calendar.events.delete) -> DeleteEventResult.
sdk::Outcome delete_event(sdk::Call& call, std::string_view params_json);
// GET calendars/{calendarId}/events (calendar.events.list), page after page -> ListEventsResult.
sdk::Outcome list_events(sdk::Call& call, std::string_view params_json);
// POST freeBusy (calendar.freebusy.query) -> GetAvailabilityResult.
sdk::Outcome get_availability(sdk::Call& call, std::string_view params_json);

} // namespace switchboard::plugins::google_calendar
