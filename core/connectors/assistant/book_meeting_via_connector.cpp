// book_meeting_via_connector -> calendar.create_event: the end is start_time plus
// duration_minutes, in start_time's own offset; the video conference is on unless turned off.
#include "core/connectors/assistant/assistant_tool.hpp"
#include "core/connectors/assistant/rfc3339_arithmetic.hpp"

namespace switchboard::connectors::assistant {

using nlohmann::json;

AssistantTool book_meeting_via_connector() {
    AssistantTool tool;
    tool.name = "book_meeting_via_connector";
    tool.category = "calendar";
    tool.action = "create_event";
    tool.noun = "calendar";
    tool.to_params = [](const json& arguments) -> Result<json> {
        const std::string start = arguments.at("start_time").get<std::string>();
        auto end = add_minutes(start, arguments.at("duration_minutes").get<long>(), "start_time");
        if (!end) return end.error();
        json start_time = {{"date_time", start}};
        json end_time = {{"date_time", *end}};
        if (auto zone = arguments.find("time_zone"); zone != arguments.end()) {
            start_time["time_zone"] = *zone;
            end_time["time_zone"] = *zone;
        }
        json attendees = json::array();
        for (const auto& email : arguments.at("attendees")) {
            attendees.push_back({{"email", email}});
        }
        json params = {{"summary", arguments.at("title")},
                       {"start", std::move(start_time)},
                       {"end", std::move(end_time)},
                       {"video_conference", arguments.value("video_conference", true)}};
        if (!attendees.empty()) params["attendees"] = std::move(attendees);
        if (auto description = arguments.find("description"); description != arguments.end()) {
            params["description"] = *description;
        }
        return params;
    };
    tool.to_answer = [](const json&, const json& event) {
        json answer = {{"event_id", event.at("id")}, {"video_link", nullptr}};
        if (auto link = event.find("video_conference_link"); link != event.end() && link->is_string()) {
            answer["video_link"] = *link;
        }
        if (auto link = event.find("html_link"); link != event.end() && link->is_string()) {
            answer["html_link"] = *link;
        }
        for (const char* bound : {"start", "end"}) {
            const auto& time = event.at(bound);
            if (auto at = time.find("date_time"); at != time.end() && at->is_string()) {
                answer[std::string(bound) + "_time"] = *at;
            }
        }
        return answer;
    };
    return tool;
}

} // namespace switchboard::connectors::assistant
