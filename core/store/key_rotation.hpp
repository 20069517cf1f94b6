// Key rotation: re-encrypt every stored token, and every stored idempotent result, under the
// current primary key. The logic behind `switchboard rotate-keys`.
#pragma once

#include "core/common/error.hpp"
#include "core/crypto/multi_fernet.hpp"
#include "core/store/database.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace switchboard::store {

// Counts of the stored results of Idempotency-Key requests (action results may hold
// personal data, so they are encrypted like the tokens).
struct ResultRotationCounts {
    std::size_t scanned = 0;
    std::size_t rotated = 0;
    std::size_t already_current = 0;
    std::size_t failed = 0; // no configured key opens it; left untouched
};

// Counts of connector rows (a row holds up to two tokens), and of idempotent results.
struct RotationReport {
    std::size_t scanned = 0;
    std::size_t rotated = 0;             // re-encrypted under the primary key now
    std::size_t already_current = 0;     // every token already under the primary key
    std::size_t failed = 0;              // a token no configured key opens; left untouched
    std::vector<std::string> failed_ids; // the first 100 failed connector ids (no secrets)
    ResultRotationCounts idempotent_results;
};

struct RotationOptions {
    // Rows per transaction: a batch is committed whole or not at all.
    std::size_t batch_size = 100;
    // Called after each committed batch with the running totals.
    std::function<void(const RotationReport&)> on_progress;
};

// Walks connector_accounts in id order, batch by batch. In each batch's transaction it
// decrypts every token with `keys` (primary or old) and rewrites those not under the primary
// key, keeping their Fernet timestamps and not touching their credential version (the
// plaintext is unchanged). Rows are locked for the batch (PostgreSQL FOR UPDATE; SQLite
// BEGIN IMMEDIATE), so a concurrent refresh is never overwritten.
//
// Then it walks the stored Idempotency-Key results the same way (idempotency_keys in key
// order, batch by batch, locked for the batch), so that once it reports nothing failed no
// ciphertext under an old key is left and the old keys can go.
//
// Resumable: killed half-way, the committed batches are done and the open one rolls back;
// a rerun counts the done rows as already_current and finishes the rest. Run it with the
// new key as CONNECTOR_ENCRYPTION_KEY and the old ones in CONNECTOR_ENCRYPTION_KEYS_OLD;
// once it reports failed == 0 (for both), the old keys can be removed.
Result<RotationReport> rotate_keys(Database& database, const crypto::MultiFernet& keys,
                                   const RotationOptions& options = {});

} // namespace switchboard::store
