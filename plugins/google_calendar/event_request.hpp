// The contract's create_event and update_event params read into a Calendar API Event
// resource (calendar.events.insert) or an Event patch (calendar.events.patch), with the
// query parameters that go with them.
#pragma once

#include "switchboard/params.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace switchboard::plugins::google_calendar {

struct EventWrite {
    std::string calendar_id;  // "primary" when the params name none
    std::string event_id;     // update_event only
    nlohmann::json body = nlohmann::json::object();
    std::string send_updates; // the API's value ("all", "externalOnly", "none") or ""
    // conferenceDataVersion=1: the body creates (or removes) a conference. Without it the
    // API ignores conferenceData altogether.
    bool conference_data = false;

    // "?conferenceDataVersion=1&sendUpdates=..." (each part only when needed), or "".
    std::string query() const;
};

// create_event: summary, description, location, start, end, attendees, video_conference,
// send_updates. A video conference is a conferenceData.createRequest for Google Meet
// ("hangoutsMeet") with a new random requestId. Problems are recorded in `reader`; the
// returned value is meaningful only when reader.ok().
EventWrite read_create_event(sdk::Params& reader);

// update_event: only the members present in the params go into the patch (absent ones are
// kept by Google). start/end replace the whole time: a date-time clears "date" and a date
// clears "dateTime" (with JSON null, which a patch uses to delete a member), because the
// API merges a patched object into the stored one and an event cannot have both. Attendees
// replace the whole list (a patch replaces arrays). video_conference true asks for a new
// Meet conference; false removes the event's conference by patching conferenceData to null;
// both send conferenceDataVersion=1, without which Google ignores conferenceData.
EventWrite read_update_event(sdk::Params& reader);

} // namespace switchboard::plugins::google_calendar
