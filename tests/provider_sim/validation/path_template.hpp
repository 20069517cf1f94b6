// A path template of a published API description: "/www.googleapis.com/calendar/v3/
// calendars/{calendarId}/events", "{keyPairId}:disable" (literal around a variable) or
// "{+name}" (RFC 6570 reserved expansion: the rest of the path, slashes included).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::sim {

class PathTemplate {
public:
    PathTemplate() = default;
    explicit PathTemplate(std::string_view text);

    // Matches percent-decoded path segments; returns the variables' values.
    std::optional<std::map<std::string, std::string>>
    match(const std::vector<std::string>& segments) const;

    // How literal the template is; among several matches the most literal one wins
    // ("files/generateIds" over "files/{fileId}").
    std::size_t literal_length() const { return literal_length_; }
    const std::string& text() const { return text_; }

private:
    struct Segment {
        std::string prefix;   // literal text before the variable (the whole segment if none)
        std::string variable; // empty: a literal segment
        std::string suffix;   // literal text after the variable
        bool rest = false;    // {+var}: matches this and every following segment
    };
    std::string text_;
    std::vector<Segment> segments_;
    std::size_t literal_length_ = 0;
};

} // namespace switchboard::sim
