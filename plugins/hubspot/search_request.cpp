#include "plugins/hubspot/search_request.hpp"

#include "plugins/hubspot/paging.hpp"

#include <algorithm>
#include <charconv>
#include <string_view>
#include <system_error>

namespace switchboard::plugins::hubspot {

using nlohmann::json;

namespace {

// A search offset: decimal digits, as HubSpot's paging.next.after gives it.
std::optional<std::int64_t> offset(std::string_view text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
    return value;
}

sdk::Outcome internal_limit(const std::string& what) {
    // The plugin builds the filters itself; breaking a limit there is a bug, not bad input.
    return sdk::Outcome::internal("the HubSpot search request has " + what);
}

} // namespace

sdk::Checked<std::string> search_body(const SearchRequest& request) {
    if (!request.filter_groups.is_array() ||
        request.filter_groups.size() > SearchLimits::max_filter_groups) {
        return internal_limit("more than 5 filter groups");
    }
    std::size_t filters = 0;
    for (const json& group : request.filter_groups) {
        const auto it = group.find("filters");
        if (it == group.end() || !it->is_array() || it->empty() ||
            it->size() > SearchLimits::max_filters_per_group) {
            return internal_limit("a filter group with no filters or more than 10");
        }
        filters += it->size();
    }
    if (filters > SearchLimits::max_filters) return internal_limit("more than 25 filters");
    if (request.limit < 1 || request.limit > SearchLimits::max_page_size) {
        return internal_limit("a page size outside 1..200");
    }

    json body = json::object();
    if (request.query) body["query"] = *request.query;
    if (!request.filter_groups.empty()) body["filterGroups"] = request.filter_groups;
    if (!request.sorts.empty()) body["sorts"] = request.sorts;
    if (!request.properties.empty()) body["properties"] = request.properties;
    std::int64_t limit = request.limit;
    if (request.after) {
        const auto start = offset(*request.after);
        if (!start) {
            return sdk::Outcome::invalid_input(
                "invalid_page_token", "page_token is not a page token of a HubSpot search",
                "/page_token");
        }
        if (*start >= SearchLimits::max_total_results) {
            return sdk::Outcome::invalid_input(
                "search_result_limit",
                "HubSpot's search returns at most the first 10000 results; narrow the query",
                "/page_token");
        }
        limit = std::min(limit, SearchLimits::max_total_results - *start);
        body["after"] = *request.after;
    }
    body["limit"] = limit;
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<std::string> next_search_page(const json& answer) {
    auto after = next_page_after(answer);
    if (!after) return std::nullopt;
    if (const auto start = offset(*after); start && *start >= SearchLimits::max_total_results) {
        return std::nullopt;
    }
    return after;
}

} // namespace switchboard::plugins::hubspot
