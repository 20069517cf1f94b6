// SHA-256 in lower-case hex: what auth.api_keys holds of a key, and what tests compare files by.
#pragma once

#include <string>
#include <string_view>

namespace switchboard::testing {

std::string sha256_hex(std::string_view bytes);

} // namespace switchboard::testing
