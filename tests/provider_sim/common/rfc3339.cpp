#include "tests/provider_sim/common/rfc3339.hpp"

#include <charconv>
#include <cstdio>

namespace switchboard::sim {
namespace {

using namespace std::chrono;

// Reads exactly `width` digits at `pos`.
std::optional<int> digits(std::string_view text, std::size_t pos, std::size_t width) {
    if (pos + width > text.size()) {
        return std::nullopt;
    }
    int value = 0;
    for (std::size_t i = pos; i < pos + width; ++i) {
        if (text[i] < '0' || text[i] > '9') {
            return std::nullopt;
        }
        value = value * 10 + (text[i] - '0');
    }
    return value;
}

std::optional<sys_days> read_date(std::string_view text) {
    const auto y = digits(text, 0, 4);
    const auto m = digits(text, 5, 2);
    const auto d = digits(text, 8, 2);
    if (!y || !m || !d || text.size() < 10 || text[4] != '-' || text[7] != '-') {
        return std::nullopt;
    }
    const year_month_day date{year{*y}, month{static_cast<unsigned>(*m)},
                              day{static_cast<unsigned>(*d)}};
    if (!date.ok()) {
        return std::nullopt;
    }
    return sys_days{date};
}

} // namespace

std::optional<TimePoint> parse_date(std::string_view text) {
    if (text.size() != 10) {
        return std::nullopt;
    }
    const auto date = read_date(text);
    if (!date) {
        return std::nullopt;
    }
    return TimePoint{*date};
}

std::optional<TimePoint> parse_rfc3339(std::string_view text, bool offset_required) {
    const auto date = read_date(text);
    if (!date || text.size() < 19 || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
        text[16] != ':') {
        return std::nullopt;
    }
    const auto hh = digits(text, 11, 2);
    const auto mm = digits(text, 14, 2);
    const auto ss = digits(text, 17, 2);
    if (!hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 60) {
        return std::nullopt;
    }
    TimePoint result = TimePoint{*date} + hours(*hh) + minutes(*mm) + seconds(*ss);
    std::size_t pos = 19;
    if (pos < text.size() && text[pos] == '.') {
        ++pos;
        long long fraction_ns = 0;
        int places = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            if (places < 9) {
                fraction_ns = fraction_ns * 10 + (text[pos] - '0');
                ++places;
            }
            ++pos;
        }
        if (places == 0) {
            return std::nullopt;
        }
        for (; places < 9; ++places) {
            fraction_ns *= 10;
        }
        result += duration_cast<system_clock::duration>(nanoseconds(fraction_ns));
    }
    if (pos == text.size()) {
        return offset_required ? std::nullopt : std::optional<TimePoint>(result);
    }
    if ((text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.size()) {
        return result;
    }
    if ((text[pos] == '+' || text[pos] == '-') && pos + 6 == text.size() && text[pos + 3] == ':') {
        const auto oh = digits(text, pos + 1, 2);
        const auto om = digits(text, pos + 4, 2);
        if (!oh || !om || *oh > 23 || *om > 59) {
            return std::nullopt;
        }
        const auto offset = hours(*oh) + minutes(*om);
        return text[pos] == '+' ? result - offset : result + offset;
    }
    return std::nullopt;
}

std::string format_rfc3339(TimePoint time) {
    const auto ms = time_point_cast<milliseconds>(time);
    const sys_days day = floor<days>(ms);
    const year_month_day date{day};
    const hh_mm_ss clock{ms - day};
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                  static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()), static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()),
                  static_cast<int>(clock.subseconds().count()));
    return buffer;
}

long long epoch_millis(TimePoint time) {
    return duration_cast<milliseconds>(time.time_since_epoch()).count();
}

} // namespace switchboard::sim
