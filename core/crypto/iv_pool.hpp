// Fernet's initialisation vectors, drawn from the CSPRNG in batches. One RAND_bytes call costs
// about as much as the rest of a token's encryption (OpenSSL 3's DRBG re-keys itself per
// call), so each thread draws 32 IVs at a time and hands them out in order. IVs are public
// (every token carries its own) and need only be unpredictable before use, which bytes kept
// in the thread's memory until then are. A forked child starts with a fresh batch, so parent
// and child never hand out the same IV.
#pragma once

#include "core/common/error.hpp"

#include <cstdint>
#include <span>

namespace switchboard::crypto {

// Fills `iv` with 16 bytes of the CSPRNG's output that no other call (in any thread or
// process) is given. Fails (code `random_unavailable`) as fill_random does.
Result<void> next_iv(std::span<std::uint8_t, 16> iv);

} // namespace switchboard::crypto
