// Hashes the simulator derives stable values from (OpenSSL EVP).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace switchboard::sim {

std::string md5_hex(std::string_view bytes);    // Drive's md5Checksum
std::string sha256_hex(std::string_view bytes); // Drive's sha256Checksum

// A number of `digits` decimal digits derived from `seed` (no leading zero): the same
// account always gets the same Google "sub" and HubSpot hub id.
std::string stable_digits(std::string_view seed, std::size_t digits);

} // namespace switchboard::sim
