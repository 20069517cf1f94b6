// ActionAuditLog: one row per call of the actions API — who (tenant, user), on which
// connector and provider, which action, how it ended (and its error code), how long it took.
// Never the params or the result: they may hold secrets and personal data.
#pragma once

#include "core/common/error.hpp"
#include "core/store/connector_account.hpp"
#include "core/store/database.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::store {

enum class ActionOutcome { succeeded, failed, replayed };

std::string_view to_string(ActionOutcome outcome) noexcept;
std::optional<ActionOutcome> parse_action_outcome(std::string_view text) noexcept;

struct ActionAuditEntry {
    std::string id; // filled by record()
    std::string tenant_id;
    std::string user_id;
    std::string connector_id; // empty when no connector was chosen (e.g. none active)
    std::string provider;     // empty likewise
    std::string category;
    std::string action;
    ActionOutcome outcome = ActionOutcome::succeeded;
    std::string error_code; // the stable Error code when it failed
    std::chrono::milliseconds duration{0};
    Timestamp created_at{}; // filled by record()
};

// Thread-safe. Errors: invalid_input / `invalid_audit_entry` for a missing or oversized field,
// and the database's errors.
class ActionAuditLog {
public:
    explicit ActionAuditLog(std::shared_ptr<Database> database, WallClock clock = {});

    // Stores `entry` under a new id, stamped now; returns the stored entry.
    Result<ActionAuditEntry> record(ActionAuditEntry entry);

    // The tenant's latest entries, newest first, at most `limit`.
    Result<std::vector<ActionAuditEntry>> recent(std::string_view tenant_id,
                                                 std::size_t limit = 100);

private:
    std::shared_ptr<Database> database_;
    WallClock clock_;
};

} // namespace switchboard::store
