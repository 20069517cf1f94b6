// ActionRunner: the ActionService behind POST /api/v1/actions/{category}.{action}. It picks the
// tenant's active connector of the category (or the one named), runs the action through
// ConnectorManager::invoke_connector at most once per Idempotency-Key, and records every call
// in the audit log (metadata only).
//
// Idempotency: once the connector is chosen, the key is claimed (a 'pending' row) before
// anything runs, with a hash of "category.action", the connector's id and the canonical
// params; the same key with the same request on the same connector within 24 h returns the
// stored result (replayed = true) without acting; with another request, or the same one
// aimed at another connector, it is conflict / `idempotency_key_reused`; while the first
// request still runs it is conflict / `idempotency_key_in_progress`. A failed action is not
// stored: its claim is released, so the client may retry with the same key. Failures are mostly transient (provider down, rate
// limit, token to reconnect) or about the request itself, and a retry is what the client
// wants then; replaying a cached failure for 24 hours would force it to invent a new key,
// which defeats the protection the key gives against acting twice once the action succeeds.
// A replay does not need the connector any more: when none matches now (it was
// disconnected), a completed request with the same key whose hash matches the connector it
// ran on is still replayed.
#pragma once

#include "core/connectors/action_service.hpp"
#include "core/connectors/connector_manager.hpp"
#include "core/store/action_audit_log.hpp"
#include "core/store/connector_repository.hpp"
#include "core/store/idempotency_store.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace switchboard::connectors {

struct ActionRunnerParts {
    std::shared_ptr<ConnectorManager> connectors;
    std::shared_ptr<store::ConnectorRepository> repository;
    std::shared_ptr<store::IdempotencyStore> idempotency;
    std::shared_ptr<store::ActionAuditLog> audit;
};

// Errors besides those of the interface: invalid_input / `invalid_action` (category or action
// not [a-z0-9_]{1,64}), invalid_input / `invalid_idempotency_key`, and the idempotency store's
// and database's errors.
class ActionRunner final : public ActionService {
public:
    explicit ActionRunner(ActionRunnerParts parts);

    Result<ActionResult> run(const auth::Principal& caller, const ActionRequest& request) override;

private:
    Result<store::ConnectorSummary> resolve(const auth::Principal& caller,
                                            const ActionRequest& request);
    Result<ActionResult> execute(const auth::Principal& caller, const ActionRequest& request,
                                 store::ActionAuditEntry& audit);
    Result<ActionResult> replay_without_connector(const auth::Principal& caller,
                                                  const ActionRequest& request, Error no_connector);
    void record(store::ActionAuditEntry entry);

    ActionRunnerParts parts_;
};

// SHA-256 hex of "category.action\n" + the connector's id + "\n" + the params in canonical
// JSON (keys sorted, no blanks; the bytes as given when they are not JSON): what an
// Idempotency-Key is bound to.
std::string request_fingerprint(std::string_view category, std::string_view action,
                                std::string_view connector_id, std::string_view params_json);

} // namespace switchboard::connectors
