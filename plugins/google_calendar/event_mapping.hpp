// A Calendar API Event resource mapped onto the contract's Event (calendar.schema.json).
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string_view>

namespace switchboard::plugins::google_calendar {

// The contract Event for `event`, an Event resource read from `calendar_id`: id, calendar_id,
// summary, description, location, start, end, attendees (email, displayName -> name,
// optional, responseStatus -> response_status), organizer, status, htmlLink -> html_link,
// created, updated, and video_conference_link (hangoutLink, else the uri of the
// conference's "video" entry point). Members the contract would refuse (an unknown status,
// an attendee without an e-mail, a time the schema's date-time format does not admit, a
// date-time longer than 64 characters or a link longer than 8192) are normalised or left out,
// never invented. Returns nullopt when the resource lacks what an Event requires (an id of 1
// to 1024 characters, a start and an end).
std::optional<nlohmann::json> map_event(const nlohmann::json& event, std::string_view calendar_id);

} // namespace switchboard::plugins::google_calendar
