// Opaque paging cursors. The simulator pages by offset; the token hides that, and a token
// from another list (or a made-up one) is refused rather than silently accepted.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::sim {

// `scope` names the list ("calendar.events.list:primary") so tokens do not cross lists.
std::string make_page_token(std::string_view scope, std::size_t offset);
std::optional<std::size_t> read_page_token(std::string_view scope, std::string_view token);

} // namespace switchboard::sim
