// SHA-256 through OpenSSL's EVP API.
#pragma once

#include "core/common/error.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace switchboard::crypto {

// Fails (code `crypto_failure`) only if OpenSSL cannot run SHA-256 at all.
Result<std::array<std::uint8_t, 32>> sha256(std::string_view data);

// Lowercase hex of SHA-256(data): a lookup key that does not reveal `data`.
Result<std::string> sha256_hex(std::string_view data);

} // namespace switchboard::crypto
