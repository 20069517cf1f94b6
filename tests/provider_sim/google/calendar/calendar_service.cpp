#include "tests/provider_sim/google/calendar/calendar_service.hpp"

#include "tests/provider_sim/common/base64.hpp"
#include "tests/provider_sim/common/page_token.hpp"
#include "tests/provider_sim/common/random.hpp"
#include "tests/provider_sim/common/rfc3339.hpp"
#include "tests/provider_sim/common/text.hpp"
#include "tests/provider_sim/google/calendar/event_time.hpp"
#include "tests/provider_sim/google/google_errors.hpp"

#include <algorithm>
#include <regex>

namespace switchboard::sim {
namespace {

using nlohmann::json;

constexpr std::size_t kDefaultEventsPageSize = 250;
constexpr std::size_t kMaxEventsPageSize = 2500;

// Fields the server owns; what a client sends for them is ignored, as Google does.
constexpr std::array<std::string_view, 9> kServerFields = {
    "kind", "etag", "htmlLink", "created", "updated", "creator", "organizer", "iCalUID", "hangoutLink"};

json strip_server_fields(json body) {
    for (const auto field : kServerFields) {
        body.erase(std::string(field));
    }
    return body;
}

Response calendar_not_found() { return google_error(404, "Not Found", {{"Not Found", "notFound"}}); }

TimePoint time_param(const GoogleCall& call, std::string_view name, TimePoint absent) {
    const auto text = call.param(name);
    return text ? parse_rfc3339(*text).value_or(absent) : absent;
}

Response time_range_empty(std::string location = {}) {
    GoogleErrorItem item{"The specified time range is empty.", "timeRangeEmpty", "calendar", std::move(location),
                         "parameter"};
    return google_error(400, item.message, {item});
}

bool contains_text(const json& event, const std::string& needle) {
    const auto has = [&](const json& v) {
        return v.is_string() && lower(v.get<std::string>()).find(needle) != std::string::npos;
    };
    for (const auto* key : {"summary", "description", "location"}) {
        if (event.contains(key) && has(event.at(key))) {
            return true;
        }
    }
    for (const auto* key : {"attendees"}) {
        if (event.contains(key) && event.at(key).is_array()) {
            for (const auto& a : event.at(key)) {
                if ((a.contains("email") && has(a.at("email"))) ||
                    (a.contains("displayName") && has(a.at("displayName")))) {
                    return true;
                }
            }
        }
    }
    const json& organizer = event.value("organizer", json::object());
    return (organizer.contains("email") && has(organizer.at("email")));
}

std::string new_etag() {
    return "\"" + std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count()) +
           "\"";
}

json meet_conference(const std::string& request_id) {
    const std::string code = random_letters(3) + "-" + random_letters(4) + "-" + random_letters(3);
    return json{
        {"createRequest",
         {{"requestId", request_id},
          {"conferenceSolutionKey", {{"type", "hangoutsMeet"}}},
          {"status", {{"statusCode", "success"}}}}},
        {"entryPoints",
         json::array({{{"entryPointType", "video"},
                       {"uri", "https://meet.google.com/" + code},
                       {"label", "meet.google.com/" + code}}})},
        {"conferenceSolution",
         {{"key", {{"type", "hangoutsMeet"}}},
          {"name", "Google Meet"},
          {"iconUri", "https://fonts.gstatic.com/s/i/productlogos/meet_2020q4/v6/web-512dp/"
                      "logo_meet_2020q4_color_2x_web_512dp.png"}}},
        {"conferenceId", code}};
}

} // namespace

void CalendarService::register_with(GoogleApi& api) {
    api.add("calendar.events.insert", [this](const GoogleCall& c) { return insert(c); });
    api.add("calendar.events.get", [this](const GoogleCall& c) { return get(c); });
    api.add("calendar.events.update", [this](const GoogleCall& c) { return update(c, false); });
    api.add("calendar.events.patch", [this](const GoogleCall& c) { return update(c, true); });
    api.add("calendar.events.delete", [this](const GoogleCall& c) { return remove(c); });
    api.add("calendar.events.list", [this](const GoogleCall& c) { return list(c); });
    api.add("calendar.freebusy.query", [this](const GoogleCall& c) { return freebusy(c); });
}

void CalendarService::clear() {
    std::lock_guard lock(mutex_);
    calendars_.clear();
}

CalendarService::Calendar* CalendarService::own_calendar(const GoogleCall& call) {
    const std::string id = call.path("calendarId");
    if (id != "primary" && lower(id) != lower(call.caller.user)) {
        return nullptr;
    }
    return &calendars_[call.caller.user];
}

std::optional<Response> CalendarService::apply_conference(const GoogleCall& call, Calendar& calendar,
                                                          json& event) {
    const int version = std::stoi(call.param("conferenceDataVersion").value_or("0"));
    if (!event.contains("conferenceData")) {
        return std::nullopt;
    }
    if (version == 0) {
        // "Version 0 ... ignores conference data in the event's body."
        event.erase("conferenceData");
        return std::nullopt;
    }
    json& data = event.at("conferenceData");
    if (!data.contains("createRequest") || data.contains("conferenceId")) {
        return std::nullopt; // copying an existing conference, or one already made
    }
    const json& request = data.at("createRequest");
    const std::string type = request.value("conferenceSolutionKey", json::object()).value("type", "");
    if (type != "hangoutsMeet") {
        return google_error(400, "Invalid conference type value.",
                            {{"Invalid conference type value.", "invalid"}});
    }
    const std::string request_id = request.value("requestId", "");
    if (request_id.empty()) {
        return google_error(400, "Invalid conference create request.",
                            {{"Invalid conference create request.", "invalid"}});
    }
    if (!calendar.conference_request_ids.insert(request_id).second) {
        event.erase("conferenceData"); // a repeated requestId: the create request is ignored
        return std::nullopt;
    }
    data = meet_conference(request_id);
    event["hangoutLink"] = data.at("entryPoints").at(0).at("uri");
    return std::nullopt;
}

std::optional<Response> CalendarService::finish(json& event) {
    const json start_field = event.value("start", json());
    const json end_field = event.value("end", json());
    if (start_field.is_object() && end_field.is_object() &&
        start_field.contains("date") != end_field.contains("date")) {
        const std::string message = "Start and end times must either both be date or both be dateTime.";
        return google_error(400, message, {{message, "invalid"}});
    }
    const auto start = event_time(event.value("start", json()));
    const auto end = event_time(event.value("end", json()));
    if (start && end && *end < *start) {
        return time_range_empty();
    }
    event["updated"] = format_rfc3339(state_.clock.now());
    event["etag"] = new_etag();
    return std::nullopt;
}

Response CalendarService::insert(const GoogleCall& call) {
    std::lock_guard lock(mutex_);
    Calendar* calendar = own_calendar(call);
    if (!calendar) {
        return calendar_not_found();
    }
    json event = strip_server_fields(call.body);
    std::string id = event.value("id", "");
    if (!id.empty()) {
        static const std::regex kIdPattern("^[a-v0-9]{5,1024}$");
        if (!std::regex_match(id, kIdPattern)) {
            return google_error(400, "Invalid resource id value.", {{"Invalid resource id value.", "invalid"}});
        }
        if (calendar->events.contains(id)) {
            return google_error(409, "The requested identifier already exists.",
                                {{"The requested identifier already exists.", "duplicate"}});
        }
    } else {
        id = random_base32hex(26);
    }
    const std::string& user = call.caller.user;
    const std::string now = format_rfc3339(state_.clock.now());
    event["kind"] = "calendar#event";
    event["id"] = id;
    event["status"] = event.value("status", "confirmed");
    event["htmlLink"] = "https://www.google.com/calendar/event?eid=" + base64url_encode(id + " " + user);
    event["created"] = now;
    event["creator"] = {{"email", user}, {"self", true}};
    event["organizer"] = {{"email", user}, {"self", true}};
    event["iCalUID"] = id + "@google.com";
    event["sequence"] = event.value("sequence", 0);
    event["eventType"] = event.value("eventType", "default");
    if (!event.contains("reminders")) {
        event["reminders"] = {{"useDefault", true}};
    }
    if (event.contains("attendees")) {
        for (auto& a : event.at("attendees")) {
            if (!a.contains("responseStatus")) {
                a["responseStatus"] = "needsAction";
            }
        }
    }
    if (auto error = apply_conference(call, *calendar, event)) {
        return *error;
    }
    if (auto error = finish(event)) {
        return *error;
    }
    calendar->events[id] = event;
    calendar->order.push_back(id);
    return Response::json(200, event.dump());
}

Response CalendarService::get(const GoogleCall& call) {
    std::lock_guard lock(mutex_);
    Calendar* calendar = own_calendar(call);
    if (!calendar) {
        return calendar_not_found();
    }
    const auto it = calendar->events.find(call.path("eventId"));
    if (it == calendar->events.end()) {
        return calendar_not_found();
    }
    return Response::json(200, it->second.dump());
}

Response CalendarService::update(const GoogleCall& call, bool patch) {
    std::lock_guard lock(mutex_);
    Calendar* calendar = own_calendar(call);
    if (!calendar) {
        return calendar_not_found();
    }
    const auto it = calendar->events.find(call.path("eventId"));
    if (it == calendar->events.end()) {
        return calendar_not_found();
    }
    const json& existing = it->second;
    json changes = strip_server_fields(call.body);
    changes.erase("id");
    json event;
    if (patch) {
        event = existing;
        event.merge_patch(changes);
    } else {
        event = changes;
        for (const auto* key : {"kind", "id", "htmlLink", "created", "creator", "organizer", "iCalUID"}) {
            event[key] = existing.at(key);
        }
        event["status"] = event.value("status", "confirmed");
        event["eventType"] = event.value("eventType", "default");
        if (!event.contains("reminders")) {
            event["reminders"] = {{"useDefault", true}};
        }
    }
    const int version = std::stoi(call.param("conferenceDataVersion").value_or("0"));
    if (version == 0) {
        // Conference data in the body is ignored; the event keeps what it had.
        event.erase("conferenceData");
        event.erase("hangoutLink");
        if (existing.contains("conferenceData")) {
            event["conferenceData"] = existing.at("conferenceData");
        }
        if (existing.contains("hangoutLink")) {
            event["hangoutLink"] = existing.at("hangoutLink");
        }
    } else if (auto error = apply_conference(call, *calendar, event)) {
        return *error;
    } else if (!event.contains("conferenceData")) {
        event.erase("hangoutLink"); // the conference was removed (null in a patch, absent in a put)
    }
    if (event.value("start", json()) != existing.value("start", json()) ||
        event.value("end", json()) != existing.value("end", json())) {
        event["sequence"] = existing.value("sequence", 0) + 1;
    }
    if (auto error = finish(event)) {
        return *error;
    }
    it->second = event;
    return Response::json(200, event.dump());
}

Response CalendarService::remove(const GoogleCall& call) {
    std::lock_guard lock(mutex_);
    Calendar* calendar = own_calendar(call);
    if (!calendar) {
        return calendar_not_found();
    }
    const auto it = calendar->events.find(call.path("eventId"));
    if (it == calendar->events.end()) {
        return calendar_not_found();
    }
    if (it->second.value("status", "") == "cancelled") {
        return google_error(410, "Resource has been deleted", {{"Resource has been deleted", "deleted"}});
    }
    it->second["status"] = "cancelled";
    it->second["updated"] = format_rfc3339(state_.clock.now());
    it->second["etag"] = new_etag();
    return Response::empty(204);
}

Response CalendarService::list(const GoogleCall& call) {
    if (call.param("syncToken")) {
        return google_error(501, "provider-sim does not support incremental sync (syncToken)");
    }
    const bool single_events = call.param("singleEvents") == std::optional<std::string>("true");
    const std::string order_by = call.param("orderBy").value_or("");
    if (order_by == "startTime" && !single_events) {
        return google_error(400, "The requested ordering is not available for the particular query.",
                            {{"The requested ordering is not available for the particular query.", "badRequest"}});
    }
    // Absent bounds are open ends (the parameters were validated as RFC 3339 already).
    const TimePoint time_min = time_param(call, "timeMin", TimePoint::min());
    const TimePoint time_max = time_param(call, "timeMax", TimePoint::max());
    if (time_min >= time_max) {
        return time_range_empty("timeMax");
    }
    const TimePoint updated_min = time_param(call, "updatedMin", TimePoint::min());
    const bool show_deleted = call.param("showDeleted") == std::optional<std::string>("true");
    const std::string q = lower(call.param("q").value_or(""));
    const auto ical_uid = call.param("iCalUID");
    const std::size_t page_size =
        std::min<std::size_t>(std::stoul(call.param("maxResults").value_or(std::to_string(kDefaultEventsPageSize))),
                              kMaxEventsPageSize);
    const std::string page_scope = "calendar.events.list:" + call.caller.user;
    std::size_t offset = 0;
    if (const auto token = call.param("pageToken")) {
        const auto read = read_page_token(page_scope, *token);
        if (!read) {
            return google_error(400, "Invalid page token value.",
                                {{"Invalid page token value.", "invalid", "global", "pageToken", "parameter"}});
        }
        offset = *read;
    }

    std::vector<json> items;
    {
        std::lock_guard lock(mutex_);
        Calendar* calendar = own_calendar(call);
        if (!calendar) {
            return calendar_not_found();
        }
        for (const auto& id : calendar->order) {
            const json& e = calendar->events.at(id);
            if (!show_deleted && e.value("status", "") == "cancelled") {
                continue;
            }
            const TimePoint start = event_time(e.value("start", json())).value_or(TimePoint::min());
            const TimePoint end = event_time(e.value("end", json())).value_or(TimePoint::max());
            if (end <= time_min || start >= time_max) {
                continue;
            }
            if (parse_rfc3339(e.value("updated", "")).value_or(TimePoint::max()) < updated_min) {
                continue;
            }
            if (!q.empty() && !contains_text(e, q)) {
                continue;
            }
            if (ical_uid && e.value("iCalUID", "") != *ical_uid) {
                continue;
            }
            items.push_back(e);
        }
    }
    if (order_by == "startTime") {
        std::stable_sort(items.begin(), items.end(), [](const json& a, const json& b) {
            return event_time(a.value("start", json())) < event_time(b.value("start", json()));
        });
    } else if (order_by == "updated") {
        std::stable_sort(items.begin(), items.end(), [](const json& a, const json& b) {
            return parse_rfc3339(a.value("updated", "")) < parse_rfc3339(b.value("updated", ""));
        });
    }
    json page = json::array();
    for (std::size_t i = offset; i < items.size() && i < offset + page_size; ++i) {
        page.push_back(items[i]);
    }
    json body{{"kind", "calendar#events"},
              {"etag", new_etag()},
              {"summary", call.caller.user},
              {"updated", format_rfc3339(state_.clock.now())},
              {"timeZone", "UTC"},
              {"accessRole", "owner"},
              {"defaultReminders", json::array({{{"method", "popup"}, {"minutes", 10}}})},
              {"items", page}};
    if (offset + page_size < items.size()) {
        body["nextPageToken"] = make_page_token(page_scope, offset + page_size);
    }
    return Response::json(200, body.dump());
}

Response CalendarService::freebusy(const GoogleCall& call) {
    // Both were validated as RFC 3339 and required (google_rules).
    const TimePoint time_min = parse_rfc3339(call.body.value("timeMin", "")).value_or(TimePoint::max());
    const TimePoint time_max = parse_rfc3339(call.body.value("timeMax", "")).value_or(TimePoint::min());
    if (time_min >= time_max) {
        return time_range_empty("timeMax");
    }
    json calendars = json::object();
    std::lock_guard lock(mutex_);
    for (const auto& item : call.body.value("items", json::array())) {
        const std::string id = item.value("id", "");
        const std::string account = id == "primary" ? call.caller.user : id;
        const auto it = std::find_if(calendars_.begin(), calendars_.end(),
                                     [&](const auto& c) { return lower(c.first) == lower(account); });
        if (it == calendars_.end() && lower(account) != lower(call.caller.user)) {
            calendars[id] = {{"errors", json::array({{{"domain", "global"}, {"reason", "notFound"}}})},
                             {"busy", json::array()}};
            continue;
        }
        std::vector<std::pair<TimePoint, TimePoint>> busy;
        if (it != calendars_.end()) {
            for (const auto& [event_id, e] : it->second.events) {
                if (e.value("status", "") == "cancelled" || e.value("transparency", "") == "transparent") {
                    continue;
                }
                const TimePoint s = std::max(event_time(e.value("start", json())).value_or(TimePoint::max()), time_min);
                const TimePoint f = std::min(event_time(e.value("end", json())).value_or(TimePoint::min()), time_max);
                if (s < f) {
                    busy.emplace_back(s, f);
                }
            }
        }
        std::sort(busy.begin(), busy.end());
        json periods = json::array();
        for (std::size_t i = 0; i < busy.size();) {
            TimePoint s = busy[i].first;
            TimePoint f = busy[i].second;
            for (++i; i < busy.size() && busy[i].first <= f; ++i) {
                f = std::max(f, busy[i].second);
            }
            periods.push_back({{"start", format_rfc3339(s)}, {"end", format_rfc3339(f)}});
        }
        calendars[id] = {{"busy", periods}};
    }
    const json body{{"kind", "calendar#freeBusy"},
                    {"timeMin", format_rfc3339(time_min)},
                    {"timeMax", format_rfc3339(time_max)},
                    {"calendars", calendars}};
    return Response::json(200, body.dump());
}

} // namespace switchboard::sim
