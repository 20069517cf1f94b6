// PendingConnections: OAuth results parked until the principal who started the flow confirms
// them (connect confirmation, issue 10). A parked result is a connector_accounts row with
// status `pending`: its tokens are encrypted like any other, nothing that uses connectors
// touches it (actions, refresh, the background refresh all want `active`), and it carries
// the SHA-256 of a one-time completion code and the time it is good until.
#pragma once

#include "core/common/error.hpp"
#include "core/crypto/multi_fernet.hpp"
#include "core/store/connector_account.hpp"
#include "core/store/database.hpp"
#include "core/store/event_outbox.hpp"
#include "core/store/refresh_lease.hpp"

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::store {

// What confirm() did with a code that was valid.
enum class ConfirmationKind {
    activated,         // the pending row is now an active connector (`connector`)
    reconnected,       // its tokens now live in the tenant's earlier, inactive connector of the
                       // same account (`connector`); the pending row is gone
    already_connected, // the tenant has that account active already; the pending row is gone
                       // (its tokens are not revoked: at some providers that would end the
                       // active connector's grant too)
    forbidden,         // another tenant or user: the code is dead and the pending row is
                       // claimed for discarding (`connector`; revoke, then remove())
};

struct Confirmation {
    ConfirmationKind kind = ConfirmationKind::forbidden;
    ConnectorRef connector;
    std::string provider;
};

// A pending row handed to one caller for discarding (revoke its tokens, then remove()).
struct PendingClaim {
    ConnectorRef connector;
    std::string provider;
    Timestamp created_at{};
};

struct PendingOptions {
    // How long a claimed row is left to its claimer before another sweep may take it (in
    // case the claimer died or the provider could not be reached): the retry back-off.
    std::chrono::seconds claim_duration{120};
};

// Thread-safe, and safe across instances sharing PostgreSQL: confirm() locks the row it
// reads (FOR UPDATE) and claims pick rows with FOR UPDATE SKIP LOCKED; on SQLite each is one
// write transaction (BEGIN IMMEDIATE).
//
// Errors: not_found / `completion_not_found` (an unknown, expired or used code: never which);
// invalid_input / `invalid_connector`; the database's errors.
class PendingConnections {
public:
    // A confirmation announces connector.connected through `outbox` (null: events without
    // webhook deliveries).
    PendingConnections(std::shared_ptr<Database> database,
                       std::shared_ptr<const crypto::MultiFernet> keys, WallClock clock = {},
                       PendingOptions options = {},
                       std::shared_ptr<const EventOutbox> outbox = nullptr);

    // Stores `connector` (its status is ignored: pending) bound to the completion code whose
    // SHA-256 hex is `completion_hash`, valid until `until`.
    Result<ConnectorRef> park(std::string_view tenant_id, const NewConnector& connector,
                              std::string_view completion_hash, Timestamp until);

    // Uses the code once, for `tenant_id`/`user_id`, in one transaction (see
    // ConfirmationKind). The code is dead afterwards whatever the outcome.
    Result<Confirmation> confirm(std::string_view completion_hash, std::string_view tenant_id,
                                 std::string_view user_id);

    // Claims the pending rows whose time is up (unconfirmed, or refused and not discarded
    // yet), oldest first, at most `limit`; their codes die with the claim.
    Result<std::vector<PendingClaim>> claim_due(std::size_t limit);

    // Claims one pending row of the tenant now, whatever its time (its owner cancels it).
    // not_found / `connector_not_found` when it is not pending (any more).
    Result<PendingClaim> claim(std::string_view tenant_id, std::string_view connector_id);

    // Deletes a pending row (after its tokens were revoked, or when they must not be).
    // Deleting one that is gone already is not an error.
    Result<void> remove(const ConnectorRef& connector);

private:
    std::chrono::system_clock::time_point now() const;
    Result<Confirmation> confirm_once(std::string_view completion_hash, std::string_view tenant_id,
                                      std::string_view user_id);

    std::shared_ptr<Database> database_;
    std::shared_ptr<const crypto::MultiFernet> keys_;
    WallClock clock_;
    PendingOptions options_;
    std::shared_ptr<const EventOutbox> outbox_;
};

} // namespace switchboard::store
