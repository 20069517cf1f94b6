#include "plugins/google_calendar/event_mapping.hpp"

#include "plugins/google_calendar/time_format.hpp"

#include <string>

namespace switchboard::plugins::google_calendar {

using nlohmann::json;

namespace {

// The contract's bounds (sdk/schemas/calendar.schema.json), in bytes: never more code points.
constexpr std::size_t max_id_length = 1024;
constexpr std::size_t max_date_time_length = 64;
constexpr std::size_t max_link_length = 8192;

const std::string* string_member(const json& object, const char* name) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(name);
    if (it == object.end() || !it->is_string()) return nullptr;
    return it->get_ptr<const std::string*>();
}

// An RFC 3339 date-time as the contract wants it (with an offset). Google writes one; a
// local time without offset is placed in `zone` when there is one.
std::optional<std::string> contract_date_time(const std::string& text, const std::string* zone) {
    if (text.size() > max_date_time_length) return std::nullopt;
    if (parse_rfc3339(text)) return text;
    if (zone == nullptr) return std::nullopt;
    const date::time_zone* tz = find_time_zone(*zone);
    if (tz == nullptr) return std::nullopt;
    const auto instant = parse_local_date_time(text, *tz);
    if (!instant) return std::nullopt;
    return format_rfc3339(*instant, tz);
}

// EventDateTime -> EventTime; nullopt when it holds neither a usable dateTime nor a date.
std::optional<json> map_time(const json& time) {
    const std::string* zone = string_member(time, "timeZone");
    json out = json::object();
    if (const std::string* date_time = string_member(time, "dateTime")) {
        const auto value = contract_date_time(*date_time, zone);
        if (!value) return std::nullopt;
        out["date_time"] = *value;
    } else if (const std::string* day = string_member(time, "date"); day && parse_date(*day)) {
        out["date"] = *day;
    } else {
        return std::nullopt;
    }
    if (zone != nullptr && is_time_zone_name(*zone)) out["time_zone"] = *zone;
    return out;
}

std::optional<std::string> response_status(const std::string* value) {
    if (value == nullptr) return std::nullopt;
    if (*value == "needsAction") return "needs_action";
    if (*value == "accepted" || *value == "declined" || *value == "tentative") return *value;
    return std::nullopt;
}

json map_attendees(const json& list) {
    json out = json::array();
    for (const json& a : list) {
        const std::string* email = string_member(a, "email");
        if (email == nullptr || email->empty()) continue; // e.g. a resource without an address
        json attendee = {{"email", *email}};
        if (const std::string* name = string_member(a, "displayName")) attendee["name"] = *name;
        if (const auto it = a.find("optional"); it != a.end() && it->is_boolean()) {
            attendee["optional"] = *it;
        }
        if (const auto status = response_status(string_member(a, "responseStatus"))) {
            attendee["response_status"] = *status;
        }
        out.push_back(std::move(attendee));
    }
    return out;
}

// A link the contract takes: not empty, at most 8192 characters.
bool usable_link(const std::string* link) {
    return link != nullptr && !link->empty() && link->size() <= max_link_length;
}

// hangoutLink, else the conference's video entry point.
const std::string* video_link(const json& event) {
    if (const std::string* link = string_member(event, "hangoutLink"); usable_link(link)) {
        return link;
    }
    const auto conference = event.find("conferenceData");
    if (conference == event.end() || !conference->is_object()) return nullptr;
    const auto entry_points = conference->find("entryPoints");
    if (entry_points == conference->end() || !entry_points->is_array()) return nullptr;
    for (const json& entry : *entry_points) {
        const std::string* type = string_member(entry, "entryPointType");
        const std::string* uri = string_member(entry, "uri");
        if (type && *type == "video" && usable_link(uri)) return uri;
    }
    return nullptr;
}

void copy_string(const json& from, const char* api_name, json& to, const char* contract_name) {
    if (const std::string* value = string_member(from, api_name)) to[contract_name] = *value;
}

void copy_date_time(const json& from, const char* api_name, json& to, const char* contract_name) {
    const std::string* value = string_member(from, api_name);
    if (value != nullptr && value->size() <= max_date_time_length && parse_rfc3339(*value)) {
        to[contract_name] = *value;
    }
}

} // namespace

std::optional<json> map_event(const json& event, std::string_view calendar_id) {
    if (!event.is_object()) return std::nullopt;
    const std::string* id = string_member(event, "id");
    if (id == nullptr || id->empty() || id->size() > max_id_length) return std::nullopt;
    const auto start_it = event.find("start");
    const auto end_it = event.find("end");
    if (start_it == event.end() || end_it == event.end()) return std::nullopt;
    const auto start = map_time(*start_it);
    const auto end = map_time(*end_it);
    if (!start || !end) return std::nullopt;

    // "confirmed" is the API's documented default when status is absent.
    std::string status = "confirmed";
    if (const std::string* s = string_member(event, "status");
        s && (*s == "tentative" || *s == "cancelled")) {
        status = *s;
    }
    json out = {{"id", *id},
                {"calendar_id", std::string(calendar_id)},
                {"start", *start},
                {"end", *end},
                {"status", status}};
    copy_string(event, "summary", out, "summary");
    copy_string(event, "description", out, "description");
    copy_string(event, "location", out, "location");
    if (const std::string* link = string_member(event, "htmlLink"); usable_link(link)) out["html_link"] = *link;
    if (const auto it = event.find("attendees"); it != event.end() && it->is_array()) {
        out["attendees"] = map_attendees(*it);
    }
    if (const auto it = event.find("organizer"); it != event.end() && it->is_object()) {
        json organizer = json::object();
        copy_string(*it, "email", organizer, "email");
        copy_string(*it, "displayName", organizer, "name");
        if (!organizer.empty()) out["organizer"] = std::move(organizer);
    }
    if (const std::string* link = video_link(event)) out["video_conference_link"] = *link;
    copy_date_time(event, "created", out, "created");
    copy_date_time(event, "updated", out, "updated");
    return out;
}

} // namespace switchboard::plugins::google_calendar
