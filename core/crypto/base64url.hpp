// base64url (RFC 4648 §5), the encoding of Fernet keys and tokens and of PKCE values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::crypto {

enum class Base64Padding { keep, strip };

// Encodes `bytes` with the URL- and filename-safe alphabet. Fernet keeps the `=` padding
// (as Python's base64.urlsafe_b64encode does); PKCE strips it (RFC 7636 §3).
std::string base64url_encode(std::span<const std::uint8_t> bytes,
                             Base64Padding padding = Base64Padding::keep);

// Decodes base64url with or without `=` padding. Returns nullopt for anything else:
// characters outside the alphabet (including the standard '+' and '/'), a wrong length,
// misplaced padding, or non-zero trailing bits.
std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text);

// The same into `out`, which must hold base64url_decoded_capacity(text.size()) bytes; returns
// how many it wrote. For callers that decode into a buffer they already have.
std::optional<std::size_t> base64url_decode_into(std::string_view text, std::span<std::uint8_t> out);
constexpr std::size_t base64url_decoded_capacity(std::size_t text_size) {
    return (text_size + 3) / 4 * 3;
}

} // namespace switchboard::crypto
