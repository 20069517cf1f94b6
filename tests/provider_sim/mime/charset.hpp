// Text in a named charset to UTF-8 (iconv, from the C library).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchboard::sim {

// nullopt when the charset is unknown or the bytes are invalid in it. "us-ascii" and
// "utf-8" (any case) are checked, not converted.
std::optional<std::string> to_utf8(std::string_view bytes, std::string_view charset);

} // namespace switchboard::sim
