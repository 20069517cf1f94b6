#include "core/http/retry_policy.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>
#include <iomanip>
#include <locale>
#include <sstream>
#include <string>

namespace switchboard::http {
namespace {

using std::chrono::milliseconds;

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) {
        s.remove_prefix(1);
    }
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) {
        s.remove_suffix(1);
    }
    return s;
}

std::optional<long long> parse_non_negative(std::string_view s) {
    s = trim(s);
    long long value = 0;
    const auto* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data(), end, value);
    if (s.empty() || ec != std::errc() || ptr != end || value < 0) {
        return std::nullopt;
    }
    return value;
}

// Parses an HTTP-date in one of the three forms a recipient must accept.
std::optional<std::time_t> parse_http_date(std::string_view text) {
    static constexpr const char* formats[] = {
        "%a, %d %b %Y %H:%M:%S GMT", // IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT
        "%A, %d-%b-%y %H:%M:%S GMT", // RFC 850:     Sunday, 06-Nov-94 08:49:37 GMT
        "%a %b %e %H:%M:%S %Y",      // asctime:     Sun Nov  6 08:49:37 1994
    };
    for (const char* format : formats) {
        std::tm tm{};
        std::istringstream in{std::string(text)};
        in.imbue(std::locale::classic());
        in >> std::get_time(&tm, format);
        if (in.fail()) {
            continue;
        }
        in >> std::ws;
        if (!in.eof()) {
            continue;
        }
        return timegm(&tm);
    }
    return std::nullopt;
}

} // namespace

bool is_idempotent_method(std::string_view method) noexcept {
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" ||
           method == "OPTIONS" || method == "TRACE";
}

bool is_retryable_status(int status) noexcept {
    return status == 429 || (status >= 500 && status <= 599 && status != 501 && status != 505);
}

milliseconds full_jitter_backoff(int retry, milliseconds base, milliseconds cap,
                                 double unit_random) noexcept {
    if (retry < 1 || base.count() <= 0 || cap.count() <= 0) {
        return milliseconds{0};
    }
    // 2^(retry-1) overflows long before it matters; the cap bounds it anyway.
    const double exponential = static_cast<double>(base.count()) *
                               std::ldexp(1.0, std::min(retry - 1, 40));
    const double ceiling = std::min(static_cast<double>(cap.count()), exponential);
    const double draw = std::clamp(unit_random, 0.0, 1.0) * ceiling;
    return milliseconds{static_cast<milliseconds::rep>(std::floor(draw))};
}

std::optional<milliseconds> parse_retry_after(std::string_view value,
                                              std::chrono::system_clock::time_point now) {
    value = trim(value);
    if (value.empty()) {
        return std::nullopt;
    }
    if (auto seconds = parse_non_negative(value)) {
        // Anything beyond a day is as good as "not in this request's lifetime".
        return milliseconds{std::min<long long>(*seconds, 86400) * 1000};
    }
    auto when = parse_http_date(value);
    if (!when) {
        return std::nullopt;
    }
    const auto at = std::chrono::system_clock::from_time_t(*when);
    if (at <= now) {
        return milliseconds{0};
    }
    return std::min(std::chrono::ceil<milliseconds>(at - now), milliseconds{86400 * 1000});
}

ServerRetryHint server_retry_hint(const HttpResponse& response,
                                  std::chrono::system_clock::time_point now,
                                  std::span<const RateLimitHeaderRule> rules) {
    ServerRetryHint hint;
    auto ask = [&hint](milliseconds wait) {
        hint.wait = hint.wait ? std::max(*hint.wait, wait) : wait;
    };
    if (auto value = response.header("retry-after")) {
        if (auto wait = parse_retry_after(*value, now)) {
            ask(*wait);
        }
    }
    if (response.status != 429) {
        return hint;
    }
    for (const RateLimitHeaderRule& rule : rules) {
        auto remaining = response.header(rule.remaining_header);
        if (!remaining) continue;
        auto left = parse_non_negative(*remaining);
        if (!left || *left != 0) continue;
        if (rule.give_up) {
            hint.give_up = true;
            return hint;
        }
        std::optional<milliseconds> wait = rule.default_wait;
        if (!rule.wait_header.empty()) {
            if (auto value = response.header(rule.wait_header)) {
                if (auto count = parse_non_negative(*value)) {
                    // Saturating: a huge value is as good as the cap.
                    const long long cap = kMaxRuleWait.count();
                    const long long unit = std::max<long long>(rule.wait_unit.count(), 1);
                    wait = milliseconds{*count > cap / unit ? cap : *count * unit};
                }
            }
        }
        if (wait) ask(std::min(*wait, kMaxRuleWait));
    }
    return hint;
}

} // namespace switchboard::http
