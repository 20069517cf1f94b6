#include "plugins/hubspot/date_time.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <system_error>

namespace switchboard::plugins::hubspot {

namespace {

// Reads exactly `count` decimal digits at text[pos], advancing pos.
std::optional<int> digits(std::string_view text, std::size_t& pos, std::size_t count) {
    if (pos + count > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const char c = text[pos + i];
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    pos += count;
    return value;
}

bool expect(std::string_view text, std::size_t& pos, char wanted) {
    if (pos >= text.size() || text[pos] != wanted) return false;
    ++pos;
    return true;
}

} // namespace

std::optional<std::int64_t> parse_rfc3339_ms(std::string_view text) {
    using namespace std::chrono;
    std::size_t pos = 0;
    const auto year = digits(text, pos, 4);
    if (!year || !expect(text, pos, '-')) return std::nullopt;
    const auto month = digits(text, pos, 2);
    if (!month || !expect(text, pos, '-')) return std::nullopt;
    const auto day = digits(text, pos, 2);
    if (!day || pos >= text.size() || (text[pos] != 'T' && text[pos] != 't')) return std::nullopt;
    ++pos;
    const auto hour = digits(text, pos, 2);
    if (!hour || !expect(text, pos, ':')) return std::nullopt;
    const auto minute = digits(text, pos, 2);
    if (!minute || !expect(text, pos, ':')) return std::nullopt;
    const auto second = digits(text, pos, 2);
    if (!second) return std::nullopt;
    int millis = 0;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        const std::size_t first = pos;
        int scale = 100;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            millis += (text[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == first) return std::nullopt;
    }
    if (pos >= text.size()) return std::nullopt;
    int offset_minutes = 0;
    if (text[pos] == 'Z' || text[pos] == 'z') {
        ++pos;
    } else if (text[pos] == '+' || text[pos] == '-') {
        const int sign = text[pos] == '-' ? -1 : 1;
        ++pos;
        const auto off_hour = digits(text, pos, 2);
        if (!off_hour || !expect(text, pos, ':')) return std::nullopt;
        const auto off_minute = digits(text, pos, 2);
        if (!off_minute || *off_hour > 23 || *off_minute > 59) return std::nullopt;
        offset_minutes = sign * (*off_hour * 60 + *off_minute);
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;
    // RFC 3339 allows a leap second (60); it is counted as the next second.
    if (*hour > 23 || *minute > 59 || *second > 60) return std::nullopt;
    const year_month_day date{std::chrono::year(*year),
                              std::chrono::month(static_cast<unsigned>(*month)),
                              std::chrono::day(static_cast<unsigned>(*day))};
    if (!date.ok()) return std::nullopt;
    const sys_time<milliseconds> instant = sys_days(date) + hours(*hour) + minutes(*minute) +
                                           seconds(*second) + milliseconds(millis) -
                                           minutes(offset_minutes);
    return instant.time_since_epoch().count();
}

std::optional<std::string> format_utc_ms(std::int64_t unix_ms) {
    using namespace std::chrono;
    const sys_time<milliseconds> instant{milliseconds(unix_ms)};
    const sys_days day = floor<days>(instant);
    const year_month_day date(day);
    if (date.year() < std::chrono::year(0) || date.year() > std::chrono::year(9999)) {
        return std::nullopt;
    }
    const hh_mm_ss<milliseconds> time(instant - day);
    char buffer[32];
    const int written = std::snprintf(
        buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(date.year()),
        static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
        static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
        static_cast<int>(time.seconds().count()), static_cast<int>(time.subseconds().count()));
    if (written <= 0 || static_cast<std::size_t>(written) >= sizeof buffer) return std::nullopt;
    return std::string(buffer, static_cast<std::size_t>(written));
}

std::optional<std::string> to_hubspot_datetime(std::string_view rfc3339) {
    const auto ms = parse_rfc3339_ms(rfc3339);
    if (!ms) return std::nullopt;
    return format_utc_ms(*ms);
}

std::optional<std::string> to_contract_datetime(std::string_view hubspot_value) {
    constexpr std::size_t max_contract_length = 64; // the contract's DateTime
    if (const auto ms = parse_rfc3339_ms(hubspot_value)) {
        if (hubspot_value.size() <= max_contract_length) return std::string(hubspot_value);
        return format_utc_ms(*ms); // a fraction of many digits
    }
    if (hubspot_value.empty() || hubspot_value.size() > 15) return std::nullopt;
    std::int64_t ms = 0;
    const char* first = hubspot_value.data();
    const char* last = first + hubspot_value.size();
    const auto [end, ec] = std::from_chars(first, last, ms);
    if (ec != std::errc() || end != last || ms < 0) return std::nullopt;
    return format_utc_ms(ms);
}

} // namespace switchboard::plugins::hubspot
