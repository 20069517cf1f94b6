#include "plugins/google_calendar/actions.hpp"

#include "plugins/google_calendar/calendar_api.hpp"
#include "switchboard/params.hpp"

#include <nlohmann/json.hpp>

namespace switchboard::plugins::google_calendar {

sdk::Outcome delete_event(sdk::Call& call, std::string_view params_json) {
    sdk::Params reader(params_json);
    reader.allow_only("", {"calendar_id", "event_id", "send_updates"});
    const std::string calendar_id = reader.string("calendar_id", {.min_length = 1, .max_length = 1024})
                                        .value_or(std::string(primary_calendar));
    const auto event_id = reader.string("event_id", {.required = true, .min_length = 1, .max_length = 1024});
    const auto send_updates = reader.string("send_updates", {.min_length = 1, .max_length = 32});
    sdk::Query query;
    if (send_updates) {
        const std::string_view value = send_updates_value(*send_updates);
        if (value.empty()) reader.fail("/send_updates", "'/send_updates' must be all, external_only or none");
        query.add("sendUpdates", value);
    }
    if (!reader.ok()) return reader.error();

    const sdk::HttpResponse response = call.del(event_path(calendar_id, *event_id) + query.str());
    // 404 (no such event) and 410 (already deleted) are not_found through the mapping.
    if (!response.ok()) return error_outcome(response);
    const nlohmann::json result = {{"deleted", true}, {"event_id", *event_id}};
    return sdk::Outcome::success(result.dump());
}

} // namespace switchboard::plugins::google_calendar
