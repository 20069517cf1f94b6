// IdempotencyStore: the Idempotency-Key records of the actions API. A key is claimed (a
// 'pending' row, inserted in a transaction) before the action runs, so a concurrent
// duplicate cannot run it a second time; the result is stored once the action succeeded and
// returned to every later request with the same key within the retention window.
#pragma once

#include "core/common/error.hpp"
#include "core/crypto/multi_fernet.hpp"
#include "core/store/connector_account.hpp"
#include "core/store/database.hpp"

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::store {

struct IdempotencyOptions {
    // How long a key keeps its result (the issue: 24 hours).
    std::chrono::seconds retention{std::chrono::hours(24)};
    // A key still 'pending' after this is taken to belong to an instance that died mid-call,
    // and may be claimed again. Longer than any action can run (the HTTP client's deadline is
    // a minute per request).
    std::chrono::seconds pending_timeout{std::chrono::minutes(10)};
};

// A completed action as stored: its result (plaintext JSON, in memory only) and where it ran.
struct StoredActionResult {
    std::string result_json;
    std::string connector_id;
    std::string provider;
};

// A completed request as find_completed() reads it: the hash it was claimed with and its
// result.
struct CompletedRequest {
    std::string request_hash;
    StoredActionResult result;
};

// What claim() found: the key is now ours (run the action, then complete() or abandon()), or
// the first request with it has completed and this is its result.
struct IdempotencyClaim {
    bool acquired = false;
    std::optional<StoredActionResult> completed;
};

// Every method is scoped by tenant. Thread-safe and safe across instances (the claim is one
// write transaction on the primary key (tenant_id, idempotency_key)).
//
// Errors: conflict / `idempotency_key_in_progress` (another request with the key is running),
// conflict / `idempotency_key_reused` (the key was used with another request), invalid_input /
// `invalid_idempotency_key` (empty, longer than 255 bytes, or not printable ASCII), the
// database's errors, and internal / `idempotency_result_unreadable` when no configured key
// decrypts a stored result.
class IdempotencyStore {
public:
    IdempotencyStore(std::shared_ptr<Database> database,
                     std::shared_ptr<const crypto::MultiFernet> keys, WallClock clock = {},
                     IdempotencyOptions options = {});

    // Claims `key` for a request whose canonical hash is `request_hash` (see
    // request_fingerprint in the action service). A row older than the retention window is
    // replaced.
    Result<IdempotencyClaim> claim(std::string_view tenant_id, std::string_view key,
                                   std::string_view request_hash);

    // The completed request stored under `key`, if any (within the retention window), without
    // claiming anything: for a replay whose connector is gone since it ran.
    Result<std::optional<CompletedRequest>> find_completed(std::string_view tenant_id,
                                                           std::string_view key);

    // Stores the result of the claimed key and marks it completed.
    Result<void> complete(std::string_view tenant_id, std::string_view key,
                          const StoredActionResult& result);

    // Releases a claimed key without a result (the action failed): a retry with the same key
    // runs the action again.
    Result<void> abandon(std::string_view tenant_id, std::string_view key);

    // Deletes the rows older than the retention window; returns how many. claim() calls it
    // now and then.
    Result<std::size_t> purge_expired();

    static Result<void> validate_key(std::string_view key);

private:
    std::chrono::system_clock::time_point now() const;

    std::shared_ptr<Database> database_;
    std::shared_ptr<const crypto::MultiFernet> keys_;
    WallClock clock_;
    IdempotencyOptions options_;
    std::atomic<long long> last_purge_{0};
};

} // namespace switchboard::store
