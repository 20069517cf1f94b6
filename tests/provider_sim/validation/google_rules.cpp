#include "tests/provider_sim/validation/google_rules.hpp"

#include <array>

namespace switchboard::sim {
namespace {

constexpr std::string_view kEventRef = "https://developers.google.com/calendar/api/v3/reference/events";
constexpr std::string_view kFreeBusyRef =
    "https://developers.google.com/calendar/api/v3/reference/freebusy/query";

// An event time is either an all-day "date" or a "dateTime"; insert and update need both.
constexpr std::string_view kStartRequired =
    R"({"required":["start"],"properties":{"start":{"anyOf":[{"required":["date"]},{"required":["dateTime"]}]}}})";
constexpr std::string_view kEndRequired =
    R"({"required":["end"],"properties":{"end":{"anyOf":[{"required":["date"]},{"required":["dateTime"]}]}}})";
constexpr std::string_view kStartHasTime =
    R"({"properties":{"start":{"anyOf":[{"required":["date"]},{"required":["dateTime"]}]}}})";
constexpr std::string_view kEndHasTime =
    R"({"properties":{"end":{"anyOf":[{"required":["date"]},{"required":["dateTime"]}]}}})";
// "A time zone offset is required unless a time zone is explicitly specified in timeZone."
// Recurring events need the timeZone whatever the offset.
constexpr std::string_view kStartHasZone =
    R"({"properties":{"start":{"anyOf":[{"required":["date"]},{"required":["timeZone"]},)"
    R"({"not":{"required":["dateTime"]}},)"
    R"({"properties":{"dateTime":{"format":"date-time"}}}]}},)"
    R"("anyOf":[{"not":{"required":["recurrence"]}},{"properties":{"start":{"anyOf":[)"
    R"({"required":["date"]},{"required":["timeZone"]}]}}}]})";
constexpr std::string_view kEndHasZone =
    R"({"properties":{"end":{"anyOf":[{"required":["date"]},{"required":["timeZone"]},)"
    R"({"not":{"required":["dateTime"]}},)"
    R"({"properties":{"dateTime":{"format":"date-time"}}}]}},)"
    R"("anyOf":[{"not":{"required":["recurrence"]}},{"properties":{"end":{"anyOf":[)"
    R"({"required":["date"]},{"required":["timeZone"]}]}}}]})";
constexpr std::string_view kSameKind =
    R"({"anyOf":[{"not":{"required":["start","end"]}},)"
    R"({"properties":{"start":{"required":["date"]},"end":{"required":["date"]}}},)"
    R"({"properties":{"start":{"required":["dateTime"]},"end":{"required":["dateTime"]}}}]})";
constexpr std::string_view kFreeBusyWindow = R"({"required":["timeMin","timeMax"]})";
constexpr std::string_view kFreeBusyItems = R"({"required":["items"]})";

constexpr auto kRules = std::to_array<GoogleBodyRule>({
    {"calendar.events.insert", kStartRequired, "start", "Missing start time.", "required", kEventRef},
    {"calendar.events.insert", kEndRequired, "end", "Missing end time.", "required", kEventRef},
    {"calendar.events.insert", kStartHasZone, "start.timeZone",
     "Missing time zone definition for start time.", "required", kEventRef},
    {"calendar.events.insert", kEndHasZone, "end.timeZone",
     "Missing time zone definition for end time.", "required", kEventRef},
    {"calendar.events.insert", kSameKind, "end",
     "Start and end times must either both be date or both be dateTime.", "invalid", kEventRef},
    {"calendar.events.update", kStartRequired, "start", "Missing start time.", "required", kEventRef},
    {"calendar.events.update", kEndRequired, "end", "Missing end time.", "required", kEventRef},
    {"calendar.events.update", kStartHasZone, "start.timeZone",
     "Missing time zone definition for start time.", "required", kEventRef},
    {"calendar.events.update", kEndHasZone, "end.timeZone",
     "Missing time zone definition for end time.", "required", kEventRef},
    {"calendar.events.update", kSameKind, "end",
     "Start and end times must either both be date or both be dateTime.", "invalid", kEventRef},
    {"calendar.events.patch", kStartHasTime, "start", "Missing start time.", "required", kEventRef},
    {"calendar.events.patch", kEndHasTime, "end", "Missing end time.", "required", kEventRef},
    {"calendar.events.patch", kStartHasZone, "start.timeZone",
     "Missing time zone definition for start time.", "required", kEventRef},
    {"calendar.events.patch", kEndHasZone, "end.timeZone",
     "Missing time zone definition for end time.", "required", kEventRef},
    {"calendar.freebusy.query", kFreeBusyWindow, "timeMin", "Required", "required", kFreeBusyRef},
    {"calendar.freebusy.query", kFreeBusyItems, "items", "Required", "required", kFreeBusyRef},
});

// The discovery document types EventDateTime.dateTime as "date-time" (offset required), but
// the reference page lets the offset go when timeZone is given; kStartHasZone checks that.
constexpr auto kOverrides = std::to_array<SchemaOverride>({
    {"EventDateTime", "dateTime",
     R"({"type":"string","pattern":"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})?$"})",
     "https://developers.google.com/calendar/api/v3/reference/events#resource"},
});

} // namespace

std::span<const GoogleBodyRule> google_body_rules() { return kRules; }
std::span<const SchemaOverride> google_schema_overrides() { return kOverrides; }

} // namespace switchboard::sim
