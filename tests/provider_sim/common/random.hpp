// Unpredictable identifiers for tokens, codes and resources (OpenSSL's CSPRNG: tokens must
// not be guessable even in a test double, since tests check that guessing fails).
#pragma once

#include <cstddef>
#include <string>

namespace switchboard::sim {

// `bytes` random bytes, base64url without padding.
std::string random_token(std::size_t bytes);

// `length` lowercase hexadecimal digits (Gmail message ids).
std::string random_hex(std::size_t length);

// `length` characters of base32hex, lowercase (Calendar event ids: [a-v0-9]).
std::string random_base32hex(std::size_t length);

// `length` lowercase letters (Meet codes: abc-defg-hij).
std::string random_letters(std::size_t length);

} // namespace switchboard::sim
