// The database's encryption key check: a Fernet token of a fixed text, stored under the key
// the database's tokens are encrypted with, so that a host started with a valid but wrong
// CONNECTOR_ENCRYPTION_KEY refuses to start (instead of serving, failing to read every
// connector and encrypting new ones under the wrong key). `rotate-keys` moves it forward
// with the tokens.
#pragma once

#include "core/common/error.hpp"
#include "core/crypto/multi_fernet.hpp"
#include "core/store/database.hpp"

#include <cstddef>

namespace switchboard::store {

enum class KeyCheckState {
    created,  // the database had none: written now under the primary key
    current,  // the primary key opens it
    old_key,  // an old key (CONNECTOR_ENCRYPTION_KEYS_OLD) opens it: rotate-keys is due
};

struct KeyCheckResult {
    KeyCheckState state = KeyCheckState::current;
    std::size_t key_index = 0; // which configured key opened it (0: the primary)
};

// Start-up: opens the stored check with `keys`. A database without one gets it, under the
// primary key, once it is clear the keys fit: a new database has no tokens; one written
// before the check existed must have a stored token that one of the keys opens. Several
// instances starting at once on one database write it once.
//
// Errors: internal / `encryption_key_mismatch` when no configured key opens the check (or
// any of the sampled tokens of an older database), with a message naming the variables and
// never a key; the database's errors.
Result<KeyCheckResult> verify_key_check(Database& database, const crypto::MultiFernet& keys);

// rotate-keys: rewrites the check under the primary key. Errors as verify_key_check (a check
// no key opens is not rewritten).
Result<KeyCheckResult> rotate_key_check(Database& database, const crypto::MultiFernet& keys);

} // namespace switchboard::store
