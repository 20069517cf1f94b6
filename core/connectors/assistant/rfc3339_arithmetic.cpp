#include "core/connectors/assistant/rfc3339_arithmetic.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>

namespace switchboard::connectors::assistant {
namespace {

bool number(std::string_view text, std::size_t at, std::size_t digits, int& out) {
    if (at + digits > text.size()) return false;
    for (std::size_t i = at; i < at + digits; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
    }
    return std::from_chars(text.data() + at, text.data() + at + digits, out).ec == std::errc();
}

} // namespace

Result<std::string> add_minutes(std::string_view text, long minutes, std::string_view field) {
    const Error bad(ErrorKind::invalid_input, "invalid_params",
                    std::string(field) + ": must be an RFC 3339 date-time with an offset, e.g. "
                                         "2026-05-04T15:00:00+02:00",
                    "/" + std::string(field));
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!number(text, 0, 4, year) || text.size() < 20 || text[4] != '-' ||
        !number(text, 5, 2, month) || text[7] != '-' || !number(text, 8, 2, day) ||
        (text[10] != 'T' && text[10] != 't') || !number(text, 11, 2, hour) || text[13] != ':' ||
        !number(text, 14, 2, minute) || text[16] != ':' || !number(text, 17, 2, second)) {
        return bad;
    }
    std::size_t at = 19;
    if (at < text.size() && text[at] == '.') {
        ++at;
        const std::size_t digits = at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
        if (at == digits) return bad;
    }
    const std::string_view zone = text.substr(at);
    if (zone != "Z" && zone != "z") {
        int zone_hours = 0, zone_minutes = 0;
        if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') ||
            !number(zone, 1, 2, zone_hours) || zone[3] != ':' || !number(zone, 4, 2, zone_minutes) ||
            zone_hours > 23 || zone_minutes > 59) {
            return bad;
        }
    }
    using namespace std::chrono;
    const year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                              std::chrono::day(static_cast<unsigned>(day))};
    // 60 seconds is allowed (a leap second); the arithmetic treats it as the next minute.
    if (!date.ok() || hour > 23 || minute > 59 || second > 60) return bad;
    // The local wall time the caller wrote, moved by `minutes`: the offset stays the caller's.
    const auto local = sys_days(date) + hours(hour) + std::chrono::minutes(minute) + seconds(second) +
                       std::chrono::minutes(minutes);
    const auto day_point = floor<days>(local);
    const year_month_day end_date(day_point);
    if (static_cast<int>(end_date.year()) > 9999) {
        return Error(ErrorKind::invalid_input, "invalid_params",
                     std::string(field) + ": the meeting would end after the year 9999, "
                                          "which RFC 3339 cannot write",
                     "/" + std::string(field));
    }
    const hh_mm_ss<seconds> time(duration_cast<seconds>(local - day_point));
    // "YYYY-MM-DDTHH:MM:SS" is 19 characters; the rest is room for what the compiler cannot
    // rule out for these types (-Wformat-truncation).
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02ld:%02ld:%02ld",
                  static_cast<int>(end_date.year()), static_cast<unsigned>(end_date.month()),
                  static_cast<unsigned>(end_date.day()), static_cast<long>(time.hours().count()),
                  static_cast<long>(time.minutes().count()), static_cast<long>(time.seconds().count()));
    return std::string(buffer) + std::string(zone);
}

} // namespace switchboard::connectors::assistant
