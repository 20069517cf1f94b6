// HubSpot's forward paging: list and search answers carry {"paging": {"next": {"after":
// "<cursor>", "link": ...}}} while a further page exists, and no paging.next on the last.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace switchboard::plugins::hubspot {

// The contract's longest page_token: a longer cursor could not be handed back.
inline constexpr std::size_t max_page_token_length = 4096;

// paging.next.after of `answer`, or nullopt on the last page.
std::optional<std::string> next_page_after(const nlohmann::json& answer);

} // namespace switchboard::plugins::hubspot
