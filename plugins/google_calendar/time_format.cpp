#include "plugins/google_calendar/time_format.hpp"

#include <charconv>
#include <cstdint>
#include <exception>
#include <string>

namespace switchboard::plugins::google_calendar {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

// Reads exactly `width` decimal digits at text[pos], advancing pos.
bool digits(std::string_view text, std::size_t& pos, std::size_t width, int& out) {
    if (pos + width > text.size()) return false;
    int value = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') return false;
        value = value * 10 + (c - '0');
    }
    out = value;
    pos += width;
    return true;
}

bool expect(std::string_view text, std::size_t& pos, char a, char b = '\0') {
    if (pos >= text.size() || (text[pos] != a && (b == '\0' || text[pos] != b))) return false;
    ++pos;
    return true;
}

// The local date and time of day at the start of `text`, and where it ended.
struct LocalPart {
    date::local_time<milliseconds> time;
    std::size_t end = 0;
};

std::optional<LocalPart> parse_local_part(std::string_view text) {
    std::size_t pos = 0;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    if (!digits(text, pos, 4, y) || !expect(text, pos, '-') || !digits(text, pos, 2, mo) ||
        !expect(text, pos, '-') || !digits(text, pos, 2, d) || !expect(text, pos, 'T', 't') ||
        !digits(text, pos, 2, h) || !expect(text, pos, ':') || !digits(text, pos, 2, mi) ||
        !expect(text, pos, ':') || !digits(text, pos, 2, s)) {
        return std::nullopt;
    }
    // RFC 3339 allows a leap second (60); it reads as the first instant of the next minute.
    if (h > 23 || mi > 59 || s > 60) return std::nullopt;
    const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                   date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    milliseconds fraction{0};
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        const std::size_t first = pos;
        std::int64_t scale = 100;
        std::int64_t ms = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            ms += (text[pos] - '0') * scale;
            scale /= 10;
            ++pos;
        }
        if (pos == first) return std::nullopt;
        fraction = milliseconds{ms};
    }
    LocalPart out;
    out.time = date::local_days{ymd} + hours{h} + minutes{mi} + seconds{s} + fraction;
    out.end = pos;
    return out;
}

} // namespace

std::optional<Instant> parse_rfc3339(std::string_view text) {
    const auto local = parse_local_part(text);
    if (!local) return std::nullopt;
    std::size_t pos = local->end;
    if (pos >= text.size()) return std::nullopt; // the offset is mandatory
    minutes offset{0};
    if (text[pos] == 'Z' || text[pos] == 'z') {
        ++pos;
    } else if (text[pos] == '+' || text[pos] == '-') {
        const bool negative = text[pos] == '-';
        ++pos;
        int oh = 0, om = 0;
        if (!digits(text, pos, 2, oh) || !expect(text, pos, ':') || !digits(text, pos, 2, om) ||
            oh > 23 || om > 59) {
            return std::nullopt;
        }
        offset = hours{oh} + minutes{om};
        if (negative) offset = -offset;
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;
    return Instant{local->time.time_since_epoch()} - offset;
}

std::optional<Instant> parse_local_date_time(std::string_view text, const date::time_zone& zone) {
    const auto local = parse_local_part(text);
    if (!local || local->end != text.size()) return std::nullopt;
    try {
        return zone.to_sys(local->time, date::choose::earliest);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::string format_rfc3339(Instant instant, const date::time_zone* zone) {
    seconds offset{0};
    if (zone != nullptr) offset = zone->get_info(date::floor<seconds>(instant)).offset;
    const auto local = instant + offset;
    const bool whole_seconds = date::floor<seconds>(local) == local;
    std::string out = whole_seconds ? date::format("%FT%T", date::floor<seconds>(local))
                                    : date::format("%FT%T", local);
    if (zone == nullptr) {
        out += 'Z';
        return out;
    }
    // Offsets of today's zones are whole minutes; RFC 3339 has no room for seconds.
    auto total = date::floor<minutes>(offset).count();
    out += total < 0 ? '-' : '+';
    if (total < 0) total = -total;
    const auto two = [&](long long v) {
        out += static_cast<char>('0' + v / 10);
        out += static_cast<char>('0' + v % 10);
    };
    two(total / 60);
    out += ':';
    two(total % 60);
    return out;
}

std::optional<date::sys_days> parse_date(std::string_view text) {
    std::size_t pos = 0;
    int y = 0, m = 0, d = 0;
    if (!digits(text, pos, 4, y) || !expect(text, pos, '-') || !digits(text, pos, 2, m) ||
        !expect(text, pos, '-') || !digits(text, pos, 2, d) || pos != text.size()) {
        return std::nullopt;
    }
    const date::year_month_day ymd{date::year{y}, date::month{static_cast<unsigned>(m)},
                                   date::day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return date::sys_days{ymd};
}

bool is_time_zone_name(std::string_view name) {
    if (name.empty() || name.size() > 64) return false;
    for (const char c : name) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '+' || c == '/' || c == '-';
        if (!ok) return false;
    }
    return true;
}

const date::time_zone* find_time_zone(std::string_view name) noexcept {
    if (name.empty()) return nullptr;
    try {
        return date::locate_zone(name);
    } catch (...) {
        return nullptr; // unknown name, or no readable tz database
    }
}

} // namespace switchboard::plugins::google_calendar
