#include "tests/provider_sim/validation/path_template.hpp"

namespace switchboard::sim {

PathTemplate::PathTemplate(std::string_view text) : text_(text) {
    if (!text.empty() && text.front() == '/') {
        text.remove_prefix(1);
    }
    while (true) {
        const auto slash = text.find('/');
        const std::string_view part = text.substr(0, slash);
        Segment segment;
        const auto open = part.find('{');
        const auto close = part.find('}');
        if (open != std::string_view::npos && close != std::string_view::npos && close > open) {
            segment.prefix = std::string(part.substr(0, open));
            std::string_view name = part.substr(open + 1, close - open - 1);
            if (!name.empty() && name.front() == '+') {
                segment.rest = true;
                name.remove_prefix(1);
            }
            segment.variable = std::string(name);
            segment.suffix = std::string(part.substr(close + 1));
        } else {
            segment.prefix = std::string(part);
        }
        literal_length_ += segment.prefix.size() + segment.suffix.size() +
                           (segment.variable.empty() ? 1 : 0);
        segments_.push_back(std::move(segment));
        if (slash == std::string_view::npos) {
            break;
        }
        text.remove_prefix(slash + 1);
    }
}

std::optional<std::map<std::string, std::string>>
PathTemplate::match(const std::vector<std::string>& segments) const {
    std::map<std::string, std::string> values;
    std::size_t i = 0;
    for (std::size_t t = 0; t < segments_.size(); ++t) {
        const Segment& s = segments_[t];
        if (s.rest) {
            // Reserved expansion takes everything left, so it must be the last part.
            if (t + 1 != segments_.size() || i >= segments.size()) {
                return std::nullopt;
            }
            std::string joined;
            for (; i < segments.size(); ++i) {
                joined += (joined.empty() ? "" : "/") + segments[i];
            }
            if (joined.size() < s.prefix.size() || joined.compare(0, s.prefix.size(), s.prefix)) {
                return std::nullopt;
            }
            values[s.variable] = joined.substr(s.prefix.size());
            return values;
        }
        if (i >= segments.size()) {
            return std::nullopt;
        }
        const std::string& actual = segments[i++];
        if (s.variable.empty()) {
            if (actual != s.prefix) {
                return std::nullopt;
            }
            continue;
        }
        const std::size_t fixed = s.prefix.size() + s.suffix.size();
        if (actual.size() <= fixed || actual.compare(0, s.prefix.size(), s.prefix) != 0 ||
            actual.compare(actual.size() - s.suffix.size(), s.suffix.size(), s.suffix) != 0) {
            return std::nullopt;
        }
        values[s.variable] = actual.substr(s.prefix.size(), actual.size() - fixed);
    }
    if (i != segments.size()) {
        return std::nullopt;
    }
    return values;
}

} // namespace switchboard::sim
