// The connector of the fictional Example Calendar API (base https://calendar.example.com/api):
//
//   GET  /v1/calendars/{calendar}/events?from=&to=[&q=]&limit=[&cursor=]
//        200 {"items": [Event...], "next_cursor": "..."}   (no next_cursor on the last page)
//   POST /v1/calendars/{calendar}/events   body: Event without id/status/links   201 Event
//   Event = {"id", "title", "notes", "place", "start": Time, "end": Time,
//            "status": "confirmed"|"tentative"|"cancelled",
//            "guests": [{"email", "name", "optional", "rsvp": "pending"|"yes"|"no"|"maybe"}],
//            "video_call": bool, "notify": "all"|"external"|"none",            (create only)
//            "link", "video_link", "created_at", "updated_at"}
//   Time  = {"at": RFC 3339, "tz": IANA zone} or {"day": "YYYY-MM-DD"}
//
// The connector maps the calendar contract (sdk/schemas/calendar.schema.json) to that API
// and back. It keeps no state, so concurrent invocations are safe.
#pragma once

#include <switchboard/plugin.hpp>

#include <string_view>

namespace example_calendar {

class CalendarConnector final : public switchboard::sdk::Connector {
public:
    switchboard::sdk::Outcome invoke(switchboard::sdk::Call& call, std::string_view action,
                                     std::string_view params_json) override;
};

} // namespace example_calendar
