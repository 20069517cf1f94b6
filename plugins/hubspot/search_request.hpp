// The body of POST /crm/v3/objects/{object}/search (PublicObjectSearchRequest), built within
// the limits HubSpot documents for it: at most 5 filter groups, 10 filters per group and 25
// filters in all, a page of at most 200, and no paging past the 10,000th result (after +
// limit <= 10,000; HubSpot answers 400 beyond). Paging is by `after`, an offset in digits.
#pragma once

#include "switchboard/outcome.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::plugins::hubspot {

struct SearchLimits {
    static constexpr std::size_t max_filter_groups = 5;
    static constexpr std::size_t max_filters_per_group = 10;
    static constexpr std::size_t max_filters = 25;        // x-maxTotalFilters
    static constexpr std::int64_t max_page_size = 200;
    static constexpr std::int64_t max_total_results = 10000; // x-maxTotalResults
};

struct SearchRequest {
    std::optional<std::string> query;     // free text over the default searchable properties
    nlohmann::json filter_groups = nlohmann::json::array(); // [{filters: [...]}, ...]
    nlohmann::json sorts = nlohmann::json::array();
    std::vector<std::string> properties;  // what each result carries
    std::int64_t limit = 10;              // 1..max_page_size
    std::optional<std::string> after;     // the offset to start at, from paging.next.after
};

// The JSON body for `request`, or SB_STATUS_INVALID_INPUT when it breaks a limit. An `after`
// that is not an offset, or that is at the 10,000-result limit, is the caller's page token
// (field /page_token); a page that would run past the limit is shortened to end there.
sdk::Checked<std::string> search_body(const SearchRequest& request);

// The page token for the page after this one: paging.next.after of a search answer, or
// nullopt on the last page and when the next page would start at the 10,000-result limit
// (HubSpot refuses to page further; narrow the query instead).
std::optional<std::string> next_search_page(const nlohmann::json& answer);

} // namespace switchboard::plugins::hubspot
