#include "plugins/hubspot/retry_after.hpp"

#include <array>
#include <charconv>
#include <chrono>
#include <string>
#include <system_error>

namespace switchboard::plugins::hubspot {

namespace {

// A non-negative decimal integer filling all of `text` (surrounding blanks allowed).
std::optional<std::int64_t> whole_number(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    if (text.empty() || text.size() > 15) return std::nullopt;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

std::int64_t ceil_seconds(std::int64_t ms) { return ms <= 0 ? 0 : (ms + 999) / 1000; }

} // namespace

std::optional<std::int64_t> parse_http_date_ms(std::string_view text) {
    // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT", always 29 characters.
    if (text.size() != 29 || text[3] != ',' || text[4] != ' ' || text[7] != ' ' ||
        text[11] != ' ' || text[16] != ' ' || text[19] != ':' || text[22] != ':' ||
        text.substr(25) != " GMT") {
        return std::nullopt;
    }
    static constexpr std::array<std::string_view, 12> months = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    unsigned month = 0;
    for (unsigned i = 0; i < months.size(); ++i) {
        if (text.substr(8, 3) == months[i]) month = i + 1;
    }
    const auto number = [&](std::size_t pos, std::size_t count) -> std::optional<int> {
        int value = 0;
        for (std::size_t i = pos; i < pos + count; ++i) {
            if (text[i] < '0' || text[i] > '9') return std::nullopt;
            value = value * 10 + (text[i] - '0');
        }
        return value;
    };
    const auto day = number(5, 2);
    const auto year = number(12, 4);
    const auto hour = number(17, 2);
    const auto minute = number(20, 2);
    const auto second = number(23, 2);
    if (month == 0 || !day || !year || !hour || !minute || !second || *hour > 23 ||
        *minute > 59 || *second > 60) {
        return std::nullopt;
    }
    using namespace std::chrono;
    const year_month_day date{std::chrono::year(*year), std::chrono::month(month),
                              std::chrono::day(static_cast<unsigned>(*day))};
    if (!date.ok()) return std::nullopt;
    const sys_time<milliseconds> instant =
        sys_days(date) + hours(*hour) + minutes(*minute) + seconds(*second);
    return instant.time_since_epoch().count();
}

std::optional<std::int64_t> retry_after_seconds(const sdk::HttpResponse& response,
                                                std::int64_t now_unix_ms) {
    if (const std::string* value = response.header("retry-after")) {
        if (const auto seconds = whole_number(*value)) return seconds;
        if (const auto at = parse_http_date_ms(*value)) return ceil_seconds(*at - now_unix_ms);
    }
    const std::string* interval = response.header("x-hubspot-ratelimit-interval-milliseconds");
    const std::string* remaining = response.header("x-hubspot-ratelimit-remaining");
    if (interval != nullptr && (remaining == nullptr || whole_number(*remaining) == 0)) {
        if (const auto ms = whole_number(*interval); ms && *ms > 0) return ceil_seconds(*ms);
    }
    if (const std::string* secondly = response.header("x-hubspot-ratelimit-secondly-remaining")) {
        if (whole_number(*secondly) == 0) return 1;
    }
    return std::nullopt;
}

} // namespace switchboard::plugins::hubspot
