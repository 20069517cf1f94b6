// Calendar API v3 request paths (relative to the API base URL https://www.googleapis.com,
// so they start with the service path /calendar/v3/) and the small shared pieces of every
// action: the sendUpdates values and the outcome for an answer the plugin cannot read.
#pragma once

#include "switchboard/host.hpp"
#include "switchboard/outcome.hpp"

#include <string>
#include <string_view>

namespace switchboard::plugins::google_calendar {

// The contract's default calendar: the account's main calendar.
inline constexpr std::string_view primary_calendar = "primary";

// calendar.events.insert / calendar.events.list: calendars/{calendarId}/events
std::string events_path(std::string_view calendar_id);
// calendar.events.patch / calendar.events.delete: calendars/{calendarId}/events/{eventId}
std::string event_path(std::string_view calendar_id, std::string_view event_id);
// calendar.freebusy.query: freeBusy
std::string free_busy_path();

// The Calendar API's sendUpdates value for the contract's send_updates ("all",
// "external_only", "none"), or "" for a value the contract does not define.
std::string_view send_updates_value(std::string_view contract_value);

// The outcome of a failed answer: plugins/common/google_api_error.hpp's mapping (Google's
// rate-limit reasons, its message). That header reads the error body with json::value(),
// which throws when a member has an unexpected type (e.g. {"error": {"code": "404"}}); such
// a body falls back to the SDK's mapping by HTTP status instead of becoming an internal error.
sdk::Outcome error_outcome(const sdk::HttpResponse& response);

// A successful answer whose body is not what the Calendar API documents: the provider (or
// something between) misbehaved, so retrying may help.
sdk::Outcome unreadable_response(std::string_view what);

} // namespace switchboard::plugins::google_calendar
