// Small checks on text that comes from a plugin.
#pragma once

#include <string_view>

namespace switchboard::plugin {

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;

// True for a provider id: 1 to 64 characters from [a-z0-9_].
bool is_provider_id(std::string_view id) noexcept;

} // namespace switchboard::plugin

namespace switchboard::plugin {

// True when the arrays and objects of the JSON text `text` nest at most `max_depth` deep
// (strings are skipped). Checked before parsing untrusted JSON, so that a deeply nested
// document cannot exhaust the stack of a recursive parser.
bool json_depth_within(std::string_view text, std::size_t max_depth) noexcept;

} // namespace switchboard::plugin
