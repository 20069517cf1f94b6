// list_events: walks the Calendar API's pages until max_results events are collected, and
// hands back a cursor that resumes exactly after the last event returned (list_cursor.hpp).
#include "plugins/google_calendar/actions.hpp"

#include "plugins/google_calendar/calendar_api.hpp"
#include "plugins/google_calendar/event_mapping.hpp"
#include "plugins/google_calendar/list_cursor.hpp"
#include "switchboard/params.hpp"
#include "plugins/google_calendar/time_range.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace switchboard::plugins::google_calendar {
namespace {

using nlohmann::json;

// The API's largest page (events.list maxResults) and the contract's default max_results.
constexpr int max_page_size = 2500;
constexpr int default_max_results = 250;
// Provider requests one invoke may make. Google may answer with empty pages that still
// carry a nextPageToken; past this many the action returns what it has and a cursor.
constexpr int max_requests_per_call = 25;

} // namespace

sdk::Outcome list_events(sdk::Call& call, std::string_view params_json) {
    sdk::Params reader(params_json);
    reader.allow_only("", {"calendar_id", "time_min", "time_max", "query", "max_results", "page_token"});
    const std::string calendar_id = reader.string("calendar_id", {.min_length = 1, .max_length = 1024})
                                        .value_or(std::string(primary_calendar));
    const auto time_min = reader.string("time_min", {.required = true, .min_length = 1, .max_length = 64});
    const auto time_max = reader.string("time_max", {.required = true, .min_length = 1, .max_length = 64});
    const auto query = reader.string("query", {.max_length = 1024});
    const auto max_results =
        reader.integer("max_results", {.min = 1, .max = max_page_size}).value_or(default_max_results);
    const auto page_token = reader.string("page_token", {.min_length = 1, .max_length = max_page_token_length});
    if (!reader.ok()) return reader.error();
    if (!read_time_range(reader, *time_min, *time_max)) return reader.error();

    const std::uint64_t fingerprint =
        list_query_fingerprint(calendar_id, *time_min, *time_max, query.value_or(""));
    ListCursor cursor;
    cursor.page_size = static_cast<int>(max_results);
    if (page_token) {
        DecodedCursor decoded = decode_list_cursor(*page_token, fingerprint);
        if (!decoded.cursor) {
            return sdk::Outcome::invalid_input(
                "invalid_page_token",
                decoded.problem == CursorProblem::other_query
                    ? "'/page_token' belongs to a listing with another calendar_id, time_min, "
                      "time_max or query"
                    : "'/page_token' is not a page token this provider returned",
                "/page_token");
        }
        cursor = std::move(*decoded.cursor);
    }

    const auto wanted = static_cast<std::size_t>(max_results);
    json events = json::array();
    std::optional<ListCursor> next;
    for (int request = 0;; ++request) {
        if (request == max_requests_per_call) {
            next = cursor;
            break;
        }
        sdk::Query q;
        q.add("timeMin", *time_min);
        q.add("timeMax", *time_max);
        q.add("singleEvents", "true");
        q.add("orderBy", "startTime");
        if (query && !query->empty()) q.add("q", *query);
        q.add("maxResults", std::to_string(cursor.page_size));
        if (!cursor.provider_page_token.empty()) q.add("pageToken", cursor.provider_page_token);

        const sdk::HttpResponse response = call.get(events_path(calendar_id) + q.str());
        if (!response.ok()) return error_outcome(response);
        const json page = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
        if (!page.is_object()) return unreadable_response("an event list");
        const auto items = page.find("items");
        if (items != page.end() && !items->is_array()) return unreadable_response("an event list");
        const std::size_t count = items != page.end() ? items->size() : 0;

        // Events of this page not yet returned; a page that shrank since the cursor was made
        // (events deleted meanwhile) is simply exhausted.
        std::size_t position = std::min(cursor.skip, count);
        while (position < count && events.size() < wanted) {
            // An item without an id, a start or an end (which Google does not send for
            // single events) is consumed without being returned rather than invented.
            if (auto event = map_event((*items)[position], calendar_id)) {
                events.push_back(std::move(*event));
            }
            ++position;
        }
        if (position < count) { // stopped inside this page: resume at the same place
            cursor.skip = position;
            next = cursor;
            break;
        }
        const auto next_token = page.find("nextPageToken");
        if (next_token == page.end() || !next_token->is_string() ||
            next_token->get_ref<const std::string&>().empty()) {
            break; // the listing is complete
        }
        cursor.provider_page_token = next_token->get<std::string>();
        cursor.skip = 0;
        if (events.size() >= wanted) {
            next = cursor;
            break;
        }
    }

    json result = {{"events", std::move(events)}};
    if (next) {
        std::string token = encode_list_cursor(*next, fingerprint);
        if (token.size() > max_page_token_length) {
            return unreadable_response("a page token too long to hand on");
        }
        result["next_page_token"] = std::move(token);
    }
    return sdk::Outcome::success(result.dump());
}

} // namespace switchboard::plugins::google_calendar
