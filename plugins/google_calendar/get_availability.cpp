// get_availability: one freeBusy query for every calendar, then the free slots within working
// hours (availability.hpp). Every time in the answer is written in the working hours' time
// zone (UTC without working hours), as is what freeBusy is asked to answer in.
#include "plugins/google_calendar/actions.hpp"

#include "plugins/google_calendar/availability.hpp"
#include "plugins/google_calendar/calendar_api.hpp"
#include "switchboard/params.hpp"
#include "plugins/google_calendar/time_format.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace switchboard::plugins::google_calendar {
namespace {

using nlohmann::json;
using std::chrono::minutes;

// "HH:MM" as minutes after midnight; `allow_24` admits 24:00 (the end of the day).
std::optional<minutes> parse_clock(std::string_view text, bool allow_24) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    for (const std::size_t i : {0u, 1u, 3u, 4u}) {
        if (text[i] < '0' || text[i] > '9') return std::nullopt;
    }
    const int h = (text[0] - '0') * 10 + (text[1] - '0');
    const int m = (text[3] - '0') * 10 + (text[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24))) return std::nullopt;
    return minutes{h * 60 + m};
}

std::optional<WorkingHours> read_working_hours(sdk::Params& reader) {
    const json* object = reader.object("working_hours");
    if (object == nullptr) return std::nullopt;
    const std::string pointer = "/working_hours";
    reader.allow_only(pointer, {"start", "end", "time_zone", "days"});
    const auto start = reader.string(pointer + "/start", {.required = true, .min_length = 5, .max_length = 5});
    const auto end = reader.string(pointer + "/end", {.required = true, .min_length = 5, .max_length = 5});
    const auto zone = reader.string(pointer + "/time_zone", {.required = true, .min_length = 1, .max_length = 64});
    const json* days = reader.array(pointer + "/days", {.min_items = 1, .max_items = 7});
    if (!reader.ok()) return std::nullopt;

    WorkingHours hours;
    const auto start_minutes = parse_clock(*start, false);
    const auto end_minutes = parse_clock(*end, true);
    if (!start_minutes) {
        reader.fail(pointer + "/start", "'/working_hours/start' must be a time of day, HH:MM");
        return std::nullopt;
    }
    if (!end_minutes) {
        reader.fail(pointer + "/end", "'/working_hours/end' must be a time of day, HH:MM (up to 24:00)");
        return std::nullopt;
    }
    if (*end_minutes <= *start_minutes) {
        reader.fail(pointer + "/end", "'/working_hours/end' must be after '/working_hours/start'");
        return std::nullopt;
    }
    hours.start = *start_minutes;
    hours.end = *end_minutes;
    hours.zone = is_time_zone_name(*zone) ? find_time_zone(*zone) : nullptr;
    if (hours.zone == nullptr) {
        reader.fail(pointer + "/time_zone", "'/working_hours/time_zone' is not a known IANA time zone");
        return std::nullopt;
    }
    if (days != nullptr) {
        hours.iso_days.fill(false);
        for (std::size_t i = 0; i < days->size(); ++i) {
            const json& day = (*days)[i];
            const std::string field = sdk::Params::child(pointer + "/days", i);
            if (!day.is_number_integer() || day.get<std::int64_t>() < 1 || day.get<std::int64_t>() > 7) {
                reader.fail(field, "'" + field + "' must be an ISO weekday, 1 (Monday) to 7 (Sunday)");
                return std::nullopt;
            }
            const auto iso = static_cast<std::size_t>(day.get<std::int64_t>());
            if (hours.iso_days[iso]) {
                reader.fail(field, "'" + field + "' repeats a weekday");
                return std::nullopt;
            }
            hours.iso_days[iso] = true;
        }
    }
    return hours;
}

json intervals_json(const std::vector<Interval>& intervals, const date::time_zone* zone) {
    json out = json::array();
    for (const Interval& i : intervals) {
        out.push_back({{"start", format_rfc3339(i.start, zone)}, {"end", format_rfc3339(i.end, zone)}});
    }
    return out;
}

// The outcome for a calendar freeBusy could not answer for: a free slot computed without its
// busy times would be a lie, so the whole action fails.
sdk::Outcome calendar_error(const std::string& calendar_id, const json& errors) {
    std::string reason;
    if (!errors.empty() && errors[0].is_object()) {
        // find, not value(): value() throws when Google's member has another type.
        const auto it = errors[0].find("reason");
        if (it != errors[0].end() && it->is_string()) reason = it->get<std::string>();
    }
    if (reason == "notFound") {
        return sdk::Outcome::not_found("Google Calendar has no calendar '" + calendar_id +
                                       "' this account can read (notFound)");
    }
    if (reason == "groupTooBig" || reason == "tooManyCalendarsRequested") {
        return sdk::Outcome::invalid_input("provider_rejected_request",
                                           "Google Calendar refused the free/busy query (" +
                                               reason + ")",
                                           "/calendar_ids");
    }
    return sdk::Outcome::error(SB_STATUS_UNAVAILABLE, "provider_unavailable",
                               "Google Calendar could not compute free/busy times for '" +
                                   calendar_id + "'" + (reason.empty() ? "" : " (" + reason + ")"));
}

} // namespace

sdk::Outcome get_availability(sdk::Call& call, std::string_view params_json) {
    sdk::Params reader(params_json);
    reader.allow_only("", {"time_min", "time_max", "duration_minutes", "calendar_ids", "working_hours"});
    const auto time_min = reader.string("time_min", {.required = true, .min_length = 1, .max_length = 64});
    const auto time_max = reader.string("time_max", {.required = true, .min_length = 1, .max_length = 64});
    const auto duration = reader.integer("duration_minutes", {.required = true, .min = 5, .max = 1440});
    const auto listed = reader.strings("calendar_ids", {.min_items = 1, .max_items = 50,
                                                       .min_length = 1, .max_length = 1024});
    // A calendar named twice is asked for once; none named: the primary calendar.
    std::vector<std::string> calendar_ids;
    for (const std::string& id : listed.value_or(std::vector<std::string>{std::string(primary_calendar)})) {
        if (std::find(calendar_ids.begin(), calendar_ids.end(), id) == calendar_ids.end()) {
            calendar_ids.push_back(id);
        }
    }
    const auto hours = read_working_hours(reader);
    if (!reader.ok()) return reader.error();
    const auto time_range = read_time_range(reader, *time_min, *time_max);
    if (!time_range) return reader.error();
    const Interval range = *time_range;
    const date::time_zone* zone = hours ? hours->zone : nullptr;

    json items = json::array();
    for (const auto& id : calendar_ids) items.push_back({{"id", id}});
    const json body = {{"timeMin", *time_min},
                       {"timeMax", *time_max},
                       {"timeZone", zone != nullptr ? std::string(zone->name()) : "UTC"},
                       {"items", std::move(items)}};
    const sdk::HttpResponse response = call.send_json("POST", free_busy_path(), body.dump());
    if (!response.ok()) return error_outcome(response);

    const json answer = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    const auto answered = answer.is_object() ? answer.find("calendars") : answer.end();
    if (!answer.is_object() || answered == answer.end() || !answered->is_object()) {
        return unreadable_response("a free/busy answer");
    }
    std::vector<Interval> busy;
    for (const auto& id : calendar_ids) {
        const auto entry = answered->find(id);
        if (entry == answered->end() || !entry->is_object()) {
            return unreadable_response("a free/busy answer without calendar '" + id + "'");
        }
        if (const auto errors = entry->find("errors");
            errors != entry->end() && errors->is_array() && !errors->empty()) {
            return calendar_error(id, *errors);
        }
        const auto periods = entry->find("busy");
        if (periods == entry->end()) continue;
        if (!periods->is_array()) return unreadable_response("a free/busy answer");
        for (const json& period : *periods) {
            const std::string* start = period.is_object() && period.contains("start") &&
                                               period["start"].is_string()
                                           ? period["start"].get_ptr<const std::string*>()
                                           : nullptr;
            const std::string* end = period.is_object() && period.contains("end") &&
                                             period["end"].is_string()
                                         ? period["end"].get_ptr<const std::string*>()
                                         : nullptr;
            const auto s = start ? parse_rfc3339(*start) : std::nullopt;
            const auto e = end ? parse_rfc3339(*end) : std::nullopt;
            if (!s || !e) return unreadable_response("a busy period");
            busy.push_back({*s, *e});
        }
    }

    const std::vector<Interval> merged = merge_busy(busy, range);
    const std::vector<Interval> slots = free_slots(range, merged, hours, minutes{*duration});
    const json result = {{"free_slots", intervals_json(slots, zone)},
                         {"busy", intervals_json(merged, zone)}};
    return sdk::Outcome::success(result.dump());
}

} // namespace switchboard::plugins::google_calendar
