// The time values of the contract and of the Calendar API: RFC 3339 date-times read into
// instants and written back in a given time zone, calendar dates, and IANA time zones. Time zones
// come from the system's tz database through Howard Hinnant's date/tz library, so offsets
// are right on either side of a daylight-saving change.
#pragma once

#include <date/tz.h>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::plugins::google_calendar {

// A point in time, UTC, to the millisecond (Google writes at most milliseconds).
using Instant = date::sys_time<std::chrono::milliseconds>;

// Reads "YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)" (RFC 3339 section 5.6; 'T' and 'Z'
// in either case). Digits past the millisecond are dropped. Returns nullopt for anything
// else, including impossible dates (2024-02-30) and a missing offset.
std::optional<Instant> parse_rfc3339(std::string_view text);

// Reads a local "YYYY-MM-DDTHH:MM:SS[.fraction]" (no offset) and places it in `zone`; a
// time skipped by a daylight-saving change maps to the instant of the change, a repeated
// one to its first occurrence.
std::optional<Instant> parse_local_date_time(std::string_view text, const date::time_zone& zone);

// Writes `instant` as RFC 3339 with the offset `zone` has at that instant
// ("2024-03-11T09:00:00-04:00"); UTC as "Z" when `zone` is null. Milliseconds are written
// only when not zero.
std::string format_rfc3339(Instant instant, const date::time_zone* zone = nullptr);

// Reads "YYYY-MM-DD", a real calendar date (not 2023-02-29).
std::optional<date::sys_days> parse_date(std::string_view text);

// True when `name` has the shape of the contract's TimeZone: ^[A-Za-z0-9_+/-]+$, at most 64
// characters. (Whether the database knows it is find_time_zone's question.)
bool is_time_zone_name(std::string_view name);

// The IANA time zone `name` from the system's database, or nullptr when the database has no
// such zone (or cannot be read: the caller reports the name either way).
const date::time_zone* find_time_zone(std::string_view name) noexcept;

} // namespace switchboard::plugins::google_calendar
