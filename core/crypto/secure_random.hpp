// The one source of randomness for secrets and identifiers: OpenSSL's CSPRNG (RAND_bytes).
#pragma once

#include "core/common/error.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace switchboard::crypto {

// Fills `out` from the CSPRNG. Fails (code `random_unavailable`) only if OpenSSL cannot
// seed its generator, which callers must treat as fatal for the operation at hand.
Result<void> fill_random(std::span<std::uint8_t> out);

Result<std::vector<std::uint8_t>> random_bytes(std::size_t count);

// `count` random bytes, base64url-encoded without padding (state values, PKCE verifiers).
Result<std::string> random_token(std::size_t count);

// A version 4 UUID from the CSPRNG, lowercase canonical form (8-4-4-4-12).
Result<std::string> random_uuid();

} // namespace switchboard::crypto
