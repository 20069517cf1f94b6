#include "plugins/google_calendar/availability.hpp"

#include <algorithm>

namespace switchboard::plugins::google_calendar {
namespace {

using std::chrono::minutes;

// Sorts and joins overlapping or touching intervals.
std::vector<Interval> join(std::vector<Interval> intervals) {
    std::sort(intervals.begin(), intervals.end(), [](const Interval& a, const Interval& b) {
        return a.start < b.start || (a.start == b.start && a.end < b.end);
    });
    std::vector<Interval> out;
    for (const Interval& i : intervals) {
        if (!out.empty() && i.start <= out.back().end) {
            out.back().end = std::max(out.back().end, i.end);
        } else {
            out.push_back(i);
        }
    }
    return out;
}

// `i` clipped to `range`, or nullopt when nothing of it is inside.
std::optional<Interval> clip(const Interval& i, const Interval& range) {
    const Interval out{std::max(i.start, range.start), std::min(i.end, range.end)};
    if (out.start >= out.end) return std::nullopt;
    return out;
}

} // namespace

std::vector<Interval> merge_busy(std::vector<Interval> busy, const Interval& range) {
    std::vector<Interval> clipped;
    clipped.reserve(busy.size());
    for (const Interval& b : busy) {
        if (auto c = clip(b, range)) clipped.push_back(*c);
    }
    return join(std::move(clipped));
}

std::vector<Interval> working_windows(const Interval& range,
                                      const std::optional<WorkingHours>& hours) {
    if (range.start >= range.end) return {};
    if (!hours) return {range};
    if (hours->zone == nullptr || hours->start >= hours->end) return {};
    const date::time_zone& zone = *hours->zone;

    // Every local day that can hold working time inside the range: from the local date at
    // range.start to the one at range.end (offsets are far below a day, so no day is missed).
    const auto local_day = [&](Instant instant) {
        return date::floor<date::days>(zone.to_local(date::floor<std::chrono::seconds>(instant)));
    };
    std::vector<Interval> windows;
    for (date::local_days day = local_day(range.start); day <= local_day(range.end);
         day += date::days{1}) {
        const unsigned iso = date::weekday{day}.iso_encoding();
        if (!hours->iso_days[iso]) continue;
        const date::local_time<minutes> local_start = day + hours->start;
        const date::local_time<minutes> local_end = day + hours->end;
        const Instant start{zone.to_sys(local_start, date::choose::earliest)};
        const Instant end{zone.to_sys(local_end, date::choose::latest)};
        if (const auto c = clip({start, end}, range)) windows.push_back(*c);
    }
    return join(std::move(windows));
}

std::vector<Interval> free_slots(const Interval& range, const std::vector<Interval>& busy,
                                 const std::optional<WorkingHours>& hours, minutes duration) {
    const std::vector<Interval> merged = merge_busy(busy, range);
    std::vector<Interval> out;
    auto next_busy = merged.begin();
    for (const Interval& window : working_windows(range, hours)) {
        // Busy intervals are sorted and disjoint: walk them once across all windows.
        while (next_busy != merged.end() && next_busy->end <= window.start) ++next_busy;
        Instant cursor = window.start;
        for (auto b = next_busy; b != merged.end() && b->start < window.end; ++b) {
            if (b->start > cursor && b->start - cursor >= duration) {
                out.push_back({cursor, b->start});
            }
            cursor = std::max(cursor, b->end);
        }
        if (cursor < window.end && window.end - cursor >= duration) {
            out.push_back({cursor, window.end});
        }
    }
    return out;
}

} // namespace switchboard::plugins::google_calendar
