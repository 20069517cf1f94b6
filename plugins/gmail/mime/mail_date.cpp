#include "plugins/gmail/mime/mail_date.hpp"

#include "plugins/gmail/mime/ascii_text.hpp"

#include <array>
#include <chrono>
#include <cstdio>
#include <vector>

namespace switchboard::plugins::gmail::mime {
namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 12> month_names = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> day_names = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};

struct Civil {
    int year;
    unsigned month;
    unsigned day;
    unsigned weekday; // 0 = Sunday
    long long seconds_of_day;
};

Civil civil(std::int64_t unix_ms) {
    const sys_seconds t{duration_cast<seconds>(milliseconds(unix_ms))};
    const sys_days day = floor<days>(t);
    const year_month_day ymd{day};
    return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
            static_cast<unsigned>(ymd.day()), weekday(day).c_encoding(),
            (t - day).count()};
}

// The value without comments, tokenised on whitespace and commas (a colon stays in place).
std::vector<std::string> tokens_of(std::string_view value) {
    std::vector<std::string> out;
    std::string current;
    int depth = 0;
    for (std::size_t i = 0; i < value.size(); ++i) {
        const char c = value[i];
        if (depth > 0) {
            if (c == '\\') ++i;
            else if (c == '(') ++depth;
            else if (c == ')') --depth;
            continue;
        }
        if (c == '(') {
            depth = 1;
        } else if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ',') {
            if (!current.empty()) out.push_back(std::move(current));
            current.clear();
            continue;
        } else {
            current.push_back(c);
            continue;
        }
        if (!current.empty()) out.push_back(std::move(current));
        current.clear();
    }
    if (!current.empty()) out.push_back(std::move(current));
    return out;
}

bool digits(std::string_view text, std::size_t min, std::size_t max, int& value) {
    if (text.size() < min || text.size() > max) return false;
    value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    return true;
}

// The zone's offset in minutes; false when the token is not a zone.
bool zone_offset(std::string_view zone, int& minutes, bool& known) {
    known = true;
    if ((zone.size() == 5) && (zone[0] == '+' || zone[0] == '-')) {
        int hhmm = 0;
        if (!digits(zone.substr(1), 4, 4, hhmm) || hhmm / 100 > 23 || hhmm % 100 > 59) return false;
        minutes = (hhmm / 100) * 60 + hhmm % 100;
        if (zone[0] == '-') {
            minutes = -minutes;
            if (hhmm == 0) known = false; // "-0000": no zone information
        }
        return true;
    }
    struct Named {
        std::string_view name;
        int hours;
    };
    static constexpr Named named[] = {{"UT", 0},  {"UTC", 0}, {"GMT", 0}, {"Z", 0},
                                      {"EST", -5}, {"EDT", -4}, {"CST", -6}, {"CDT", -5},
                                      {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7}};
    for (const auto& n : named) {
        if (iequals(zone, n.name)) {
            minutes = n.hours * 60;
            return true;
        }
    }
    if (zone.size() == 1 && ((zone[0] >= 'A' && zone[0] <= 'Z') || (zone[0] >= 'a' && zone[0] <= 'z'))) {
        minutes = 0; // military zones: their meaning was never reliable (§4.3)
        known = false;
        return true;
    }
    return false;
}

} // namespace

std::string rfc5322_date(std::int64_t unix_ms) {
    const Civil c = civil(unix_ms);
    char out[64];
    const long long s = c.seconds_of_day;
    std::snprintf(out, sizeof out, "%s, %02u %s %04d %02lld:%02lld:%02lld +0000",
                  day_names[c.weekday].data(), c.day, month_names[c.month - 1].data(), c.year,
                  s / 3600, s / 60 % 60, s % 60);
    return out;
}

std::string rfc3339_utc(std::int64_t unix_ms) {
    const Civil c = civil(unix_ms);
    char out[64];
    const long long s = c.seconds_of_day;
    std::snprintf(out, sizeof out, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ", c.year, c.month, c.day,
                  s / 3600, s / 60 % 60, s % 60);
    return out;
}

std::optional<std::string> rfc5322_to_rfc3339(std::string_view value) {
    std::vector<std::string> t = tokens_of(value);
    std::size_t i = 0;
    // Optional day name.
    if (i < t.size() && !t[i].empty() && !(t[i][0] >= '0' && t[i][0] <= '9')) {
        bool day_name = false;
        for (const auto d : day_names) day_name = day_name || iequals(t[i], d);
        if (!day_name) return std::nullopt;
        ++i;
    }
    if (t.size() < i + 4) return std::nullopt;
    int day = 0;
    int year = 0;
    if (!digits(t[i], 1, 2, day)) return std::nullopt;
    unsigned month = 0;
    for (unsigned m = 0; m < month_names.size(); ++m) {
        if (iequals(t[i + 1], month_names[m])) month = m + 1;
    }
    if (month == 0) return std::nullopt;
    if (!digits(t[i + 2], 2, 4, year)) return std::nullopt;
    if (t[i + 2].size() == 2) year += year < 50 ? 2000 : 1900; // §4.3
    else if (t[i + 2].size() == 3) year += 1900;

    // Time: hh:mm[:ss]
    const std::string& time = t[i + 3];
    int hour = 0, minute = 0, second = 0;
    const std::size_t c1 = time.find(':');
    if (c1 == std::string::npos) return std::nullopt;
    const std::size_t c2 = time.find(':', c1 + 1);
    if (!digits(std::string_view(time).substr(0, c1), 1, 2, hour)) return std::nullopt;
    if (!digits(std::string_view(time).substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1),
                2, 2, minute)) {
        return std::nullopt;
    }
    if (c2 != std::string::npos && !digits(std::string_view(time).substr(c2 + 1), 2, 2, second)) {
        return std::nullopt;
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;

    int offset = 0;
    bool known = false; // no zone: "-0000"
    if (t.size() > i + 4 && !zone_offset(t[i + 4], offset, known)) return std::nullopt;

    const year_month_day ymd{std::chrono::year(year), std::chrono::month(month),
                             std::chrono::day(static_cast<unsigned>(day))};
    if (!ymd.ok() || year > 9999) return std::nullopt;

    char out[64];
    const int abs_offset = offset < 0 ? -offset : offset;
    const char sign = (offset < 0 || !known) ? '-' : '+';
    std::snprintf(out, sizeof out, "%04d-%02u-%02dT%02d:%02d:%02d%c%02d:%02d", year, month, day,
                  hour, minute, second, sign, abs_offset / 60, abs_offset % 60);
    return std::string(out);
}

} // namespace switchboard::plugins::gmail::mime
