#include "plugins/google_calendar/event_request.hpp"

#include "plugins/google_calendar/calendar_api.hpp"
#include "plugins/google_calendar/conference_request_id.hpp"
#include "plugins/google_calendar/time_format.hpp"

#include "switchboard/url.hpp"

#include <optional>

namespace switchboard::plugins::google_calendar {

using nlohmann::json;

namespace {

enum class Mode { create, patch };

// A contract EventTime read into the API's EventDateTime.
struct EventTimeValue {
    json api = json::object();
    std::optional<Instant> instant;   // date_time
    std::optional<date::sys_days> day; // date
};

std::optional<EventTimeValue> read_event_time(sdk::Params& reader, std::string_view name,
                                              bool required, Mode mode) {
    const json* time = reader.object(name, {.required = required});
    if (time == nullptr) return std::nullopt;
    const std::string pointer = sdk::Params::child("", name);
    reader.allow_only(pointer, {"date_time", "date", "time_zone"});
    const auto date_time = reader.string(pointer + "/date_time", {.min_length = 1, .max_length = 64});
    const auto day = reader.string(pointer + "/date", {.min_length = 1, .max_length = 10});
    const auto zone = reader.string(pointer + "/time_zone", {.min_length = 1, .max_length = 64});
    if (!reader.ok()) return std::nullopt;

    EventTimeValue out;
    if (date_time.has_value() == day.has_value()) {
        reader.fail(pointer, "'" + pointer + "' needs exactly one of date_time and date");
        return std::nullopt;
    }
    if (date_time) {
        out.instant = parse_rfc3339(*date_time);
        if (!out.instant) {
            reader.fail(sdk::Params::child(pointer, "date_time"),
                        "'" + pointer + "/date_time' is not an RFC 3339 date-time with an offset");
            return std::nullopt;
        }
        out.api["dateTime"] = *date_time;
        if (mode == Mode::patch) out.api["date"] = nullptr;
    } else {
        out.day = parse_date(*day);
        if (!out.day) {
            reader.fail(sdk::Params::child(pointer, "date"),
                        "'" + pointer + "/date' is not a date (YYYY-MM-DD)");
            return std::nullopt;
        }
        out.api["date"] = *day;
        if (mode == Mode::patch) out.api["dateTime"] = nullptr;
    }
    if (zone) {
        if (!is_time_zone_name(*zone) || find_time_zone(*zone) == nullptr) {
            reader.fail(sdk::Params::child(pointer, "time_zone"),
                        "'" + pointer + "/time_zone' is not a known IANA time zone");
            return std::nullopt;
        }
        out.api["timeZone"] = *zone;
    }
    return out;
}

json read_attendees(sdk::Params& reader, const json& list) {
    json out = json::array();
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string pointer = sdk::Params::child("/attendees", i);
        const json& item = list[i];
        if (!item.is_object()) {
            reader.fail(pointer, "'" + pointer + "' must be an object");
            return out;
        }
        reader.allow_only(pointer, {"email", "name", "optional"});
        const auto email = reader.string(pointer + "/email", {.required = true, .min_length = 3, .max_length = 320});
        const auto name = reader.string(pointer + "/name", {.max_length = 256});
        const auto optional = reader.boolean(pointer + "/optional");
        if (!reader.ok()) return out;
        if (email->find('@') == std::string::npos) {
            reader.fail(pointer + "/email", "'" + pointer + "/email' is not an e-mail address");
            return out;
        }
        json attendee = {{"email", *email}};
        if (name) attendee["displayName"] = *name;
        if (optional) attendee["optional"] = *optional;
        out.push_back(std::move(attendee));
    }
    return out;
}

json conference_create_request() {
    return {{"createRequest",
             {{"requestId", new_conference_request_id()},
              {"conferenceSolutionKey", {{"type", "hangoutsMeet"}}}}}};
}

// The members create_event and update_event share; `mode` says whether it is a patch.
EventWrite read_event_write(sdk::Params& reader, Mode mode) {
    EventWrite out;
    if (!reader.ok()) return out;
    if (mode == Mode::create) {
        reader.allow_only("", {"calendar_id", "summary", "description", "location", "start",
                                       "end", "attendees", "video_conference", "send_updates"});
    } else {
        reader.allow_only("", {"calendar_id", "event_id", "summary", "description",
                                       "location", "start", "end", "attendees",
                                       "video_conference", "send_updates"});
    }
    out.calendar_id = reader.string("calendar_id", {.min_length = 1, .max_length = 1024})
                          .value_or(std::string(primary_calendar));
    if (mode == Mode::patch) {
        out.event_id = reader.string("event_id", {.required = true, .min_length = 1, .max_length = 1024}).value_or("");
    }
    const bool create = mode == Mode::create;
    const auto summary = reader.string("summary", {.required = create, .min_length = 1, .max_length = 1024});
    const auto description = reader.string("description", {.max_length = 8192});
    const auto location = reader.string("location", {.max_length = 1024});
    const auto start = read_event_time(reader, "start", create, mode);
    const auto end = read_event_time(reader, "end", create, mode);
    const json* attendees = reader.array("attendees", {.max_items = 100});
    const json attendee_list = attendees != nullptr ? read_attendees(reader, *attendees) : json();
    const auto video = reader.boolean("video_conference");
    const auto send_updates = reader.string("send_updates", {.min_length = 1, .max_length = 32});
    if (!reader.ok()) return out;

    if (send_updates) {
        out.send_updates = send_updates_value(*send_updates);
        if (out.send_updates.empty()) {
            reader.fail("/send_updates", "'/send_updates' must be all, external_only or none");
            return out;
        }
    }
    if (start && end) {
        if (start->instant.has_value() != end->instant.has_value()) {
            reader.fail("/end", "'/start' and '/end' must both be date-times or both dates");
            return out;
        }
        const bool ordered = start->instant ? *start->instant < *end->instant : *start->day < *end->day;
        if (!ordered) {
            reader.fail("/end", "'/end' must be after '/start'");
            return out;
        }
    }

    if (summary) out.body["summary"] = *summary;
    if (description) out.body["description"] = *description;
    if (location) out.body["location"] = *location;
    if (start) out.body["start"] = start->api;
    if (end) out.body["end"] = end->api;
    if (attendees != nullptr) out.body["attendees"] = attendee_list;
    if (video) {
        if (*video) {
            out.body["conferenceData"] = conference_create_request();
            out.conference_data = true;
        } else if (mode == Mode::patch) {
            out.body["conferenceData"] = nullptr;
            out.conference_data = true;
        }
    }
    if (mode == Mode::patch && out.body.empty()) {
        reader.fail("", "update_event needs at least one of summary, description, location, "
                        "start, end, attendees and video_conference");
    }
    return out;
}

} // namespace

std::string EventWrite::query() const {
    sdk::Query q;
    if (conference_data) q.add("conferenceDataVersion", "1");
    if (!send_updates.empty()) q.add("sendUpdates", send_updates);
    return q.str();
}

EventWrite read_create_event(sdk::Params& reader) { return read_event_write(reader, Mode::create); }

EventWrite read_update_event(sdk::Params& reader) { return read_event_write(reader, Mode::patch); }

} // namespace switchboard::plugins::google_calendar
